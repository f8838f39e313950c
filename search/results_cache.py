"""Search results kept for anonymous visitors: what the results page shows (hits with their
excerpts, facets, counts, promotions), never the response, which carries the header, the
visitor's CSRF token and so on.

An entry is keyed by
- the content generation (home.cache.cached adds it): a publication, a page made private, a
  page moved or deleted starts a new one, and every entry is forgotten at once;
- the search's own version (`VERSION_KEY`), replaced when what a search shows changes without a
  publication: a board need (opened, closed, edited, its organisation renamed or erased, its
  skills), the fee grid the bulletin is found by, the editors' promoted results;
- the language, and a digest of the query's text (as the page received it: spaces collapsed, at
  most MAX_QUERY_LENGTH characters), its filters and its page number: keys have one length
  whatever was typed.

Not kept: searches by logged-in people (they are few, and the rule for personal pages is that
nothing of theirs is shared), queries longer than MAX_CACHED_QUERY_LENGTH or pages past
MAX_CACHED_PAGE (each junk query or page number would make an entry of its own), and answers
from Elasticsearch: its index follows a publication through a task run after the commit, so an
answer computed in between would be kept under the new generation without the new page.

Suggestions (offered when nothing is found) are not kept with the results: the trusted queries
change with each visitor counted and each decision of the staff, and must show at once, so the
page reads them each time (one query). What is kept is whether each one finds something, which
depends on the content only (`finder`).

Whatever is kept, the views still log every search (search.query_log, Wagtail's statistics).
"""

import hashlib
import json
import time

from django.core.cache import cache
from django.db import transaction

from home.cache import MAX_CACHED_PAGE, cached

from . import database

VERSION_KEY = "search-results-version"
MAX_CACHED_QUERY_LENGTH = 100


def version():
    return cache.get(VERSION_KEY, 0)


def _new_version():
    cache.set(VERSION_KEY, time.time_ns(), None)


def forget_results():
    """Every kept search result is forgotten, once the change is committed (a search computed
    meanwhile could keep the old state under the new version)."""
    transaction.on_commit(_new_version)


def _key(name, asked):
    digest = hashlib.sha256(json.dumps(asked).encode()).hexdigest()[:40]
    return f"{name}:{version()}:{digest}"


def results_key(query):
    """The entry's key for this query, or None when it is not kept."""
    if not query.text or len(query.text) > MAX_CACHED_QUERY_LENGTH:
        return None
    if not 1 <= query.page <= MAX_CACHED_PAGE:
        return None
    asked = [
        query.text,
        query.kind,
        query.year,
        query.territory,
        query.page,
        query.per_page,
        query.language,
    ]
    return _key("search-results", asked)


def kept_results(request, query, compute):
    """compute() through the cache when the request and the query may share it."""
    key = results_key(query)
    if key is None or request.user.is_authenticated:
        return compute()
    return cached(key, compute, request)


def finder(request):
    """database.finds_anything, through the cache for anonymous visitors."""
    if request.user.is_authenticated:
        return database.finds_anything

    def finds_anything(text):
        if len(text) > MAX_CACHED_QUERY_LENGTH:
            return database.finds_anything(text)
        key = _key("search-finds", [text])
        return cached(key, lambda: database.finds_anything(text), request)

    return finds_anything
