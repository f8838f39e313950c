"""Wagtail's database search backend (WAGTAILSEARCH_BACKENDS["default"]), with one change on
SQLite: results ranked by relevance in one pass over the FTS5 index.

Wagtail's SQLite backend orders by a score computed in a correlated subquery, which runs the
FTS5 match once per matching row: a search that matches thousands of pages took seconds
(`make bench`, 10,000 pages). Here the match runs once, giving every matching object's score;
the searched queryset is filtered with the same match (one uncorrelated subquery), sorted in
Python by (score, -pk) as Wagtail sorts, and only the requested slice is loaded. Counting,
facets, unranked searches and the other databases are Wagtail's own code, unchanged. The
ranked classes live in search/sqlite_ranking.py.
"""

from django.db import connection
from modelsearch.backends.database import SearchBackend as wagtail_database_backend


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in a backend module)
    backend = wagtail_database_backend(params)
    if connection.vendor != "sqlite":
        return backend
    # Only on SQLite: these modules read SQLite's own search tables when they are imported.
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    from .sqlite_ranking import RankedSQLiteSearchBackend

    # Wagtail's fallback backend (SQLite without FTS5) is kept as it is.
    return RankedSQLiteSearchBackend(params) if type(backend) is SQLiteSearchBackend else backend
