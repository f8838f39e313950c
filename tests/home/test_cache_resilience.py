"""The caches never cost correctness: content changes reach every cached layer, junk addresses
make no new entries, and a cache server that is down only makes pages slower."""

import pytest
import wagtail_factories
from django.core.cache import cache

from demo.factories.home import NewsPageFactory
from home.cache import GENERATION_KEY
from tests.caches import LAYERED, REDIS_DOWN

pytestmark = pytest.mark.django_db


def test_editing_an_image_starts_a_new_generation(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = wagtail_factories.ImageFactory()
    before = cache.get(GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        image.title = "Atelier du réseau"
        image.save()
    assert cache.get(GENERATION_KEY) != before


def test_query_strings_do_not_multiply_cached_pages(client, site_tree, settings):
    settings.PAGE_CACHE_SECONDS = 300
    client.get("/association/")
    assert client.get("/association/")["X-Page-Cache"] == "hit"
    tracked = client.get("/association/?utm_source=lettre")
    assert tracked.status_code == 200
    assert "X-Page-Cache" not in tracked
    assert "X-Page-Cache" not in client.get("/actualites/?page=abc")
    assert client.get("/actualites/?page=2")["X-Page-Cache"] == "miss"


def test_news_listing_queries_do_not_grow_with_the_news(
    client, site_tree, django_capture_on_commit_callbacks
):
    """Cold (nothing cached), the listing costs the same with 4 news items as with 10."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cold_queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/actualites/").status_code == 200
        return len(captured)

    def add_news(count):
        with django_capture_on_commit_callbacks(execute=True):  # images get their renditions
            for _ in range(count):
                image = wagtail_factories.ImageFactory()
                NewsPageFactory(parent=site_tree["news_index"], image=image)

    add_news(1)
    with_four = cold_queries()
    add_news(6)
    assert cold_queries() == with_four


def test_pages_still_answer_when_the_cache_server_is_down(client, site_tree, settings):
    # Nothing listens on port 1 of this machine: every cache call fails at once.
    settings.CACHES = {"default": REDIS_DOWN, "content": LAYERED}
    settings.PAGE_CACHE_SECONDS = 300  # Django's settings signal rebuilds the cache handler
    for path in ("/", "/association/", "/actualites/", "/health/"):
        assert client.get(path).status_code == 200, path


def test_while_redis_is_down_pages_are_not_rebuilt_on_every_request(client, site_tree, settings):
    """Each process keeps its copies a few seconds during the outage (LayeredCache): the
    database is not asked again for every request, which under load took the servers down."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from home import cache_backends

    settings.CACHES = {
        "default": REDIS_DOWN,
        "content": {**LAYERED, "LOCATION": "redis-down-test"},
    }
    try:
        for path in ("/", "/association/"):
            with CaptureQueriesContext(connection) as first:
                assert client.get(path).status_code == 200
            with CaptureQueriesContext(connection) as again:
                assert client.get(path).status_code == 200
            assert len(first) > 0, path
            # At most Wagtail's own site root paths, which it keeps in the default cache.
            others = [q["sql"] for q in again if "wagtailcore_site" not in q["sql"]]
            assert len(again) <= 1 and not others, (path, [q["sql"] for q in again])
    finally:
        cache_backends.outage.recovered()
