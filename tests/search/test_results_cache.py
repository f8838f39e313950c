"""Search results kept for anonymous visitors (search/results_cache.py): a repeated search costs
no query, a publication or a change to a need shows at once, every search is still counted, and
logged-in people, long queries and Elasticsearch's answers are never kept."""

import pytest
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from demo.factories.forms import BoardNeedFactory
from demo.factories.home import StandardPageFactory
from demo.factories.members import UserFactory
from forms.models import BoardNeed
from home.cache import invalidate_page_cache
from search.models import SearchTerm
from search.query_log import record_search

pytestmark = pytest.mark.django_db

URL = "/recherche/"


def titles(response):
    return [hit.title for hit in response.context["results"].hits]


@pytest.fixture
def found(site_tree):
    StandardPageFactory(parent=site_tree["home"], title="Jardins partagés", introduction="jardins")
    return BoardNeedFactory(description="Des jardins à Nantes", departement="44")


def test_a_repeated_search_costs_no_query(client, found, django_assert_num_queries):
    first = client.get(URL, {"q": "jardins"})
    with django_assert_num_queries(0):
        again = client.get(URL, {"q": "jardins"})
    assert titles(again) == titles(first) == ["Jardins partagés", str(found)]
    html = again.content.decode()
    assert "<mark>jardins</mark>" in html
    assert 'href="?q=jardins&amp;territoire=44">44' in html
    assert "2 résultats pour « jardins »" in html


def test_each_filter_and_page_has_its_own_entry(client, found):
    client.get(URL, {"q": "jardins"})
    assert titles(client.get(URL, {"q": "jardins", "type": "need"})) == [str(found)]
    assert titles(client.get(URL, {"q": "jardins", "type": "page"})) == ["Jardins partagés"]
    assert titles(client.get(URL, {"q": "jardins", "territoire": "85"})) == []
    assert client.get(URL, {"q": "jardins", "page": 2}).context["results"].page == 1
    english = client.get("/en" + URL, {"q": "jardins"}).content.decode()
    assert "2 results for" in english


def test_a_publication_shows_at_once(client, site_tree, found, django_capture_on_commit_callbacks):
    client.get(URL, {"q": "jardins"})
    page = StandardPageFactory(
        parent=site_tree["home"], title="Jardins ouvriers", introduction="jardins", live=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()  # starts a new content generation after the commit
    assert "Jardins ouvriers" in titles(client.get(URL, {"q": "jardins"}))


def test_a_new_content_generation_forgets_every_result(client, site_tree, found):
    client.get(URL, {"q": "jardins"})
    StandardPageFactory(parent=site_tree["home"], title="Jardins d’hiver", introduction="x")
    assert "Jardins d’hiver" not in titles(client.get(URL, {"q": "jardins"}))  # kept
    invalidate_page_cache()
    assert "Jardins d’hiver" in titles(client.get(URL, {"q": "jardins"}))


def test_a_closed_need_leaves_the_results_at_once(
    client, found, django_capture_on_commit_callbacks
):
    assert str(found) in titles(client.get(URL, {"q": "jardins"}))
    with django_capture_on_commit_callbacks(execute=True):
        found.status = BoardNeed.Status.CLOSED
        found.save()
    assert titles(client.get(URL, {"q": "jardins"})) == ["Jardins partagés"]


def test_suggestions_follow_the_trusted_queries_at_once(
    client, site_tree, django_assert_max_num_queries
):
    """Read each time (one query): a query crossing the threshold or blocked by staff shows or
    leaves at once; whether each finds something is kept."""
    StandardPageFactory(
        parent=site_tree["home"], title="Mécénat", introduction="Le mécénat culturel."
    )
    for address in ("192.0.2.1", "192.0.2.2"):
        record_search("mécénat culturel", address)
    assert client.get(URL, {"q": "qwzx culturel"}).context["results"].suggestions == []
    record_search("mécénat culturel", "192.0.2.3")
    suggested = client.get(URL, {"q": "qwzx culturel"}).context["results"].suggestions
    assert suggested == ["mécénat culturel"]  # checked once: it finds the page…
    with django_assert_max_num_queries(1):  # …which is kept
        response = client.get(URL, {"q": "qwzx culturel"})
    assert response.context["results"].suggestions == ["mécénat culturel"]
    SearchTerm.objects.filter(text="mécénat culturel").update(status=SearchTerm.Status.BLOCKED)
    with django_assert_max_num_queries(1):
        response = client.get(URL, {"q": "qwzx culturel"})
    assert response.context["results"].suggestions == []


def test_a_new_promotion_shows_at_once(
    client, site_tree, found, django_capture_on_commit_callbacks
):
    client.get(URL, {"q": "jardins"})
    with django_capture_on_commit_callbacks(execute=True):
        SearchPromotion.objects.create(
            query=Query.get("jardins"),
            external_link_url="https://example.org/jardins",
            external_link_text="Le guide des jardins",
            sort_order=0,
        )
    assert "Le guide des jardins" in client.get(URL, {"q": "jardins"}).content.decode()


def test_searches_served_from_the_cache_are_still_counted(client, found):
    for _ in range(3):
        client.get(URL, {"q": "jardins"}, HTTP_SEC_FETCH_SITE="same-origin")
    assert sum(Query.objects.get().daily_hits.values_list("hits", flat=True)) == 3
    assert SearchTerm.objects.get().text == "jardins"
    assert SearchTerm.objects.get().visits.count() == 1  # one visitor, counted once


def test_logged_in_searches_are_not_kept(client, found, django_assert_max_num_queries):
    client.force_login(UserFactory())
    client.get(URL, {"q": "jardins"})
    with django_assert_max_num_queries(30) as captured:
        client.get(URL, {"q": "jardins"})
    assert any("indexentry" in q["sql"] for q in captured.captured_queries)


@pytest.mark.parametrize("text", ["jardins " * 15, "jardins"])
def test_long_queries_and_far_pages_are_not_kept(client, found, text):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    params = {"q": text.strip(), "page": 101 if text == "jardins" else 1}
    client.get(URL, params)
    with CaptureQueriesContext(connection) as captured:
        client.get(URL, params)
    assert any("indexentry" in q["sql"] for q in captured.captured_queries)


def test_elasticsearch_answers_are_not_kept(client, found, settings, monkeypatch):
    from search import elastic
    from search.results import SearchResults

    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    calls = []

    def answer(query):
        calls.append(query.text)
        return SearchResults(query=query.text, hits=[], total=0, backend="elasticsearch")

    monkeypatch.setattr(elastic, "search", answer)
    client.get(URL, {"q": "jardins"})
    client.get(URL, {"q": "jardins"})
    assert calls == ["jardins", "jardins"]
