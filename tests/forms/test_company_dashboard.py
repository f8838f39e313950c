"""The company dashboard: for the company's dashboard users only, aggregated counts only."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from demo.factories.forms import (
    BoardNeedFactory,
    CompanyFactory,
    MatchFactory,
    VolunteerOfferFactory,
    VolunteerUserFactory,
)
from forms import company_dashboard
from forms.models import BoardRole, Match, VolunteerOffer

pytestmark = pytest.mark.django_db

URL = reverse("volunteering:company_dashboard")
NOW = timezone.now()
LAST_YEAR = NOW - datetime.timedelta(days=400)


def figures(section):
    """The section's figures as plain values (None: shown as « moins de 3 »)."""
    return {
        key: value.value
        for key, value in section.items()
        if isinstance(value, company_dashboard.Figure)
    }


def accepted(offer, need=None, when=NOW, ended=None):
    return MatchFactory(
        offer=offer,
        need=need or BoardNeedFactory(),
        status=Match.Status.ENDED if ended else Match.Status.ACCEPTED,
        introduced_at=when,
        accepted_at=when,
        ended_at=ended,
    )


def dashboard_user(company):
    user = User.objects.create_user("rse@entreprise.example", "rse@entreprise.example")
    company.dashboard_users.add(user)
    return user


# Permissions --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("members:login"))


def test_someone_who_follows_no_company_gets_404(client):
    company = CompanyFactory()
    employee = VolunteerOfferFactory(company=company)
    client.force_login(employee.user)  # an employee is not a dashboard user
    assert client.get(URL).status_code == 404
    staff = User.objects.create_user("admin@reseau.example", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get(URL).status_code == 404


def test_a_dashboard_user_sees_their_company_only(client):
    mine = CompanyFactory(name="Banque Coopérative de l’Ouest")
    CompanyFactory(name="Assurances du Littoral")
    client.force_login(dashboard_user(mine))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Banque Coopérative de l’Ouest" in response.text
    assert "Assurances du Littoral" not in response.text
    assert "no-store" in response["Cache-Control"]
    assert response.text.count("<h1") == 1


def test_a_user_of_several_companies_sees_one_section_each(client):
    first = CompanyFactory(name="Alpha Conseil")
    second = CompanyFactory(name="Bêta Industrie")
    user = dashboard_user(first)
    second.dashboard_users.add(user)
    client.force_login(user)
    text = client.get(URL).text
    assert re.search(r"<h2[^>]*>Alpha Conseil</h2>", text)
    assert re.search(r"<h2[^>]*>Bêta Industrie</h2>", text)


def test_only_get_is_answered(client):
    client.force_login(dashboard_user(CompanyFactory()))
    assert client.post(URL).status_code == 405


# Figures ------------------------------------------------------------------------------------


def test_figures_count_people_and_mandates(django_assert_max_num_queries):
    company = CompanyFactory()
    other = CompanyFactory()
    # Five people; one of them made two offers (counted once).
    people = [VolunteerOfferFactory(company=company) for _ in range(5)]
    VolunteerOfferFactory(company=company, user=people[0].user)
    people[4].status = VolunteerOffer.Status.WITHDRAWN
    people[4].save()
    # Three people engaged now, in 44 and 49, as treasurers (two) and president (one)…
    for offer, departement, role in [
        (people[0], "44", BoardRole.TREASURER),
        (people[1], "44", BoardRole.TREASURER),
        (people[2], "44", BoardRole.PRESIDENT),
    ]:
        accepted(offer, BoardNeedFactory(departement=departement, role=role))
    # …one mandate started last year and ended, one introduced but not yet answered,
    # one declined.
    accepted(people[3], BoardNeedFactory(departement="49"), when=LAST_YEAR, ended=NOW)
    MatchFactory(offer=people[3], status=Match.Status.INTRODUCED, introduced_at=NOW)
    MatchFactory(offer=people[1], status=Match.Status.DECLINED, introduced_at=NOW)
    MatchFactory(offer=people[0], status=Match.Status.PROPOSED)  # not introduced: not counted
    # Another company's volunteers count for it only.
    for _ in range(3):
        accepted(VolunteerOfferFactory(company=other))

    with django_assert_max_num_queries(4):
        section = company_dashboard.dashboard(company)
    assert figures(section) == {
        "registered": 5,
        "available": 4,
        "introduced": 4,  # people 0 to 3
        "engaged": 3,
        "mandates": 4,
        "mandates_this_year": 3,
        "mandates_ended": None,  # one: « moins de 3 »
    }
    assert [(row.label, row.figure.value) for row in section["by_departement"]] == [
        ("44", 3),
        (None, None),  # 49 alone (one): merged into « autres », itself too small to show
    ]
    assert [(row.label, row.figure.value) for row in section["by_role"]] == [
        ("trésorier·ère", 3),  # two plus the 49 need, a treasurer by default
        (None, None),
    ]


def test_small_counts_are_hidden_but_zero_is_shown():
    assert company_dashboard.Figure.of(0).value == 0
    assert company_dashboard.Figure.of(1).hidden
    assert company_dashboard.Figure.of(2).hidden
    assert company_dashboard.Figure.of(3).value == 3
    company = CompanyFactory()
    section = company_dashboard.dashboard(company)
    assert set(figures(section).values()) == {0}
    assert section["by_departement"] == section["by_role"] == []


def test_a_single_employee_cannot_be_recognised_on_the_page(client):
    company = CompanyFactory()
    user = VolunteerUserFactory(first_name="Philippine", last_name="Kerouédan")
    offer = VolunteerOfferFactory(
        company=company,
        user=user,
        job_title="Directrice administrative et financière",
        phone="06 12 34 56 78",
        motivation="Aider une association de quartier à Saint-Nazaire.",
    )
    accepted(offer, BoardNeedFactory(departement="44", role=BoardRole.TREASURER))
    client.force_login(dashboard_user(company))
    text = client.get(URL).text
    for private in (
        "Philippine",
        "Kerouédan",
        user.email,
        "Directrice administrative",
        "06 12 34 56 78",
        "Saint-Nazaire",
        offer.public_label,
    ):
        assert private not in text
    # One volunteer, one mandate in 44 as a treasurer: all shown as « moins de 3 ».
    assert "moins de 3" in text
    assert not re.search(r"<dd[^>]*>\s*1\s*</dd>", text)
    assert not re.search(r"<td>\s*1\s*</td>", text)
    assert "Autres départements" in text
    assert ">44<" not in text  # the département of the single mandate is not named


def test_the_page_shows_the_figures_and_explains_the_threshold(client):
    company = CompanyFactory()
    for _ in range(3):
        accepted(VolunteerOfferFactory(company=company), BoardNeedFactory(departement="85"))
    client.force_login(dashboard_user(company))
    text = client.get(URL).text
    assert re.search(r"Bénévoles engagés dans un mandat</dt>\s*<dd[^>]*>3</dd>", text)
    assert re.search(r"<th scope=\"row\">85</th><td>3</td>", text)
    assert "remplace par « moins de 3 » tout nombre entre 1 et 3 exclu" in text
