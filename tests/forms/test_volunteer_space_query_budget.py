"""« Mon espace bénévolat » costs a fixed number of queries, whatever the number of the person's
offers, of their associations' needs, and of the matches of each: the same with 2 rows as
with 20.

Measured on a second request, the site's shared parts (identity, footer links) being cached by
the first, as they are for every visitor but the first after a content change."""

import pytest
from django.urls import reverse

from demo.factories.forms import (
    BoardNeedFactory,
    CompanyFactory,
    MatchFactory,
    SkillFactory,
    VolunteerOfferFactory,
    VolunteerUserFactory,
)
from demo.factories.members import OrganisationFactory
from forms.models import Match
from members.models import Contact

pytestmark = pytest.mark.django_db

# The session, its user; Wagtail's user bar asks whether the user may enter the admin (their
# own permissions, then their groups'): these four come with every logged-in page.
LOGGED_IN = 4
# The person's offers (with their company), the matches shown to the volunteer (with their
# need and its association); their associations' needs (with the association, the contacts
# read in a subquery), these needs' introduced matches (with the offer, its volunteer and
# company), the skills of those offers (with the skill).
MY_SPACE = LOGGED_IN + 5


@pytest.mark.parametrize("n", [2, 20], ids=["2 rows", "20 rows"])
def test_my_space_costs_the_same_whatever_the_offers_needs_and_matches(
    client, n, django_assert_num_queries
):
    """Camille has `n` offers, each introduced to another association's need (and one
    interest of theirs not yet introduced); Camille's two associations have `n` needs, each
    introduced to another volunteer, anonymous or not, some accepted by both sides."""
    finance = SkillFactory(name="Finance", slug="finance")
    law = SkillFactory(name="Droit", slug="droit")
    company = CompanyFactory(name="Banque Coopérative")
    camille = VolunteerUserFactory()
    associations = [OrganisationFactory(name=f"Notre association {i}") for i in range(2)]
    for association in associations:
        Contact.objects.create(organisation=association, user=camille, role="president")
    for i in range(n):
        offer = VolunteerOfferFactory(
            user=camille, company=company if i % 2 else None, with_skills={finance: 2}
        )
        MatchFactory(
            offer=offer,
            need__organisation__name=f"Association accueillante {i}",
            status=Match.Status.INTRODUCED,
        )
    MatchFactory(
        offer=offer,
        need__organisation__name="Association intéressante",
        origin=Match.Origin.INTEREST,
        interest_message="Je serais ravie d’aider.",
    )
    for i in range(n):
        need = BoardNeedFactory(organisation=associations[i % 2], with_skills={finance: 2})
        volunteer = VolunteerOfferFactory(
            company=company,
            anonymous=bool(i % 2),
            last_name=f"Bénévole{i}",
            with_skills={finance: 2, law: 3},
        )
        both = i % 3 == 0
        MatchFactory(
            need=need,
            offer=volunteer,
            status=Match.Status.ACCEPTED if both else Match.Status.INTRODUCED,
            association_answer=Match.Answer.ACCEPTED if both else "",
            volunteer_answer=Match.Answer.ACCEPTED if both else "",
        )
    client.force_login(camille)
    url = reverse("volunteering:my_space")
    client.get(url)
    with django_assert_num_queries(MY_SPACE):
        response = client.get(url)
    html = response.content.decode()
    for i in range(n):
        assert f"Association accueillante {i}" in html
    assert "Association intéressante" in html
    assert html.count("Droit (") == n  # every volunteer's skills, revealed or not
    for i in range(n):
        # Named if not anonymous, or once both accepted; « Bénévole n° … » otherwise.
        revealed = i % 2 == 0 or i % 3 == 0
        assert (f"Camille Bénévole{i}<" in html) is revealed
