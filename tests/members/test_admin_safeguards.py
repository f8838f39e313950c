"""The back office keeps the services' rules: memberships are not edited in free forms, a
tier in use is not deleted, a bad filter is no server error, exports run no formula."""

import csv
import io

import pytest

from demo.factories.members import OrganisationFactory, grid_2027
from members.models import FeeTier, Membership
from members.services import start_membership

from . import test_admin
from .test_admin import ALL, export_text, names_listed, staff_user

members_dataset = test_admin.members_dataset  # the fixture, shared

pytestmark = pytest.mark.django_db

# Wagtail's « Sorry, you do not have permission to access this area. », in French.
REFUSED = "vous n&#x27;avez pas les autorisations pour accéder à cette zone"


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def assert_refused(client, response):
    """Wagtail's answer to a PermissionDenied: back to the dashboard, with its message."""
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert REFUSED in " ".join(messages_of(client.get(response["Location"])))


# --- Memberships change only through the services -----------------------------------------------


@pytest.fixture
def membership():
    return start_membership(OrganisationFactory(name="Les Jardins Partagés"), grid_2027())


@pytest.mark.parametrize(
    "who",
    [
        "superuser",
        lambda: staff_user(
            "view_membership", "add_membership", "change_membership", "delete_membership"
        ),
    ],
)
def test_memberships_are_neither_created_edited_nor_deleted_in_the_admin(
    client, admin_user, membership, who
):
    client.force_login(admin_user if who == "superuser" else who())
    tier = membership.tier
    forged = {
        "organisation": membership.organisation_id,
        "year": 2027,
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
        "tier": tier.pk,
        "amount_cents": 1,
        "status": "active",
        "activated_at_0": "2027-01-01",
        "activated_at_1": "10:00",
    }
    for url in (
        "/admin/members/membership/create/",
        f"/admin/members/membership/edit/{membership.pk}/",
        f"/admin/members/membership/delete/{membership.pk}/",
    ):
        assert_refused(client, client.get(url))
        assert_refused(client, client.post(url, forged))
    assert Membership.objects.count() == 1
    kept = Membership.objects.get(pk=membership.pk)
    assert kept.status == Membership.Status.PENDING
    assert kept.amount_cents == 12000 and kept.activated_at is None


def test_the_membership_list_offers_inspect_and_the_actions_only(client, admin_user, membership):
    client.force_login(admin_user)
    html = client.get("/admin/members/membership/").content.decode()
    assert f"/admin/members/membership/inspect/{membership.pk}/" in html
    assert f"/admin/members/membership/{membership.pk}/paiement-recu/" in html
    for absent in ("/admin/members/membership/create/", "/membership/edit/", "/membership/delete/"):
        assert absent not in html
    inspect = client.get(f"/admin/members/membership/inspect/{membership.pk}/")
    assert inspect.status_code == 200 and "Les Jardins Partagés" in inspect.content.decode()


def test_organisations_and_grids_keep_their_forms(client, admin_user, membership):
    """Only memberships (and payments) lose the generic forms."""
    client.force_login(admin_user)
    organisation = membership.organisation
    assert client.get(f"/admin/members/organisation/edit/{organisation.pk}/").status_code == 200
    assert client.get("/admin/members/organisation/create/").status_code == 200
    assert client.get("/admin/members/feegrid/create/").status_code == 200


# --- Invalid filter values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("adhesion=abc", set(ALL)),
        ("adhesion=%C2%B2", set(ALL)),  # « ² » is a digit for Python, not for int()
        ("adhesion=99999", set(ALL)),
        ("adhesion=abc&statut_adhesion=pending", {"Épicerie Solidaire"}),
        ("adhesion=2026&statut_adhesion=nonsense", {"Les Jardins Partagés"}),
        ("adhesion=2027&statut_adhesion=%C2%B2", set(ALL)),
        (
            "statut_adhesion=active&adhesion=%C2%B2",
            {"Les Jardins Partagés", "Atelier Vélo Solidaire"},
        ),
    ],
)
def test_an_invalid_membership_filter_value_is_ignored(
    client, admin_user, members_dataset, query, expected
):
    assert names_listed(client, admin_user, f"/admin/members/organisation/?{query}") == expected


@pytest.mark.parametrize(
    "url",
    [
        "/admin/members/membership/?year=abc",
        "/admin/members/membership/?year=abc&export=csv",
        "/admin/members/payment/?membership__year=abc",
        "/admin/members/organisation/?pseudonymised_at__isempty=abc",
        "/admin/members/organisation/?employees=abc",
        "/admin/members/feegrid/?year=abc",
    ],
)
def test_a_field_filter_with_an_invalid_value_shows_the_list_unfiltered(
    client, admin_user, members_dataset, url
):
    client.force_login(admin_user)
    response = client.get(url)
    path = url.split("?")[0]
    assert response.status_code == 302 and response["Location"] == f"{path}?e=1"
    listing = client.get(response["Location"])
    assert listing.status_code == 200
    assert "Un filtre de la liste a une valeur invalide" in " ".join(messages_of(listing))


# --- A tier in use is not deleted ---------------------------------------------------------------


def grid_form_data(response):
    """What the edit page of a fee grid posts back unchanged: its fields, and its tiers."""
    form = response.context["form"]
    data = {}

    def add(bound_field):
        value = bound_field.value()
        data[bound_field.html_name] = "" if value is None else value

    for bound_field in form:
        add(bound_field)
    for formset in form.formsets.values():
        for bound_field in formset.management_form:
            add(bound_field)
        for child in formset.forms:
            for bound_field in child:
                add(bound_field)
    return data


def tier_prefix(data, label):
    return next(key.removesuffix("-label") for key, value in data.items() if value == label)


@pytest.fixture
def grid_in_use():
    """The 2027 grid: « 1 à 9 salariés » has a membership, the others none."""
    grid = grid_2027()
    start_membership(OrganisationFactory(name="Les Jardins Partagés", employees=3), grid)
    return grid


def edit_grid(client, grid, change):
    url = f"/admin/members/feegrid/edit/{grid.pk}/"
    data = grid_form_data(client.get(url))
    change(data)
    return client.post(url, data)


def test_deleting_a_tier_memberships_use_is_refused_in_french(client, admin_user, grid_in_use):
    client.force_login(admin_user)
    used = FeeTier.objects.get(label="1 à 9 salariés")

    def delete_used(data):
        data[f"{tier_prefix(data, used.label)}-DELETE"] = "1"

    response = edit_grid(client, grid_in_use, delete_used)
    assert response.status_code == 200
    html = response.content.decode()
    error = (
        "La tranche « 1 à 9 salariés » est utilisée par des adhésions : "
        "elle ne peut pas être supprimée."
    )
    assert error in html
    assert FeeTier.objects.filter(pk=used.pk).exists()
    # The page shown again has the tier back (the inline panel hides a child marked « 1 »).
    form = response.context["form"]
    child = next(f for f in form.formsets["tiers"].forms if f.instance.pk == used.pk)
    assert child["DELETE"].value() in ("", None, False)
    assert error in child.non_field_errors()


def test_nothing_is_deleted_when_one_of_the_tiers_is_in_use(client, admin_user, grid_in_use):
    client.force_login(admin_user)

    def delete_two(data):
        for label in ("1 à 9 salariés", "Sans salarié"):
            data[f"{tier_prefix(data, label)}-DELETE"] = "1"

    response = edit_grid(client, grid_in_use, delete_two)
    assert response.status_code == 200
    assert "« 1 à 9 salariés » est utilisée" in response.content.decode()
    assert "« Sans salarié » est utilisée" not in response.content.decode()
    assert grid_in_use.tiers.count() == 5


def test_a_tier_nobody_uses_can_be_deleted(client, admin_user, grid_in_use):
    client.force_login(admin_user)

    def delete_unused(data):
        data[f"{tier_prefix(data, 'Sans salarié')}-DELETE"] = "1"

    response = edit_grid(client, grid_in_use, delete_unused)
    assert response.status_code == 302
    assert set(grid_in_use.tiers.values_list("label", flat=True)) == {
        "1 à 9 salariés", "10 à 49 salariés", "50 salariés et plus", "Membre bienfaiteur",
    }  # fmt: skip


def test_a_tier_in_use_may_still_change_its_amount(client, admin_user, grid_in_use):
    """Memberships keep the amount they were given: only a deletion would break them."""
    client.force_login(admin_user)

    def raise_amount(data):
        data[f"{tier_prefix(data, '1 à 9 salariés')}-amount_cents"] = "13000"

    assert edit_grid(client, grid_in_use, raise_amount).status_code == 302
    assert FeeTier.objects.get(label="1 à 9 salariés").amount_cents == 13000
    assert Membership.objects.get().amount_cents == 12000


# --- Exports run no formula ---------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://x")'


@pytest.fixture
def formula_organisation():
    """An organisation whose member typed formulas into its name and its city."""
    organisation = OrganisationFactory(name=FORMULA, city="@SUM(1+1)", siret="")
    start_membership(organisation, grid_2027())
    from members.models import Payment
    from members.services import create_payment

    create_payment(organisation.memberships.get(), Payment.Method.TRANSFER)
    return organisation


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(export_text(response))))


def test_csv_exports_neutralise_formulas(client, admin_user, formula_organisation):
    client.force_login(admin_user)

    (organisation,) = csv_rows(client.get("/admin/members/organisation/?export=csv"))
    assert organisation["Nom"] == "'" + FORMULA
    assert organisation["Commune"] == "'@SUM(1+1)"
    assert organisation["Siret"] == "-"  # an empty cell: a lone dash, left as is
    assert organisation["Numéro Rna"].startswith("W44")  # plain text is untouched

    (membership,) = csv_rows(client.get("/admin/members/membership/?export=csv"))
    assert membership["Organisation"] == "'" + FORMULA
    assert membership["Montant (€)"] == "120.00"  # numbers stay numbers

    (payment,) = csv_rows(client.get("/admin/members/payment/?export=csv"))
    assert payment["Adhésion"] == f"'{FORMULA} — 2027"
    assert payment["Montant (€)"] == "120.00"


def test_xlsx_exports_write_formulas_as_text(client, admin_user, formula_organisation):
    from openpyxl import load_workbook

    client.force_login(admin_user)
    response = client.get("/admin/members/organisation/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet["A2"]
    assert cell.value == FORMULA and cell.data_type == "s"
