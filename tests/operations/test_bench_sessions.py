"""The bench's logged-in visitors (bench/sessions.py) on a small site: a member, a juror and a
volunteer are found, each logged in with a session the load client can send, and each of their
pages answers 200 to that session (not a redirect to the login page), its queries counted."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from bench import sessions
from demo.factories.awards import application_to_score, assign, make_juror, scoring_edition
from demo.factories.forms import MatchFactory
from demo.factories.members import OrganisationFactory, grid_2027
from members.models import Contact, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_site():
    organisation = OrganisationFactory(name="Les Jardins")
    tier = grid_2027().tiers.get(label="1 à 9 salariés")
    Membership.objects.create(
        organisation=organisation,
        year=2027,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        tier=tier,
        amount_cents=tier.amount_cents,
        status=Membership.Status.ACTIVE,
    )
    edition = scoring_edition()
    application = application_to_score(edition)
    juror = make_juror(edition)
    assign(application, juror)
    match = MatchFactory()
    return {"organisation": organisation, "application": application, "match": match}


def test_each_role_is_logged_in_and_its_pages_answer_200(small_site):
    figures = sessions.measure()
    roles = {role["role"]: role for role in figures["roles"]}
    assert set(roles) == {"member", "juror", "volunteer"}
    paths = {role: [page["path"] for page in roles[role]["pages"]] for role in roles}
    assert paths == {
        "member": [
            "/espace-membre/",
            f"/espace-membre/organisation/{small_site['organisation'].pk}/",
        ],
        "juror": ["/jury/", f"/jury/dossiers/{small_site['application'].pk}/"],
        "volunteer": ["/benevolat/mon-espace/"],
    }
    # The demo has no contact of an organisation with a membership: the bench makes one.
    assert Contact.objects.get(organisation=small_site["organisation"]).user.email == (
        sessions.MEMBER_EMAIL
    )
    assert roles["volunteer"]["user"] == small_site["match"].offer.user.email
    for role in roles.values():
        name, _, value = role["cookie"].partition("=")
        assert name == settings.SESSION_COOKIE_NAME
        # Another client, as the load client is: the cookie alone opens the pages.
        visitor = Client()
        visitor.cookies[name] = value
        for page in role["pages"]:
            assert page["cold"]["status"] == page["warm"]["status"] == 200, page["path"]
            assert 0 < page["warm"]["queries"] <= page["cold"]["queries"]
            assert visitor.get(page["path"]).status_code == 200, page["path"]
    assert Client().get("/jury/").status_code == 302  # without it, the login page


def test_a_role_the_site_has_no_user_for_is_reported_not_fatal():
    figures = sessions.measure()
    assert {role["role"]: role.get("error") for role in figures["roles"]} == {
        "member": "no organisation with a membership in the demo",
        "juror": "no juror with assignments in the demo",
        "volunteer": "no volunteer with an account in the demo",
    }
