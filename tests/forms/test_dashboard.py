"""The volunteering funnel on the admin's dashboard: offers, proposals, introductions, accepted."""

import pytest

from demo.factories.forms import MatchFactory, VolunteerOfferFactory
from demo.factories.members import UserFactory
from forms.dashboard import funnel
from forms.models import Match, VolunteerOffer

pytestmark = pytest.mark.django_db


def test_the_funnel_counts_each_step(client):
    MatchFactory(status=Match.Status.PROPOSED)
    MatchFactory(status=Match.Status.INTRODUCED)
    MatchFactory(status=Match.Status.ACCEPTED)
    MatchFactory(status=Match.Status.ENDED)
    VolunteerOfferFactory(status=VolunteerOffer.Status.WITHDRAWN)
    assert [n for _step, n in funnel()] == [4, 4, 3, 2]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/admin/").content.decode()
    assert "Bénévolat de gouvernance" in page and "Mises en relation" in page
