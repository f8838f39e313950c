"""Erasing an organisation's personal data on request keeps its memberships and the accounts."""

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from demo.factories.members import OrganisationFactory, UserFactory, grid_2027
from members.admin_views import dashboard_figures
from members.erasure import AlreadyPseudonymised, pseudonymise_organisation
from members.models import Contact, ContactInvitation, Membership, Organisation, Payment
from members.services import create_payment, refund_payment, start_membership

from .test_admin import editor_user, export_text, member_user, paid_membership, staff_user

pytestmark = pytest.mark.django_db

NAME = "Les Jardins de Mme Durand"


@pytest.fixture
def grid():
    return grid_2027()


@pytest.fixture
def jardins(grid):
    """An organisation with two contacts, one of whom also acts for another organisation, three
    memberships' worth of payments, and a line in Wagtail's history under its name."""
    organisation = OrganisationFactory(
        name=NAME, rna="W442001234", address="3 impasse des Lilas", postal_code="44100",
        city="Nantes", departement="44", employees=4,
    )  # fmt: skip
    durand = UserFactory(
        username="claire.durand@jardins.example.org", email="claire.durand@jardins.example.org",
        first_name="Claire", last_name="Durand",
    )  # fmt: skip
    durand.set_password("un-mot-de-passe-solide-42")
    durand.save()
    shared = UserFactory(
        email="paul.martin@reseau.example.org", first_name="Paul", last_name="Martin"
    )
    Contact.objects.create(
        organisation=organisation, user=durand, role="president", phone="06 12 34 56 78"
    )
    Contact.objects.create(organisation=organisation, user=shared, role="treasurer")
    Contact.objects.create(organisation=OrganisationFactory(), user=shared, role="president")
    membership = paid_membership(organisation, grid, "cheque")
    create_payment(membership, Payment.Method.CARD)  # an abandoned attempt, still pending
    log(organisation, "wagtail.edit")
    log(membership, "wagtail.edit")
    return organisation


def totals():
    return {
        "payments": Payment.objects.aggregate(total=Sum("amount_cents"))["total"],
        "by_status": dict(
            Payment.objects.values_list("status").annotate(Sum("amount_cents")).order_by()
        ),
        "memberships": list(
            Membership.objects.order_by("pk").values_list("pk", "status", "amount_cents")
        ),
        "dashboard": dashboard_figures(2027),
    }


def test_pseudonymising_erases_the_personal_data_and_keeps_the_accounts(jardins, admin_user):
    other = start_membership(OrganisationFactory(employees=0), jardins.memberships.get().tier.grid)
    refund_payment(paid_membership(other.organisation, other.tier.grid).payments.get().pk)
    before = totals()
    durand = User.objects.get(email="claire.durand@jardins.example.org")
    shared = User.objects.get(email="paul.martin@reseau.example.org")

    result = pseudonymise_organisation(jardins, by_user=admin_user)

    assert (result.users_anonymised, result.users_unlinked) == (1, 1)
    jardins.refresh_from_db()
    assert jardins.name == f"Organisation effacée n°{jardins.pk}"
    assert (jardins.rna, jardins.siret, jardins.address, jardins.postal_code, jardins.city) == (
        ("", "", "", "", "")
    )
    assert jardins.pseudonymised_at is not None
    assert jardins.departement == "44"  # for the statistics
    assert not Contact.objects.filter(organisation=jardins).exists()

    durand.refresh_from_db()
    assert durand.email == f"efface-{durand.pk}@invalid"
    assert durand.username == f"efface-{durand.pk}"
    assert (durand.first_name, durand.last_name) == ("", "")
    assert not durand.is_active and not durand.has_usable_password()
    # Paul still acts for another organisation: only unlinked, his account is untouched.
    shared.refresh_from_db()
    assert shared.is_active and shared.email == "paul.martin@reseau.example.org"
    assert Contact.objects.filter(user=shared).count() == 1

    assert totals() == before
    assert jardins.memberships.get().status == Membership.Status.ACTIVE

    # Nowhere left: not in the organisations, users, contacts, nor Wagtail's history.
    for needle in (NAME, "Durand", "claire.durand", "Lilas", "06 12 34 56 78", "W442001234"):
        assert not Organisation.objects.filter(name__icontains=needle).exists()
        assert not User.objects.filter(email__icontains=needle).exists()
        assert not User.objects.filter(last_name__icontains=needle).exists()
        assert not Contact.objects.filter(phone__icontains=needle).exists()
        assert not ModelLogEntry.objects.filter(label__icontains=needle).exists()
    entry = ModelLogEntry.objects.get(action="members.pseudonymise")
    assert entry.user_id == admin_user.pk and entry.label == jardins.name


def test_the_erased_data_are_gone_from_the_admin_lists_and_exports(client, jardins, admin_user):
    pseudonymise_organisation(jardins, by_user=admin_user)
    client.force_login(admin_user)
    for url in (
        "/admin/members/organisation/",
        "/admin/members/organisation/?export=csv",
        "/admin/members/membership/?export=csv",
        "/admin/members/payment/?export=csv",
        f"/admin/members/organisation/inspect/{jardins.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = export_text(response)
        assert NAME not in text and "Lilas" not in text and "W442001234" not in text
    assert "Organisation effacée n°" in export_text(client.get("/admin/members/organisation/"))


def test_receipts_stay_and_other_apps_are_told(jardins, admin_user):
    from members.erasure import organisation_pseudonymised
    from members.models import Receipt

    payment = jardins.memberships.get().payments.get(status=Payment.Status.SUCCEEDED)
    receipt = Receipt.objects.create(payment=payment, year=2027, sequence=1, number="2027-0001")
    heard = []

    def listener(sender, organisation, by_user, **kwargs):
        heard.append((organisation.pk, organisation.name, by_user))

    organisation_pseudonymised.connect(listener)
    try:
        pseudonymise_organisation(jardins, by_user=admin_user)
    finally:
        organisation_pseudonymised.disconnect(listener)
    assert heard == [(jardins.pk, f"Organisation effacée n°{jardins.pk}", admin_user)]
    assert Receipt.objects.get(pk=receipt.pk).payment_id == payment.pk


def test_staff_accounts_are_only_unlinked(jardins, admin_user):
    Contact.objects.create(organisation=jardins, user=admin_user, role="other")
    result = pseudonymise_organisation(jardins, by_user=admin_user)
    assert result.users_unlinked == 2
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.email == "admin@example.com"


def test_an_organisation_is_pseudonymised_once(jardins, admin_user):
    pseudonymise_organisation(jardins, by_user=admin_user)
    with pytest.raises(AlreadyPseudonymised):
        pseudonymise_organisation(jardins, by_user=admin_user)


def test_two_erased_organisations_satisfy_the_database_constraints(jardins, admin_user):
    other = OrganisationFactory(rna="", siret="73282932000074")
    pseudonymise_organisation(jardins, by_user=admin_user)
    pseudonymise_organisation(other, by_user=admin_user)
    assert Organisation.objects.filter(pseudonymised_at__isnull=False).count() == 2


def _invite(organisation, email, invitee=None, invited_by=None):
    return ContactInvitation.invite(
        organisation, email, invitee=invitee, invited_by=invited_by, role="other",
        first_name="Léa", phone="02 40 99 99 99",
    )  # fmt: skip


def test_invitations_go_with_the_personal_data(jardins, admin_user):
    """The organisation's invitations (sent or pending) and those other organisations sent to
    an account that is anonymised are deleted; an account still in use keeps its own."""
    durand = User.objects.get(email="claire.durand@jardins.example.org")
    shared = User.objects.get(email="paul.martin@reseau.example.org")
    elsewhere = OrganisationFactory()
    own = _invite(jardins, "lea@example.org", invited_by=durand)
    to_durand = _invite(elsewhere, durand.email, invitee=durand)
    to_durand_address = _invite(OrganisationFactory(), "CLAIRE.DURAND@jardins.example.org")
    to_shared = _invite(elsewhere, shared.email, invitee=shared)

    pseudonymise_organisation(jardins, by_user=admin_user)

    remaining = set(ContactInvitation.objects.values_list("pk", flat=True))
    assert remaining == {to_shared.pk}
    assert {own.pk, to_durand.pk, to_durand_address.pk}.isdisjoint(remaining)


# --- In the admin -------------------------------------------------------------------------------


def erase_url(organisation):
    return f"/admin/members/organisation/{organisation.pk}/effacer/"


def test_staff_confirm_by_typing_the_name(client, jardins):
    officer = staff_user("view_organisation", "delete_organisation")
    client.force_login(officer)
    page = client.get(erase_url(jardins))
    assert page.status_code == 200
    html = page.content.decode()
    assert "claire.durand@jardins.example.org" in html and "définitive" in html

    wrong = client.post(erase_url(jardins), {"name": "Les Jardins"})
    assert wrong.status_code == 200
    assert "Le nom saisi ne correspond pas" in wrong.content.decode()
    assert Organisation.objects.get(pk=jardins.pk).name == NAME

    done = client.post(erase_url(jardins), {"name": "  les jardins de mme  durand "}, follow=True)
    assert done.status_code == 200
    jardins.refresh_from_db()
    assert jardins.pseudonymised_at is not None
    said = " ".join(str(m) for m in done.context["messages"])
    assert f"« {NAME} » sont effacées" in said
    assert ModelLogEntry.objects.get(action="members.pseudonymise").user_id == officer.pk
    # Done once: the list offers it no more, and the form sends back.
    assert erase_url(jardins) not in client.get("/admin/members/organisation/").content.decode()
    assert client.get(erase_url(jardins)).status_code == 302


def test_an_erased_organisation_cannot_be_edited(client, jardins, admin_user):
    pseudonymise_organisation(jardins, by_user=admin_user)
    client.force_login(admin_user)
    assert client.get(f"/admin/members/organisation/edit/{jardins.pk}/").status_code == 302


@pytest.mark.parametrize(
    "who, goes_to",
    [
        (member_user, "/admin/login/"),
        (editor_user, "/admin/"),
        (lambda: staff_user("view_organisation", "change_organisation"), "/admin/"),
    ],
)
def test_only_staff_allowed_to_delete_organisations_may_erase(client, jardins, who, goes_to):
    client.force_login(who())
    for response in (
        client.get(erase_url(jardins)),
        client.post(erase_url(jardins), {"name": NAME}),
    ):
        assert response.status_code == 302 and response["Location"].startswith(goes_to)
    jardins.refresh_from_db()
    assert jardins.name == NAME and jardins.pseudonymised_at is None
    assert Contact.objects.filter(organisation=jardins).count() == 2
