"""The search benchmark's data, small: the pages it writes the way loaddata does are live,
reachable, indexed by update_index and found by the site search like any page."""

import pytest
from django.core.management import call_command

from bench.search import build
from search import database
from search.results import SearchQuery

pytestmark = pytest.mark.django_db


def test_generated_pages_are_live_indexed_and_found(client, site_tree):
    from home.models import NewsPage, StandardPage

    counts = build(count=40, seed=7)
    assert counts == {"standard": 28, "news": 12}
    assert StandardPage.objects.live().filter(slug__startswith="banc-standardpage-").count() == 28
    assert NewsPage.objects.live().filter(slug__startswith="banc-newspage-").count() == 12

    page = StandardPage.objects.get(slug="banc-standardpage-1")
    response = client.get(page.url)
    assert response.status_code == 200

    call_command("update_index", verbosity=0)
    results = database.search(SearchQuery(text="coopérative", per_page=100))
    generated = [hit for hit in results.hits if "/banc-" in hit.url]
    assert generated, "the generated pages are found"
    assert {hit.kind for hit in generated} == {"page", "news"}
