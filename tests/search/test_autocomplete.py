"""The header box's autocomplete, /recherche/autocomplete/: JSON titles and addresses of public
pages and open public needs, at most 8, rate limited per client, cacheable briefly."""

import pytest
from wagtail.models import PageViewRestriction

from demo.factories.forms import BoardNeedFactory
from demo.factories.home import StandardPageFactory
from forms.models import BoardNeed
from search.views import AUTOCOMPLETE_RATE

pytestmark = pytest.mark.django_db

URL = "/recherche/autocomplete/"


def test_titles_and_addresses_of_pages_and_open_needs(client, site_tree):
    page = StandardPageFactory(parent=site_tree["home"], title="Coopératives", slug="coop")
    need = BoardNeedFactory(description="Une coopérative d’habitants cherche sa présidente.")
    BoardNeedFactory(description="Coopérative fermée", status=BoardNeed.Status.CLOSED)
    BoardNeedFactory(description="Coopérative réseau", visibility=BoardNeed.Visibility.NETWORK)

    response = client.get(URL, {"q": "coopérative"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "max-age=60" in response["Cache-Control"]
    data = response.json()
    assert data["results"] == [
        {"title": "Coopératives", "url": page.url, "type": "page"},
        {"title": str(need), "url": f"/benevolat/besoins/{need.pk}/", "type": "need"},
    ]


def test_titles_are_completed_from_their_beginning(client, site_tree):
    StandardPageFactory(parent=site_tree["home"], title="Mécénat de compétences")
    titles = [item["title"] for item in client.get(URL, {"q": "mécé"}).json()["results"]]
    assert titles == ["Mécénat de compétences"]


def test_drafts_and_private_pages_are_left_out(client, site_tree):
    StandardPageFactory(parent=site_tree["home"], title="Gouvernance publique")
    draft = StandardPageFactory(parent=site_tree["home"], title="Gouvernance brouillon")
    draft.unpublish()
    private = StandardPageFactory(parent=site_tree["home"], title="Gouvernance privée")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    titles = [item["title"] for item in client.get(URL, {"q": "gouvernance"}).json()["results"]]

    assert titles == ["Gouvernance publique"]


def test_at_most_eight_results(client, site_tree):
    for n in range(12):
        StandardPageFactory(parent=site_tree["home"], title=f"Territoire {n}")
    assert len(client.get(URL, {"q": "territoire"}).json()["results"]) == 8


def test_short_or_empty_queries_answer_an_empty_list(client, site_tree):
    for q in ("", "a", "   ", "***", "\"'(*) NEAR"):
        response = client.get(URL, {"q": q})
        assert response.status_code == 200
        assert response.json()["results"] == [], q


def test_rate_limited_per_client_with_a_json_429(client, site_tree):
    for _ in range(AUTOCOMPLETE_RATE):
        assert client.get(URL, {"q": "ab"}).status_code == 200
    refused = client.get(URL, {"q": "ab"})
    assert refused.status_code == 429
    assert "error" in refused.json()
    assert refused["Retry-After"] == "60"
    assert "no-store" in refused["Cache-Control"]
    # Another client is not refused.
    other = client.get(URL, {"q": "ab"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_no_personal_data_and_one_query(client, site_tree, django_assert_num_queries):
    """One statement finds the pages (from the titles' prefix index) and the needs."""
    StandardPageFactory(parent=site_tree["home"], title="Comptes annuels")
    need = BoardNeedFactory(description="Gestion des comptes")
    need.created_by = None
    client.get(URL, {"q": "comp"})  # content types, site root paths
    with django_assert_num_queries(1):
        data = client.get(URL, {"q": "comptes"}).json()
    assert [item["type"] for item in data["results"]] == ["page", "need"]
    assert set(data["results"][0]) == {"title", "url", "type"}
    assert "@" not in str(data)


@pytest.mark.parametrize("text", ["assoc", "bénévoles", "économie so"])
def test_the_same_pages_in_the_same_order_as_wagtails_autocomplete(site_tree, text):
    from django.core.management import call_command
    from wagtail.models import Page

    from bench.search import build
    from search import database

    build(count=200, seed=5)
    call_command("update_index", verbosity=0)
    types = list(database._content_types())
    wagtail = Page.objects.live().filter(content_type_id__in=types).autocomplete(text)[:8]
    expected = [page.title for page in wagtail]
    assert len(expected) == 8
    assert [item["title"] for item in database.autocomplete(text)] == expected
