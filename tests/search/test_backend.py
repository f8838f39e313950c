"""The search backend: Wagtail's database backend, ranked in one pass on SQLite
(search/backend.py). The ranked results must be Wagtail's own, in the same order, whatever the
slice, for searches and for autocomplete."""

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import PlainText

from bench.search import build

pytestmark = pytest.mark.django_db
PARAMS = {"SEARCH_CONFIG": "french_unaccent"}


def test_the_site_uses_the_ranked_backend_on_sqlite_only():
    name = type(get_search_backend()).__name__
    if connection.vendor == "sqlite":
        assert name == "RankedSQLiteSearchBackend"
    else:
        assert name == "PostgresSearchBackend"


@pytest.mark.sqlite
@pytest.mark.parametrize("text", ["associations", "bénévoles", "économie sociale nantes"])
def test_ranked_results_are_wagtails_in_the_same_order(site_tree, text):
    # Imported here: Wagtail's FTS5 model exists only on SQLite.
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    from search.sqlite_ranking import RankedSQLiteSearchBackend

    build(count=200, seed=3)
    call_command("update_index", verbosity=0)
    pages = Page.objects.live()
    query = PlainText(text, operator="and")
    for start, stop in ((0, 500), (5, 25)):
        wagtail = SQLiteSearchBackend(PARAMS).search(query, pages)[start:stop]
        ranked = RankedSQLiteSearchBackend(PARAMS).search(query, pages)[start:stop]
        expected = [page.pk for page in wagtail]
        assert len(expected) > 10  # enough results for the order to mean something
        assert [page.pk for page in ranked] == expected
    scored = RankedSQLiteSearchBackend(PARAMS).search(query, pages).annotate_score("_score")
    first = list(scored[:3])
    assert all(page._score is not None for page in first)
    assert first[0]._score <= first[1]._score <= first[2]._score  # BM25: lower is better
    wagtail = SQLiteSearchBackend(PARAMS).autocomplete("assoc", pages)[:8]
    ranked = RankedSQLiteSearchBackend(PARAMS).autocomplete("assoc", pages)[:8]
    assert [page.pk for page in ranked] == [page.pk for page in wagtail]


@pytest.mark.parametrize("text", ["associations", "bénévoles", "économie sociale nantes"])
def test_the_search_statement_keeps_wagtails_order(site_tree, text):
    """search/candidates.py asks the index in one statement: the same pages and needs, in the
    same order, as Wagtail's backend finds them, on SQLite and on PostgreSQL."""
    from demo.factories.forms import BoardNeedFactory
    from forms.models import BoardNeed
    from search import candidates, database

    build(count=200, seed=3)
    for n in range(12):
        BoardNeedFactory(
            description=f"Les bénévoles des associations de l’économie sociale {n} à Nantes"
        )
    call_command("update_index", verbosity=0)
    types = list(database._content_types())
    query = database._search_query(text)
    backend = get_search_backend()
    pages = Page.objects.live().filter(content_type_id__in=types)
    needs = BoardNeed.objects.filter(
        status=BoardNeed.Status.OPEN, visibility=BoardNeed.Visibility.PUBLIC
    )
    for limit in (500, 7):
        found_pages, found_needs = candidates.find(query, types, limit)
        assert [row.pk for row in found_pages] == [
            p.pk for p in backend.search(query, pages)[:limit]
        ]
        assert [row.pk for row in found_needs] == [
            n.pk for n in backend.search(query, needs)[:limit]
        ]
        assert len(found_pages) > 5 and found_needs


@pytest.mark.postgresql
def test_postgresql_can_match_through_gin_indexes_alone(site_tree):
    """The search's condition on PostgreSQL (title, body, or both together) fits three GIN
    indexes: Wagtail's on the title and on the body, and ours on `title || body`
    (search/migrations/0003). Sequential scans are ruled out here, the only other way to
    answer it; the planner chooses the indexes by itself for selective queries on a real
    table (the bench: a word no page has, 32 ms -> 2 ms at 10,000 pages)."""
    from django.db import transaction

    from search import candidates, database

    build(count=30, seed=3)
    call_command("update_index", verbosity=0)
    backend = get_search_backend()
    compiler = backend.query_compiler_class(
        Page.objects.none(), database._search_query("zzqxw coopérative")
    )
    tsquery = compiler.build_tsquery(compiler.query, config=backend.config)
    sql, params = candidates.matching_entries(tsquery).values("pk").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "BitmapOr" in plan and "Seq Scan" not in plan
    for index in ("wagtailsear_title_9caae0_gin", "wagtailsear_body_90c85d_gin"):
        assert f"Bitmap Index Scan on {index}" in plan
    assert "Bitmap Index Scan on search_indexentry_title_body_gin" in plan
