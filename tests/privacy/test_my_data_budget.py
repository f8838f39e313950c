"""« Mes données » costs a fixed number of queries, whatever a person holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.factories.forms import VolunteerOfferFactory
from privacy import consents

pytestmark = pytest.mark.django_db

# One or two queries per section of the apps (privacy/personal_data.py) and the consents.
BUDGET = 22


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name, args", [("privacy:my_data", []), ("privacy:download", ["csv"])])
def test_my_data_queries_do_not_grow_with_what_a_person_holds(client, site_tree, url_name, args):
    offer = VolunteerOfferFactory()
    volunteer = offer.user
    consents.record("volunteering-offer", "Oui", obj=offer, user=volunteer)
    client.force_login(volunteer)
    url = reverse(url_name, args=args)
    client.get(url)
    one = _queries(client, url)
    for _ in range(3):
        more = VolunteerOfferFactory(user=volunteer)
        consents.record("volunteering-offer", "Oui", obj=more, user=volunteer)
    assert _queries(client, url) == one
    assert one <= BUDGET, one
