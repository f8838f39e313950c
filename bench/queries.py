"""SQL queries per public page, counted in-process with Django's test client.

Run by the harness in a subprocess with the benchmark site's environment (production settings,
page cache off), so it sees the same database and settings as the gunicorn workers:

    python -m bench.queries OUT.json

For each page, the caches are emptied (every Django cache alias: menus, site root paths,
settings, the content cache and its copy in this process; and the content-type cache), then
the page is requested twice: the first (cold) request is what a fresh worker or an emptied
cache costs, the second (warm) one what every later visitor costs.
The SQL of each request is recorded with CaptureQueriesContext.
"""

import sys

from . import module_run

PAGES = [
    "/",
    "/association/",
    "/actualites/",
    "/prix-la-part-des-autres/edition-2018/",
    "/adherer/bulletin/",
    "/recherche/?q=association",
    "/benevolat/besoins/",
]
HOST = "127.0.0.1"


def news_page_path() -> str | None:
    """The newest published news item, the one a visitor is most likely to open."""
    from home.models import NewsPage

    page = NewsPage.objects.live().public().order_by("-date", "-pk").first()
    return page.url if page else None


def count(client, path: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return {
        "status": response.status_code,
        "queries": len(captured),
        "sql": [query["sql"] for query in captured.captured_queries],
    }


def empty_caches() -> None:
    """What a fresh worker, or a cache emptied by a content change, starts from. With Redis,
    clearing empties the bench's own Redis database (bench/throwaway.py)."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    ContentType.objects.clear_cache()


def cold_and_warm(client, path: str) -> dict:
    """The page's queries with emptied caches, then at once again."""
    empty_caches()
    cold = count(client, path)
    return {"cold": cold, "warm": count(client, path)}


def measure() -> list[dict]:
    from django.test import Client

    # A page that fails is reported with its status (500) rather than stopping the count.
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    news = news_page_path()
    results = []
    for label, path in [(p, p) for p in PAGES] + [("news page", news)]:
        if path is None:
            results.append({"page": label, "path": None, "error": "no published news page"})
            continue
        results.append({"page": label, "path": path, **cold_and_warm(client, path)})
    return results


if __name__ == "__main__":
    module_run.write(measure, sys.argv[1:])
