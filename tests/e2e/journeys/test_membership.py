"""Journeys: joining the network and renewing, from the home page, by clicks only.

1. A visitor joins by bank transfer; a staff member records the transfer in Wagtail's admin;
   the member downloads the receipt from the portal.
2. A visitor joins by card (Stripe.js cannot load here: the intent is paid server-side, and
   localstripe's signed webhook activates the membership); the member downloads the receipt.
3. A member of last year renews from the portal, by cheque, and downloads the pre-filled
   bulletin to send with it.

Every page passed through, the admin's included, is checked by axe (impact moderate and above).
Filling a field, choosing a radio button or ticking a box is typing, not a click: the counts are
the links and buttons pressed, as in the other journeys.
"""

import datetime
import re
import time

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from demo.factories.members import OrganisationFactory, UserFactory
from demo.members import grid_for
from members import renewals
from members.models import Contact, Membership, Organisation, Payment
from members.services import record_offline_payment, start_membership
from tests import stripe as stripe_helpers
from tests.e2e.bulletin_steps import fill_organisation_and_contact, pay_card_membership
from tests.e2e.conftest import _local_only
from tests.e2e.journeys.conftest import Journey

PASSWORD = "un-mot-de-passe-solide-42"
DEMO_IBAN = "FR7630006000011234567890189"  # members/demo.py ensure_settings

# The member's clicks: the home page's « Adhérer au réseau », « Envoyer le bulletin », the
# footer's « Espace membre », the organisation's name in the portal, « Télécharger le reçu … ».
CLICKS_TRANSFER = 5
# The staff member's: « S'identifier », the admin menu's « Adhérents », then « Adhésions », the
# row's « Paiement reçu », « Enregistrer le paiement reçu ».
STAFF_CLICKS = 5
# The button « Pages de la rubrique Adhérer », the submenu's « Bulletin d’adhésion », « Envoyer
# le bulletin », the footer's « Espace membre », the organisation's name, « Télécharger le reçu ».
CLICKS_CARD = 6
# The footer's « Espace membre », « Se connecter », « Renouveler », « Envoyer le bulletin »,
# « Télécharger le bulletin pré-rempli (PDF) ».
CLICKS_RENEWAL = 5


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def load_demo():
    call_command("load_demo_content", verbosity=0)
    call_command("load_demo_members", verbosity=0)


def pdf_text(download):
    return "".join(page.extract_text() for page in PdfReader(download.path()).pages)


def fill_bulletin(page, *, name, rna, email, method):
    """A visitor's bulletin: the organisation, its contact (an account with a password), the
    payment method and the two consents."""
    fill_organisation_and_contact(page, name=name, rna=rna, email=email, password=PASSWORD)
    choose_method_and_consent(page, method)


def choose_method_and_consent(page, method):
    page.get_by_label(method, exact=True).check()
    page.get_by_label(re.compile("J’ai lu les statuts")).check()
    page.get_by_label(re.compile("J’ai lu comment le réseau utilise ces informations")).check()


def download_receipt(journey, organisation_name):
    """From any page of the member's: the footer's « Espace membre », the organisation, the
    receipt. Returns the PDF's text and the receipt's number shown in the link."""
    page = journey.page
    journey.click(page.get_by_role("contentinfo").get_by_role("link", name="Espace membre"))
    heading(page, "Espace membre")
    journey.click(page.get_by_role("link", name=organisation_name, exact=True))
    heading(page, organisation_name)
    link = page.get_by_role("link", name=re.compile(r"^Télécharger le reçu "))
    number = link.inner_text().removeprefix("Télécharger le reçu ").strip()
    with page.expect_download() as download_info:
        journey.click(link)
    return pdf_text(download_info.value), number


# --- 1. By bank transfer, recorded by staff ----------------------------------------------------


def test_a_visitor_joins_by_transfer_and_staff_record_it(journey, live_server):
    started = time.monotonic()
    load_demo()
    staff = UserFactory(
        username="tresorerie", email="tresorerie@reseau.example.org", is_staff=True,
        is_superuser=True,
    )  # fmt: skip
    staff.set_password(PASSWORD)
    staff.save()
    name = "La Ressourcerie du Lac"
    page = journey.page

    journey.start("/")
    journey.click(page.get_by_role("main").get_by_role("link", name="Adhérer au réseau"))
    heading(page, "Bulletin d’adhésion")
    fill_bulletin(
        page, name=name, rna="W442777001", email="ines@ressourcerie.example.org", method="Virement"
    )
    journey.click(page.get_by_role("button", name="Envoyer le bulletin"))

    heading(page, "Payer par virement")
    membership = Membership.objects.get(organisation__rna="W442777001")
    payment = membership.payments.get()
    assert payment.method == Payment.Method.TRANSFER
    expect(page.get_by_text(DEMO_IBAN)).to_be_visible()
    expect(page.get_by_text(payment.reference, exact=True)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"Montant\s*300\s€"))

    # The treasurer, in their own browser. The admin's address is their entry point: they do
    # not reach it from the public site, they type it (or keep it in their bookmarks).
    staff_context = page.context.browser.new_context()
    staff_context.route("**/*", _local_only)
    try:
        admin = Journey(staff_context.new_page(), journey.base_url, journey._axe)
        admin.start("/admin/")
        admin.page.get_by_role("textbox", name=re.compile("^Nom d’utilisateur")).fill("tresorerie")
        # Wagtail's own field has no label (« Password »): home.admin_forms gives it one.
        admin.page.get_by_role("textbox", name=re.compile("^Mot de passe")).fill(PASSWORD)
        admin.click(admin.page.get_by_role("button", name="S'identifier"))
        sidebar = admin.page.get_by_role("navigation", name="Menu principal")
        admin.click(sidebar.get_by_role("button", name="Adhérents"))
        admin.click(sidebar.get_by_role("link", name="Adhésions"))
        row = admin.page.get_by_role("row").filter(has_text=name)
        admin.click(row.get_by_role("link", name="Paiement reçu"))
        expect(admin.page.get_by_role("main")).to_contain_text(payment.reference)
        admin.page.get_by_label("Montant reçu (€)").fill("300")
        admin.click(
            admin.page.get_by_role("button", name="Enregistrer le paiement reçu"), check=False
        )
        # Wagtail fades its messages in (opacity, 0.5 s): axe checks the list once the message
        # is shown, not halfway through (a half-transparent message fails color-contrast).
        admin.page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.messages > ul')).opacity === '1'"
        )
        admin.check()
        expect(admin.page.get_by_role("status")).to_contain_text(
            re.compile(rf"Paiement de 300\s€ enregistré .*{payment.reference}")
        )
        staff_clicks = admin.clicks
    finally:
        staff_context.close()
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE

    # Back to the member: the portal, the organisation, the receipt.
    text, number = download_receipt(journey, name)
    receipt = Payment.objects.get(pk=payment.pk).receipt
    assert number == receipt.number
    assert receipt.number in text and name in text
    assert "300" in text and "€" in text

    print(
        f"\nJoining by transfer: {journey.clicks} clicks for the member, {staff_clicks} for "
        f"staff, {time.monotonic() - started:.1f} s"
    )
    assert journey.clicks == CLICKS_TRANSFER
    assert staff_clicks == STAFF_CLICKS


# --- 2. By card, as far as localstripe allows ----------------------------------------------------


def test_a_visitor_joins_by_card_from_the_menu(
    journey, live_server, stripe_settings, stripe_server
):
    started = time.monotonic()
    load_demo()
    base = live_server.url.replace("localhost", "127.0.0.1")
    stripe_helpers.register_webhook(
        stripe_server,
        f"{base}/stripe/webhook/",
        events=["payment_intent.succeeded", "payment_intent.payment_failed"],
    )
    name = "La Ressourcerie du Lac"
    page = journey.page

    journey.start("/")
    # A 1280 px wide window: the main menu is expanded, each section with its disclosure button.
    menu = page.get_by_role("navigation", name="Navigation principale")
    toggle = menu.get_by_role("button", name="Pages de la rubrique Adhérer")
    journey.click(toggle)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    journey.click(menu.get_by_role("link", name="Bulletin d’adhésion"))
    heading(page, "Bulletin d’adhésion")
    fill_bulletin(
        page,
        name=name,
        rna="W442777001",
        email="ines@ressourcerie.example.org",
        method="Carte bancaire",
    )
    journey.click(page.get_by_role("button", name="Envoyer le bulletin"))

    heading(page, "Paiement de la cotisation")
    expect(page.locator("#payment-unavailable")).to_be_visible()  # Stripe.js was refused
    journey.check()  # the page as it is once the message shows

    # What Stripe.js would do in the browser, done server-side.
    payment = pay_card_membership("W442777001", 30000)

    text, number = download_receipt(journey, name)
    receipt = Payment.objects.get(pk=payment.pk).receipt
    assert number == receipt.number
    assert receipt.number in text and name in text
    assert "300" in text and "€" in text

    print(f"\nJoining by card: {journey.clicks} clicks, {time.monotonic() - started:.1f} s")
    assert journey.clicks == CLICKS_CARD


# --- 3. Renewing from the portal -----------------------------------------------------------------


def member_of_last_year():
    """An organisation that paid the year before the one open to renewal today, whatever today
    is (renewals.open_years reads timezone.localdate()): its membership is still active if that
    year runs (the renewal window before the year's end), expired if it is over. Returns it
    and the year it may renew."""
    year = renewals.open_years()[-1]
    grid_for(year)  # the demo's grids already cover it; kept explicit, and idempotent
    previous = start_membership(
        OrganisationFactory(
            name="Atelier Vélo du Port", rna="W442888001", employees=0, budget_bracket="10000"
        ),
        grid_for(year - 1),
    )
    record_offline_payment(
        previous,
        method=Payment.Method.TRANSFER,
        amount_cents=previous.amount_cents,
        received_at=timezone.now() - datetime.timedelta(days=300),
        recorded_by=None,
    )
    renewals.expire_memberships()  # the daily job: expired if that year is over
    user = UserFactory(
        username="paul@velo.example.org", email="paul@velo.example.org", first_name="Paul",
        last_name="Girard",
    )  # fmt: skip
    user.set_password(PASSWORD)
    user.save()
    organisation = previous.organisation
    Contact.objects.create(organisation=organisation, user=user, role="president", is_primary=True)
    assert renewals.renewal_open(organisation) == year
    return organisation, year


def test_a_member_renews_from_the_portal_by_cheque(journey, live_server):
    started = time.monotonic()
    load_demo()
    organisation, year = member_of_last_year()
    name = organisation.name
    page = journey.page

    journey.start("/")
    journey.click(page.get_by_role("contentinfo").get_by_role("link", name="Espace membre"))
    heading(page, "Espace membre")
    page.get_by_label("Adresse e-mail").fill("paul@velo.example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    journey.click(page.get_by_role("button", name="Se connecter"))
    heading(page, "Espace membre")
    card = page.get_by_role("region", name=name)
    expect(card).to_contain_text(f"Adhésion {year - 1}")
    journey.click(card.get_by_role("link", name="Renouveler"))

    heading(page, "Bulletin d’adhésion")
    expect(page.get_by_role("heading", name=f"Grille de cotisation {year}")).to_be_visible()
    expect(page.locator("#id_org-name")).to_have_value(name)
    expect(page.locator("#id_org-rna")).to_have_value("W442888001")
    choose_method_and_consent(page, "Chèque")
    journey.click(page.get_by_role("button", name="Envoyer le bulletin"))

    heading(page, "Payer par chèque")
    renewal = Membership.objects.get(organisation=organisation, year=year)
    assert renewal.status == Membership.Status.PENDING
    payment = renewal.payments.get()
    assert payment.method == Payment.Method.CHEQUE
    expect(page.get_by_text(payment.reference, exact=True)).to_be_visible()
    expect(page.get_by_text("Réseau Coup de Pousse – ESS Pays de la Loire").first).to_be_visible()
    with page.expect_download() as download_info:
        journey.click(page.get_by_role("link", name=re.compile("bulletin pré-rempli")))
    text = pdf_text(download_info.value)
    assert name in text and payment.reference in text

    assert Organisation.objects.filter(name=name).count() == 1  # renewed, not joined again
    assert list(
        Membership.objects.filter(organisation=organisation)
        .order_by("year")
        .values_list("year", "status")
    ) == [
        (year - 1, previous_status(year - 1)),
        (year, Membership.Status.PENDING),
    ]
    print(f"\nRenewing by cheque: {journey.clicks} clicks, {time.monotonic() - started:.1f} s")
    assert journey.clicks == CLICKS_RENEWAL


def previous_status(year):
    """Last year's membership is still active while its year runs, expired once it is over."""
    if year == renewals.current_membership_year():
        return Membership.Status.ACTIVE
    return Membership.Status.EXPIRED
