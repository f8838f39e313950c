"""Demo members: this year's fee grid and a few organisations in each membership state.

Idempotent: the grid is found by year, organisations by RNA, and a state is set only once.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from demo.factories.members import OrganisationFactory
from home.identity import site_name
from members.models import (
    FeeGrid,
    FeeTier,
    Membership,
    MembershipSettings,
    Organisation,
    Payment,
    Sector,
)
from members.pages import MembershipPage
from members.services import (
    confirm_payment,
    create_payment,
    fail_payment,
    record_offline_payment,
    refund_payment,
    start_membership,
)

TIERS = [
    # label, basis, minimum, maximum, amount in cents (None: free amount with that minimum)
    ("Association sans salarié", "employees", 0, 1, 5000),
    ("De 1 à 9 salariés", "employees", 1, 10, 12000),
    ("De 10 à 49 salariés", "employees", 10, 50, 30000),
    ("50 salariés et plus", "employees", 50, None, 60000),
    ("Membre bienfaiteur (montant libre)", "employees", 0, None, -20000),
]

ORGANISATIONS = [
    # name, RNA, employees, budget, city, postal code, sectors, what happened
    ("Les Jardins de la Fraternité", "W442009001", 4, "50000", "Nantes", "44000",
     ["solidarite", "insertion"], "card"),
    ("Entraide Familles Loire", "W442009002", 0, "0", "Saint-Nazaire", "44600",
     ["protection-enfance"], "cheque"),
    ("Cap Autonomie", "W492009003", 22, "1000000", "Angers", "49000",
     ["medico-social", "handicap"], "transfer_pending"),
    ("Culture en Partage", "W852009004", 2, "10000", "La Roche-sur-Yon", "85000",
     ["culture", "education-populaire"], "card_failed"),
    ("Toit Commun", "W722009005", 8, "200000", "Le Mans", "72000",
     ["lutte-exclusions"], "expired"),
    ("Vélo Solidaire", "W532009006", 1, "10000", "Laval", "53000",
     ["environnement"], "refunded"),
]  # fmt: skip


def grid_for(year):
    grid, _ = FeeGrid.objects.get_or_create(
        year=year, defaults={"notes": "Cotisation pour l’année civile, votée en assemblée."}
    )
    if not grid.tiers.exists():
        for order, (label, basis, low, high, cents) in enumerate(TIERS):
            free = cents < 0
            FeeTier.objects.create(
                grid=grid, label=label, order=order, basis=basis, minimum=low, maximum=high,
                amount_cents=None if free else cents, free_amount=free,
                minimum_cents=-cents if free else None,
            )  # fmt: skip
    return grid


BULLETIN_INTRO = (
    "L’adhésion vaut pour une année civile. Remplissez le bulletin au nom de votre organisation : "
    "votre cotisation est calculée d’après la grille ci-dessous, et vous choisissez de la régler "
    "en ligne, par virement ou par chèque."
)


def ensure_bulletin_page():
    """The bulletin d'adhésion, under the « Adhérer » page of the demo site if there is one."""
    if MembershipPage.objects.exists():
        return None
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    root = site.root_page
    parent = Page.objects.child_of(root).filter(slug="adherer").first() or root
    page = MembershipPage(
        title="Bulletin d’adhésion",
        slug="bulletin",
        introduction=BULLETIN_INTRO,
        show_in_menus=True,
    )
    parent.specific.add_child(instance=page)
    page.save_revision().publish()
    link_bulletin_page(page, parent.specific, root.specific)
    return page


def link_bulletin_page(bulletin, adherer, home):
    """Every « Adhérer » of the demo site leads to the bulletin, the page that acts: the home
    page's call to action (it pointed at the presentation page, made before the bulletin) and
    a new one on the « Adhérer » page, before its questions."""
    for page in {home.pk: home, adherer.pk: adherer}.values():
        body = getattr(page, "body", None)
        if body is None:
            continue
        ctas = [b for b in body if b.block_type == "call_to_action"]
        changed = False
        for block in ctas:
            target = block.value["link"]["page"]
            if page is home and target is not None and target.pk == adherer.pk:
                block.value["link"]["page"] = bulletin
                changed = True
        if (
            page is adherer
            and page is not home
            and not any((b.value["link"]["page"] or adherer).pk == bulletin.pk for b in ctas)
        ):
            index = next((i for i, b in enumerate(body) if b.block_type == "faq"), len(body))
            link = {"label": "Remplir le bulletin d’adhésion", "page": bulletin, "url": ""}
            body.insert(
                index,
                (
                    "call_to_action",
                    {
                        "title": "Prêts à nous rejoindre ?",
                        "text": (
                            "Le bulletin se remplit en ligne en quelques minutes ; la "
                            "cotisation se règle par carte, virement ou chèque."
                        ),
                        "link": link,
                    },
                ),
            )
            changed = True
        if changed:
            page.save_revision().publish()


def ensure_settings():

    options = MembershipSettings.load()
    if not options.iban:
        # The account is the association's: one name, the one its site settings give.
        options.bank_account_holder = site_name()
        options.iban = "FR7630006000011234567890189"  # the example IBAN of the French banks
        options.bic = "AGRIFRPP"
        options.cheque_payable_to = site_name()
        options.cheque_address = "2 place de la Solidarité\n44000 Nantes"
        options.save()


@transaction.atomic
def load_demo_members(today=None):
    today = today or timezone.localdate()
    grid = grid_for(today.year)
    last_year = grid_for(today.year - 1)
    grid_for(today.year + 1)  # renewals open before the year ends
    ensure_settings()
    ensure_bulletin_page()
    created = 0
    for name, rna, employees, budget, city, postal, sectors, story in ORGANISATIONS:
        if Organisation.objects.filter(rna=rna).exists():
            continue
        organisation = OrganisationFactory(
            rna=rna, name=name, legal_form="association", address="2 place de la Solidarité",
            postal_code=postal, city=city, departement=postal[:2], employees=employees,
            budget_bracket=budget,
        )  # fmt: skip
        created += 1
        organisation.sectors.set(Sector.objects.filter(slug__in=sectors))
        tell(story, organisation, grid, last_year, today)
    return created


def tell(story, organisation, grid, last_year, today):
    """Take a new organisation's membership to the state its story says."""
    when = timezone.now() - datetime.timedelta(days=20)
    if story == "expired":
        membership = start_membership(organisation, last_year)
        record_offline_payment(
            membership, method=Payment.Method.TRANSFER, amount_cents=membership.amount_cents,
            received_at=when - datetime.timedelta(days=365), recorded_by=None,
        )  # fmt: skip
        Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.EXPIRED)
        return
    membership = start_membership(organisation, grid)
    if story == "cheque":
        record_offline_payment(
            membership, method=Payment.Method.CHEQUE, amount_cents=membership.amount_cents,
            received_at=when, recorded_by=None,
        )  # fmt: skip
    elif story == "transfer_pending":
        create_payment(membership, Payment.Method.TRANSFER)
    else:
        payment = create_payment(membership, Payment.Method.CARD, f"pi_demo_{organisation.rna}")
        if story == "card":
            confirm_payment(payment.pk, received_at=when)
        elif story == "card_failed":
            fail_payment(payment.pk)
        elif story == "refunded":
            confirm_payment(payment.pk, received_at=when)
            refund_payment(payment.pk)
