"""Staff follow organisations, memberships and payments in Wagtail's admin, with CSV export."""

import pytest
from django.contrib.auth.models import Group, User

from demo.factories.members import OrganisationFactory, grid_2027

pytestmark = pytest.mark.django_db


def test_staff_list_and_export_organisations(client, admin_user):
    OrganisationFactory(name="Les Jardins Partagés", departement="44")
    OrganisationFactory(name="Atelier Vélo Solidaire", departement="85")
    client.force_login(admin_user)
    listing = client.get("/admin/members/organisation/?departement=44")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Les Jardins Partagés" in html and "Atelier Vélo Solidaire" not in html

    export = client.get("/admin/members/organisation/?export=csv")
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode() if export.streaming else export.content
    body = body if isinstance(body, str) else body.decode()
    assert "Les Jardins Partagés" in body and "Atelier Vélo Solidaire" in body


def test_fee_grid_is_edited_with_its_tiers(client, admin_user):
    grid = grid_2027()
    client.force_login(admin_user)
    response = client.get(f"/admin/members/feegrid/edit/{grid.pk}/")
    assert response.status_code == 200
    assert "Membre bienfaiteur" in response.content.decode()


def test_editors_without_permission_see_no_member_data(client):
    OrganisationFactory(name="Confidentielle")
    editor = User.objects.create_user("edith", "edith@example.org", "motdepasse-solide-42")
    editor.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(editor)
    response = client.get("/admin/members/organisation/")
    assert response.status_code in (302, 403)
    assert "Confidentielle" not in response.content.decode()


# --- Helpers shared by the back-office tests (test_admin_payments, test_erasure) ---------------

PASSWORD = "un-mot-de-passe-solide-42"


def staff_user(*codenames, username="gaelle"):
    """A staff member with access to Wagtail's admin and these permissions of `members`."""
    from django.contrib.auth.models import Permission

    user = User.objects.create_user(username, f"{username}@reseau.example.org", PASSWORD)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="members", codename__in=codenames),
    )
    return User.objects.get(pk=user.pk)  # a fresh object: no stale permission cache


def member_user(username="marie"):
    """A member's account: no access to the admin at all."""
    return User.objects.create_user(username, f"{username}@asso.example.org", PASSWORD)


def editor_user():
    """An editor of the site (Wagtail's « Moderators »): the admin, but no member data."""
    user = User.objects.create_user("edith", "edith@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def grid_for(year):
    """A fee grid for any year (the dashboard counts the current one)."""
    from members.models import FeeGrid, FeeTier

    grid = FeeGrid.objects.create(year=year)
    for order, (label, low, high, cents) in enumerate(
        [
            ("Sans salarié", 0, 1, 5000),
            ("1 à 9 salariés", 1, 10, 12000),
            ("10 et plus", 10, None, 30000),
        ]
    ):
        FeeTier.objects.create(
            grid=grid, label=label, order=order, basis="employees",
            minimum=low, maximum=high, amount_cents=cents,
        )  # fmt: skip
    return grid


def export_text(response):
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def paid_membership(organisation, grid, method="cheque", cents=None):
    """An active membership paid by `method`, through the services."""
    from django.utils import timezone

    from members.services import (
        confirm_payment,
        create_payment,
        record_offline_payment,
        start_membership,
    )

    membership = start_membership(organisation, grid)
    if method in ("transfer", "cheque"):
        record_offline_payment(
            membership, method=method, amount_cents=cents or membership.amount_cents,
            received_at=timezone.now(), recorded_by=None,
        )  # fmt: skip
    else:
        confirm_payment(create_payment(membership, method).pk)
    membership.refresh_from_db()
    return membership


# --- Filters, search, export -------------------------------------------------------------------


@pytest.fixture
def members_dataset():
    """Two years of memberships in two départements, by several methods."""
    from members.models import Payment
    from members.services import create_payment, start_membership

    grid = grid_2027()
    older = grid_for(2026)
    jardins = OrganisationFactory(name="Les Jardins Partagés", departement="44", employees=3)
    velo = OrganisationFactory(name="Atelier Vélo Solidaire", departement="85", employees=0)
    epicerie = OrganisationFactory(name="Épicerie Solidaire", departement="44", employees=20)
    paid_membership(jardins, grid, "cheque")
    paid_membership(velo, grid, "card")
    paid_membership(jardins, older, "transfer")
    pending = start_membership(epicerie, grid)
    create_payment(pending, Payment.Method.TRANSFER)
    return {"jardins": jardins, "velo": velo, "epicerie": epicerie, "pending": pending}


def rows_of(response, model="membership"):
    """The pks of the rows of a modeladmin list (each row links to its edit or inspect view)."""
    import re

    html = response.content.decode()
    return set(re.findall(rf"/admin/members/{model}/(?:edit|inspect)/(\d+)/", html))


def names_in(html, *names):
    return {name for name in names if name in html}


ALL = ("Les Jardins Partagés", "Atelier Vélo Solidaire", "Épicerie Solidaire")


def names_listed(client, admin_user, url):
    """Which of the dataset's organisations the admin list at `url` shows to staff."""
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    return names_in(response.content.decode(), *ALL)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("year=2027", set(ALL)),
        ("year=2026", {"Les Jardins Partagés"}),
        ("year=2027&status__exact=pending", {"Épicerie Solidaire"}),
        ("status__exact=active&organisation__departement=44", {"Les Jardins Partagés"}),
        ("tier__label=Sans+salari%C3%A9", {"Atelier Vélo Solidaire"}),
        ("payments__method__exact=card", {"Atelier Vélo Solidaire"}),
        ("q=jardins", {"Les Jardins Partagés"}),
    ],
)
def test_memberships_filter_by_year_status_tier_departement_and_method(
    client, admin_user, members_dataset, query, expected
):
    assert names_listed(client, admin_user, f"/admin/members/membership/?{query}") == expected


def test_memberships_search_a_payment_reference(client, admin_user, members_dataset):
    reference = members_dataset["pending"].payments.get().reference
    client.force_login(admin_user)
    html = client.get(f"/admin/members/membership/?q={reference}").content.decode()
    assert names_in(html, *ALL) == {"Épicerie Solidaire"}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("method__exact=cheque", {"Les Jardins Partagés"}),
        ("status__exact=pending", {"Épicerie Solidaire"}),
        ("membership__year=2026", {"Les Jardins Partagés"}),
        ("membership__organisation__departement=85", {"Atelier Vélo Solidaire"}),
        ("membership__tier__label=10+et+plus", set()),
        ("q=v%C3%A9lo", {"Atelier Vélo Solidaire"}),
    ],
)
def test_payments_filter_by_year_status_method_tier_and_departement(
    client, admin_user, members_dataset, query, expected
):
    assert names_listed(client, admin_user, f"/admin/members/payment/?{query}") == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("adhesion=2026", {"Les Jardins Partagés"}),
        ("adhesion=2027", set(ALL)),
        ("adhesion=2027&statut_adhesion=pending", {"Épicerie Solidaire"}),
        ("adhesion=2026&statut_adhesion=pending", set()),
        ("statut_adhesion=active&departement=44", {"Les Jardins Partagés"}),
    ],
)
def test_organisations_filter_by_membership_year_and_status(
    client, admin_user, members_dataset, query, expected
):
    assert names_listed(client, admin_user, f"/admin/members/organisation/?{query}") == expected


def test_exports_say_amounts_in_euros_and_statuses_in_words(client, admin_user, members_dataset):
    client.force_login(admin_user)
    memberships = export_text(client.get("/admin/members/membership/?year=2027&export=csv"))
    header = memberships.splitlines()[0]
    assert "Département" in header and "Montant (€)" in header
    assert "Épicerie Solidaire" in memberships and "300.00" in memberships
    assert "En attente de paiement" in memberships

    payments = export_text(client.get("/admin/members/payment/?method__exact=cheque&export=csv"))
    assert "Chèque" in payments and "120.00" in payments and "Reçu" in payments
    assert "Atelier Vélo Solidaire" not in payments


def test_payments_change_only_through_the_actions(client, admin_user, members_dataset):
    """No free editing of a payment's status or amount: the services keep them consistent."""
    payment = members_dataset["pending"].payments.get()
    client.force_login(admin_user)
    assert client.get("/admin/members/payment/create/").status_code == 302
    assert client.get(f"/admin/members/payment/edit/{payment.pk}/").status_code == 302
    assert client.get(f"/admin/members/payment/inspect/{payment.pk}/").status_code == 200


# --- Dashboard ---------------------------------------------------------------------------------


def test_current_membership_year_follows_the_settings():
    import datetime

    from members.models import MembershipSettings
    from members.renewals import current_membership_year

    assert current_membership_year(datetime.date(2027, 8, 31)) == 2027
    settings = MembershipSettings.load()
    settings.year_start_month = 9
    settings.save()
    assert current_membership_year(datetime.date(2027, 8, 31)) == 2026
    assert current_membership_year(datetime.date(2027, 9, 1)) == 2027


@pytest.fixture
def this_year_dataset():
    """The current year: 2 active (120 € by card, 50 € by cheque), 1 pending (300 €), 1
    refunded then cancelled (120 €); and last year's 300 €, which does not count."""
    from members.renewals import current_membership_year
    from members.services import create_payment, refund_payment, start_membership

    year = current_membership_year()
    grid, last_year = grid_for(year), grid_for(year - 1)
    paid_membership(OrganisationFactory(employees=3), grid, "card")
    paid_membership(OrganisationFactory(employees=0), grid, "cheque")
    pending = start_membership(OrganisationFactory(employees=12), grid)
    create_payment(pending, "transfer")
    refunded = paid_membership(OrganisationFactory(employees=5), grid, "transfer")
    refund_payment(refunded.payments.get().pk)
    paid_membership(OrganisationFactory(employees=12), last_year, "cheque")
    return year


def test_dashboard_figures_are_exact(this_year_dataset, django_assert_max_num_queries):
    from members.admin_views import MembersDashboardPanel, dashboard_figures

    assert dashboard_figures(this_year_dataset) == {
        "year": this_year_dataset,
        "active": 2,
        "pending": 1,
        "expected_cents": 12000 + 5000 + 30000,
        "collected_cents": 12000 + 5000,
        "refunded_cents": 12000,
        "percent": 36,
    }
    # The settings, memberships, payments; the dues by month, the members by tier and by
    # département for the charts.
    with django_assert_max_num_queries(6):
        MembersDashboardPanel().get_context_data({})


def test_dashboard_charts_count_the_dues_by_month_and_the_members(this_year_dataset):
    from members.admin_views import dashboard_charts

    charts = dashboard_charts(this_year_dataset)
    assert sum(value for _month, value in charts["dues_rows"]) == 170  # 120 € and 50 €, net
    assert sorted(n for _tier, n in charts["tier_rows"]) == [1, 1]  # the two active members
    assert sum(n for _dep, n in charts["departement_rows"]) == 2
    assert len(charts["dues_chart"]["bars"]) == len(charts["dues_rows"])


def test_dashboard_panel_on_the_admin_home(client, admin_user, this_year_dataset):
    year = this_year_dataset
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert f"Adhésions {year}" in html
    assert "170\u00a0€" in html and "470\u00a0€" in html and "(36&nbsp;%)" in html
    assert "Cotisations encaissées par mois" in html and 'role="img"' in html
    assert f"/admin/members/membership/?year={year}&amp;status__exact=active" in html
    assert f"/admin/members/payment/?membership__year={year}&amp;status__exact=succeeded" in html
    # The links land on the lists the figures count.
    active = client.get(f"/admin/members/membership/?year={year}&status__exact=active")
    assert len(rows_of(active)) == 2
    live = client.get(f"/admin/members/membership/?year={year}&status__in=pending,active,expired")
    assert len(rows_of(live)) == 3


def test_editors_see_no_dashboard_figures(client, this_year_dataset):
    client.force_login(editor_user())
    html = client.get("/admin/").content.decode()
    assert "members-dashboard" not in html
