"""The bulletin d'adhésion on its Wagtail page: parts, computed tier, French errors that keep
what was typed, and a server that decides the amount."""

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client

from demo.factories.members import OrganisationFactory, UserFactory, make_grid, valid_siret
from home.models import HomePage
from members import renewals
from members.models import Contact, Membership, Organisation, Payment
from members.pages import MembershipPage

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide-42"


@pytest.fixture
def bulletin_page(site_tree):
    home = HomePage.objects.get()
    page = MembershipPage(title="Adhérer", slug="adherer", introduction="Rejoignez le réseau.")
    home.add_child(instance=page)
    cache.clear()
    return page


@pytest.fixture
def grid():
    """The grid of the year a bulletin signed today is for."""
    return make_grid(renewals.open_years()[-1])


def bulletin_data(**overrides):
    data = {
        "org-name": "Les Jardins Partagés",
        "org-legal_form": "association",
        "org-rna": "W442001234",
        "org-siret": "",
        "org-address": "3 rue des Lilas",
        "org-postal_code": "44000",
        "org-city": "Nantes",
        "org-departement": "44",
        "org-employees": "12",
        "org-volunteers": "30",
        "org-budget_bracket": "200000",
        "contact-first_name": "Alice",
        "contact-last_name": "Martin",
        "contact-email": "alice@jardins.example.org",
        "contact-phone": "02 40 00 00 00",
        "contact-role": "president",
        "contact-password1": PASSWORD,
        "contact-password2": PASSWORD,
        "dues-tier_choice": "computed",
        "dues-free_amount": "",
        "dues-method": "transfer",
        "dues-accept_statutes": "on",
        "dues-accept_privacy": "on",
    }
    data.update(overrides)
    return data


def test_the_page_publishes_the_grid_as_a_table(client, bulletin_page, grid):
    response = client.get(bulletin_page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Grille de cotisation {grid.year}" in html
    assert "De 10 à 49 salarié·es" in html
    assert "300\u00a0€" in html
    assert "À partir de 200\u00a0€" in html
    assert "no-cache" in response["Cache-Control"]


def test_a_visitor_joins_by_transfer_and_gets_the_reference(client, bulletin_page, grid):
    response = client.post(bulletin_page.url, bulletin_data())

    organisation = Organisation.objects.get(rna="W442001234")
    membership = Membership.objects.get(organisation=organisation)
    payment = membership.payments.get()
    assert response.status_code == 302
    assert response["Location"] == f"/espace-membre/adhesion/{membership.pk}/virement-cheque/"
    assert membership.year == grid.year
    assert membership.tier.label == "10 à 49 salariés"
    assert membership.amount_cents == 30000
    assert membership.status == "pending"
    assert payment.method == "transfer" and payment.status == "pending"
    contact = Contact.objects.get(organisation=organisation)
    assert contact.user.email == "alice@jardins.example.org" and contact.is_primary
    # The new contact is logged in and sees the instructions.
    page = client.get(response["Location"])
    assert payment.reference in page.content.decode()


def test_an_amount_sent_in_the_post_is_ignored(client, bulletin_page, grid):
    client.post(
        bulletin_page.url,
        bulletin_data(**{"amount_cents": "100", "dues-amount": "1", "amount": "1"}),
    )
    membership = Membership.objects.get()
    assert membership.amount_cents == 30000
    assert membership.payments.get().amount_cents == 30000


def test_errors_are_in_french_and_keep_what_was_typed(client, bulletin_page, grid):
    response = client.post(
        bulletin_page.url,
        bulletin_data(**{"org-siret": "12345678901234", "org-rna": "", "dues-accept_statutes": ""}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le bulletin n’a pas été enregistré" in html
    assert "Ce numéro SIRET n’existe pas" in html
    assert 'value="Les Jardins Partagés"' in html
    assert 'value="alice@jardins.example.org"' in html
    assert "Champ requis." in html  # Wagtail’s French wording of Django’s message
    assert not Organisation.objects.exists() and not User.objects.exists()


def _masked(html):
    """The page without what differs between two requests anyway: the CSRF token, the address."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r"[\w.+-]+@[\w.-]+", "ADDRESS", html)


def test_a_bulletin_with_errors_does_not_tell_whether_the_address_has_an_account(
    client, bulletin_page, grid
):
    """It used to answer « Un compte existe déjà avec cette adresse » to anyone."""
    UserFactory(email="Alice@Jardins.example.org")
    wrong = {"org-rna": "", "org-siret": ""}
    existing = client.post(bulletin_page.url, bulletin_data(**wrong))
    new = client.post(
        bulletin_page.url, bulletin_data(**wrong, **{"contact-email": "nouvelle@example.org"})
    )
    assert existing.status_code == new.status_code == 200
    assert "Un compte existe" not in existing.content.decode()
    assert _masked(existing.content.decode()) == _masked(new.content.decode())


def test_an_address_with_an_account_goes_on_and_its_owner_is_emailed(
    client, bulletin_page, grid, mailoutbox, django_capture_on_commit_callbacks
):
    """Nothing lost (the bulletin, its membership and payment are saved), no account taken
    over (not attached, not logged in, its password unchanged), nothing said to the visitor
    about the account: its owner learns by e-mail how to become the contact and pay."""
    owner = UserFactory(email="Alice@Jardins.example.org", first_name="Alice", last_name="M.")
    owner.set_password("son-propre-mot-de-passe-77")
    owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulletin_page.url, bulletin_data())
    assert response.status_code == 302
    assert response["Location"] == f"{bulletin_page.url}?envoye=1"
    page = client.get(response["Location"]).content.decode()
    assert "Bulletin reçu, merci !" in page and "La suite vous est envoyée par e-mail" in page
    assert "compte" not in page.split("Bulletin reçu")[1].split("</div>")[0]
    assert client.get("/espace-membre/").status_code == 302  # nobody logged in

    organisation = Organisation.objects.get(rna="W442001234")
    membership = organisation.memberships.get()
    payment = membership.payments.get()
    assert (membership.status, membership.amount_cents, payment.method) == (
        "pending", 30000, "transfer",
    )  # fmt: skip
    assert not organisation.contacts.exists()
    owner.refresh_from_db()
    assert owner.check_password("son-propre-mot-de-passe-77")
    assert not owner.check_password(PASSWORD)
    assert (owner.first_name, owner.last_name) == ("Alice", "M.")
    assert User.objects.count() == 1

    [message] = mailoutbox  # the bulletin's confirmation has no contact to go to yet
    assert message.to == ["Alice@Jardins.example.org"]  # the account's own address
    assert message.subject == (
        "Bulletin d’adhésion de Les Jardins Partagés : votre adresse a déjà un compte"
    )
    assert payment.reference in message.body and "300\u00a0€" in message.body
    assert "le mot de passe saisi sur le bulletin n’a pas été enregistré" in message.body
    assert "/espace-membre/mot-de-passe/oublie/" in message.body
    link = re.search(r"https?://[^/\s]+(/espace-membre/invitation/[^/\s]+/)", message.body)

    # The owner logs in with their own password, accepts, and pays.
    owner_client = Client()
    owner_client.force_login(owner)
    assert owner_client.post(link.group(1)).status_code == 302
    contact = organisation.contacts.get()
    assert (contact.user, contact.role, contact.phone, contact.is_primary) == (
        owner, "president", "02 40 00 00 00", True,
    )  # fmt: skip
    offline = owner_client.get(f"/espace-membre/adhesion/{membership.pk}/virement-cheque/")
    assert offline.status_code == 200 and payment.reference in offline.content.decode()


@pytest.mark.parametrize(
    "account", [{"is_staff": True}, {"is_active": False}], ids=["staff", "inactive"]
)
def test_a_staff_or_closed_account_typed_on_the_bulletin_gets_nothing(
    client, bulletin_page, grid, mailoutbox, django_capture_on_commit_callbacks, account
):
    UserFactory(email="alice@jardins.example.org", **account)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulletin_page.url, bulletin_data())
    assert response["Location"] == f"{bulletin_page.url}?envoye=1"
    assert Membership.objects.filter(organisation__rna="W442001234").exists()
    assert not Contact.objects.exists()
    assert mailoutbox == []


def test_staff_entering_a_paper_bulletin_are_told_the_address_has_an_account(
    client, bulletin_page, grid, mailoutbox, django_capture_on_commit_callbacks
):
    """Staff see every account in the admin: the bulletin says what it did."""
    from django.contrib.auth.models import Permission

    owner = UserFactory(email="alice@jardins.example.org")
    staff = UserFactory(email="equipe@reseau.example.org", is_staff=True)
    # Staff work in the admin, with its second factor (given: the conftest logs them in so).
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_membership", "access_admin"])
    )
    client.force_login(staff)
    data = bulletin_data()
    del data["contact-password1"], data["contact-password2"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulletin_page.url, data)
    membership = Membership.objects.get()
    assert response["Location"] == f"/espace-membre/adhesion/{membership.pk}/virement-cheque/"
    [message] = get_messages(response.wsgi_request)
    assert str(message).startswith("Cette adresse a déjà un compte : rien n’y est rattaché")
    assert not Contact.objects.filter(user=owner).exists()
    assert [m.to for m in mailoutbox] == [["alice@jardins.example.org"]]


def test_a_free_amount_below_the_minimum_is_refused(client, bulletin_page, grid):
    bienfaiteur = grid.tiers.get(free_amount=True)
    response = client.post(
        bulletin_page.url,
        bulletin_data(**{"dues-tier_choice": str(bienfaiteur.pk), "dues-free_amount": "150"}),
    )
    assert "Le montant libre doit être d’au moins 200\u00a0€." in response.content.decode()
    client.post(
        bulletin_page.url,
        bulletin_data(**{"dues-tier_choice": str(bienfaiteur.pk), "dues-free_amount": "250,50"}),
    )
    assert Membership.objects.get().amount_cents == 25050


def test_only_staff_may_choose_another_tier(client, bulletin_page, grid):
    small = grid.tiers.get(label="Sans salarié")
    response = client.post(bulletin_page.url, bulletin_data(**{"dues-tier_choice": str(small.pk)}))
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Membership.objects.exists()

    from django.contrib.auth.models import Permission

    staff = User.objects.create_user("equipe", "equipe@reseau.example.org", PASSWORD)
    staff.is_staff = True
    staff.save()
    # is_staff alone is not enough: entering bulletins is a permission.
    client.force_login(staff)
    response = client.post(bulletin_page.url, bulletin_data(**{"dues-tier_choice": str(small.pk)}))
    assert "Sélectionnez un choix valide" in response.content.decode()
    # Staff work in the admin, with its second factor (given: the conftest logs them in so).
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_membership", "access_admin"])
    )
    staff = User.objects.get(pk=staff.pk)
    client.force_login(staff)
    data = bulletin_data(**{"dues-tier_choice": str(small.pk)})
    del data["contact-password1"], data["contact-password2"]
    response = client.post(bulletin_page.url, data)
    membership = Membership.objects.get()
    assert response.status_code == 302
    assert membership.tier == small and membership.amount_cents == 5000
    # The contact was created without a password; staff stay logged in as themselves.
    assert not User.objects.get(email="alice@jardins.example.org").has_usable_password()
    assert client.get("/espace-membre/").wsgi_request.user == staff


def test_a_member_renews_their_own_organisation_prefilled(client, bulletin_page, grid):
    user = UserFactory(email="bob@velo.example.org")
    organisation = OrganisationFactory(name="Atelier Vélo", employees=0, siret=valid_siret(7))
    Contact.objects.create(organisation=organisation, user=user, role="treasurer")
    client.force_login(user)

    page = client.get(f"/espace-membre/organisation/{organisation.pk}/renouveler/", follow=True)
    html = page.content.decode()
    assert 'value="Atelier Vélo"' in html
    assert "contact-email" not in html  # they are the contact already

    data = {k: v for k, v in bulletin_data().items() if not k.startswith(("org-", "contact-"))}
    data.update(
        {f"org-{f}": getattr(organisation, f) for f in ("name", "legal_form", "rna", "siret")}
    )
    data.update(
        {
            "organisation": str(organisation.pk),
            "org-address": organisation.address,
            "org-postal_code": organisation.postal_code,
            "org-city": organisation.city,
            "org-departement": organisation.departement,
            "org-employees": "0",
            "org-volunteers": "4",
            "org-budget_bracket": "0",
        }
    )
    response = client.post(bulletin_page.url, data)
    assert response.status_code == 302
    membership = organisation.memberships.get()
    assert membership.amount_cents == 5000
    # A second submission (double click) makes no second membership or payment.
    client.post(bulletin_page.url, data)
    assert organisation.memberships.count() == 1
    assert Payment.objects.filter(membership=membership).count() == 1


def test_a_member_cannot_submit_for_another_organisation(client, bulletin_page, grid):
    user = UserFactory()
    Contact.objects.create(organisation=OrganisationFactory(), user=user, role="president")
    other = OrganisationFactory()
    client.force_login(user)
    response = client.post(bulletin_page.url, {**bulletin_data(), "organisation": str(other.pk)})
    assert response.status_code == 404
    assert not other.memberships.exists()


def test_the_offline_page_gives_the_bank_details(client, bulletin_page, grid):
    from members.models import MembershipSettings

    options = MembershipSettings.load()
    options.bank_account_holder, options.iban = "Réseau ESS", "FR7630006000011234567890189"
    options.save()
    response = client.post(bulletin_page.url, bulletin_data(), follow=True)
    html = response.content.decode()
    assert "FR7630006000011234567890189" in html
    assert "Indiquez la référence dans le libellé du virement" in html


def test_bulletin_page_query_budget(client, bulletin_page, grid, django_assert_max_num_queries):
    client.get(bulletin_page.url)  # warm the site and menu caches
    # The page found through the route cache (home.models.HomePage.route), the settings and the
    # grid from the content cache, the empty form from a cached fragment: no query.
    with django_assert_max_num_queries(0):
        assert client.get(bulletin_page.url).status_code == 200


def test_an_organisation_needs_an_rna_or_a_siret(client, bulletin_page, grid):
    response = client.post(bulletin_page.url, bulletin_data(**{"org-rna": "", "org-siret": ""}))
    assert "Indiquez un numéro RNA ou un SIRET." in response.content.decode()
    assert not Organisation.objects.exists()


def test_the_bulletin_is_confirmed_by_email_once(
    client, bulletin_page, grid, django_capture_on_commit_callbacks
):
    from django.core import mail

    from members.models import MembershipSettings

    options = MembershipSettings.load()
    options.iban = "FR7630006000011234567890189"
    options.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(bulletin_page.url, bulletin_data())
    payment = Payment.objects.get()
    [message] = mail.outbox
    assert message.to == ["alice@jardins.example.org"]
    assert "Bulletin d’adhésion" in message.subject
    assert payment.reference in message.body and "300\u00a0€" in message.body
    assert "FR7630006000011234567890189" in message.body

    # The same bulletin sent again (the member is now logged in) sends nothing more.
    data = {k: v for k, v in bulletin_data().items() if not k.startswith("contact-")}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(bulletin_page.url, data)
    assert len(mail.outbox) == 1 and Payment.objects.count() == 1


@pytest.mark.parametrize("typed", ["inf", "1e30", "99999999999", "0", "12,345", "-5"])
def test_a_free_amount_out_of_range_is_refused_in_french(client, bulletin_page, grid, typed):
    bienfaiteur = grid.tiers.get(free_amount=True)
    response = client.post(
        bulletin_page.url,
        bulletin_data(**{"dues-tier_choice": str(bienfaiteur.pk), "dues-free_amount": typed}),
    )
    assert response.status_code == 200
    assert "999 999,99 € au plus" in response.content.decode()
    assert not Membership.objects.exists()


def test_a_member_joining_for_a_new_organisation_becomes_its_contact(client, bulletin_page, grid):
    user = UserFactory(email="bob@velo.example.org")
    Contact.objects.create(organisation=OrganisationFactory(), user=user, role="president")
    client.force_login(user)
    data = {k: v for k, v in bulletin_data().items() if not k.startswith("contact-")}
    response = client.post(f"{bulletin_page.url}?organisation=new", {**data, "organisation": "new"})

    organisation = Organisation.objects.get(rna="W442001234")
    assert organisation.contacts.get().user == user
    assert client.get(response["Location"]).status_code == 200


def test_the_empty_form_is_cached_and_a_grid_change_is_seen_at_once(
    client, bulletin_page, grid, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client.get(bulletin_page.url)
    with django_assert_max_num_queries(7):  # routing 4, settings, grid, tiers: no sectors
        first = client.get(bulletin_page.url)
    assert 'name="csrfmiddlewaretoken"' in first.content.decode()
    bienfaiteur = grid.tiers.get(free_amount=True)
    with django_capture_on_commit_callbacks(execute=True):
        bienfaiteur.label = "Membre donateur"
        bienfaiteur.save()
    assert "Membre donateur (montant libre)" in client.get(bulletin_page.url).content.decode()


def test_a_bulletin_sent_back_keeps_its_sectors_without_reading_them_again(
    client, bulletin_page, grid, django_capture_on_commit_callbacks
):
    """The sectors' boxes come from the content cache: on a bulletin with errors, the database
    is asked about sectors only to check the ones ticked."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.models import Sector

    culture = Sector.objects.create(name="Arts de la rue", slug="arts-de-la-rue")
    other = Sector.objects.create(name="Pêche de loisir", slug="peche-de-loisir")
    client.get(bulletin_page.url)  # the choices kept
    data = bulletin_data(**{"org-rna": "", "org-siret": "", "org-sectors": [culture.pk]})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(bulletin_page.url, data)
    html = response.content.decode()
    assert "Le bulletin n’a pas été enregistré" in html
    boxes = dict(re.findall(r'name="org-sectors" value="(\d+)"([^>]*)>', html))
    assert set(boxes) == {str(s.pk) for s in Sector.objects.all()}
    assert "checked" in boxes[str(culture.pk)] and "checked" not in boxes[str(other.pk)]
    assert len([q for q in queries if "members_sector" in q["sql"]]) == 1
    # A sector added is offered at once (a new content generation).
    with django_capture_on_commit_callbacks(execute=True):
        Sector.objects.create(name="Astronomie populaire", slug="astronomie-populaire")
    assert "Astronomie populaire" in client.post(bulletin_page.url, data).content.decode()
