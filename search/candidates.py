"""What a site search finds, in one SQL statement: the live public pages and the open public
board needs whose index entry matches, each list ranked by the database and cut to `limit`,
with what the facets, the filters and the board needs' hits need (a news item's date, an
award's or a laureate's edition year, a need's role, organisation, département and text).

The statement is built around Wagtail's own pieces (modelsearch's query compilers give the
match and the score, so that the words found and the order are Wagtail's):

    WITH m AS (the matching index entries of the page types and of board needs, scored once),
    best AS (the best 2 × limit of m's page entries: CUT_FACTOR below),
    pages AS (best joined to the live pages not under a view restriction, best first, cut),
    needs AS (m joined to the open public needs, best first, cut)
    SELECT … FROM pages (+ dates and years) UNION ALL SELECT … FROM needs (+ organisation)

(The header's autocomplete asks the same statement with the pages' entries matched as
Wagtail's autocomplete matches them, from the index of the titles' words by prefix: FTS5's
own, or Wagtail's GIN index on the autocomplete tsvector.)

- SQLite: the FTS5 match scores the entries with bm25() in the one pass that finds them;
  pages are read by primary key (`p.id = CAST(m.oid AS BIGINT)`), never the other way round.
- PostgreSQL: an entry matches when its title or its body matches, or both together (the
  search's queries hold no negation, so this is exactly `title || body @@ query`, Wagtail's
  condition): each part has its GIN index (Wagtail's on the title and on the body, ours on
  `title || body`: search/migrations/0003), and concatenating two tsvectors for every row,
  which cost more than ranking them, is left for the rows neither part finds alone. The
  score (ts_rank, as Wagtail weighs it) is computed once per entry, in `m`, which both lists
  read (so it is materialised, not inlined twice), and pages are joined to it by primary key:
  no plan joins every page to every entry (Wagtail's query, joining on
  `page.id::varchar = object_id`, did that for two-word queries once the tables had
  statistics: 17 to 24 s at 10,000 pages).

Other backends (Wagtail's fallback when SQLite has no FTS5): the backend's own search, two of
them, the years read after.
"""

import datetime
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import CombinedExpression
from wagtail.models import Page, PageViewRestriction
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from awards.models import AwardEdition
from awards.pages import AwardPage, LaureatePage
from forms.models import BoardNeed
from home.models import NewsPage
from members.models import Organisation

# Only the best CUT_FACTOR × limit matching page entries are joined to the pages: joining every
# entry (9,835 for « association » among 10,000 pages) to find the live public ones cost a
# third of the statement on PostgreSQL. Drafts and restricted pages are left out after the cut;
# should they be so many among the best that fewer than `limit` pages remain, find() asks again
# without the cut.
CUT_FACTOR = 2


class PageRow(NamedTuple):
    pk: int
    title: str
    content_type_id: int
    relevance: float  # lower is better
    date: datetime.date | None  # a news item's
    award_year: int | None  # an award page's edition
    parent_award_year: int | None  # the edition of the award page a laureate is under
    url_path: str = ""

    def url(self):
        """The page's address, as Page.get_url gives it (from its url_path and the sites)."""
        return Page(id=self.pk, url_path=self.url_path, title=self.title).get_url() or ""


class NeedRow(NamedTuple):
    pk: int
    role: str
    organisation: str
    departement: str
    description: str
    created_at: datetime.date
    relevance: float


def engine(backend):
    """ "sqlite" or "postgresql" when the statement below can ask this backend's index, else
    None."""
    if connection.vendor == "sqlite":
        try:  # Wagtail defines its FTS5 backend only where SQLite has FTS5
            from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend
        except (ImportError, LookupError):
            return None
        return "sqlite" if isinstance(backend, SQLiteSearchBackend) else None
    if connection.vendor == "postgresql":
        from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

        return "postgresql" if isinstance(backend, PostgresSearchBackend) else None
    return None


def accents_ignored(backend):
    """Whether the index drops accents from the words and from the queries alike (then the
    query's unaccented form finds nothing more): SQLite's FTS5 tokenizer (unicode61) does, and
    PostgreSQL's « french_unaccent » configuration (search/migrations/0001)."""
    kind = engine(backend)
    return kind == "sqlite" or (kind == "postgresql" and backend.config == "french_unaccent")


def _entries(backend, kind, search_query, content_type_ids, autocomplete=False):
    """(sql, params) of the matching index entries of these content types: their object id
    (`oid`), content type (`ct`) and relevance (lower is better). `autocomplete`: matched as
    Wagtail's autocomplete does, on the entries' autocomplete words (the titles), the last word
    as a prefix (`search_query` is then the text typed)."""
    if autocomplete:
        compiler = backend.autocomplete_query_compiler_class(Page.objects.none(), search_query)
    else:
        compiler = backend.query_compiler_class(Page.objects.none(), search_query)
    config = compiler.get_config(backend)
    if kind == "sqlite":
        from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
        from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry

        match = MatchExpression(
            compiler.FTS_TABLE_FIELDS,
            compiler.build_search_query(normalize(compiler.query), config=config),
        )
        rank = compiler._build_rank_expression(compiler.get_search_vectors(), config)
        entries = (
            SQLiteFTSIndexEntry.objects.filter(match)
            .filter(index_entry__content_type_id__in=content_type_ids)
            .values(
                oid=F("index_entry__object_id"),
                ct=F("index_entry__content_type_id"),
                relevance=rank,  # BM25: lower is better already
            )
        )
    elif autocomplete:
        # The prefix query is answered by Wagtail's GIN index on the autocomplete tsvector.
        tsquery = compiler.build_tsquery(compiler.query, config=config)
        rank = compiler._build_rank_expression([(F("autocomplete"), 1.0)], config)
        entries = IndexEntry.objects.filter(autocomplete=tsquery)
        entries = entries.filter(content_type_id__in=content_type_ids)
        entries = entries.values(oid=F("object_id"), ct=F("content_type_id"), relevance=-rank)
    else:
        tsquery = compiler.build_tsquery(compiler.query, config=config)
        vectors = [(F("title"), F("title_norm")), (F("body"), 1.0)]
        rank = compiler._build_rank_expression(vectors, config)
        entries = matching_entries(tsquery).filter(content_type_id__in=content_type_ids)
        entries = entries.values(oid=F("object_id"), ct=F("content_type_id"), relevance=-rank)
    return entries.query.sql_with_params()


def matching_entries(tsquery):
    """PostgreSQL: the index entries whose title, body, or both together match `tsquery`."""
    from django.contrib.postgres.search import SearchVectorField

    both = CombinedExpression(F("title"), "||", F("body"), output_field=SearchVectorField())
    # The body first: it holds the words of most entries found, and ends the test sooner.
    return IndexEntry.objects.alias(title_and_body=both).filter(
        Q(body=tsquery) | Q(title=tsquery) | Q(title_and_body=tsquery)
    )


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _date(value):
    """A date from what the database gave: a date, a datetime (its UTC date, as the ORM's), or
    SQLite's text."""
    if value is None or type(value) is datetime.date:
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    return datetime.date.fromisoformat(str(value)[:10])


def find(search_query, page_types, limit, autocomplete=None):
    """([PageRow], [NeedRow]): the pages of these content types and the needs matching
    `search_query` (a modelsearch query), each list best first, at most `limit` each. With
    `autocomplete` (the text typed), the pages are those Wagtail's autocomplete finds (their
    titles' words, the last one as a prefix), the needs still those `search_query` finds."""
    backend = get_search_backend()
    kind = engine(backend)
    if kind is None:
        return _find_with_backend(backend, search_query, page_types, limit, autocomplete)
    cut = CUT_FACTOR * limit
    rows, matched = _rows(
        statement(backend, kind, search_query, page_types, limit, autocomplete, cut)
    )
    if matched > cut and sum(1 for row in rows if row[0] == 0) < limit:
        # More than `cut` of the best entries were drafts or restricted pages: all of them.
        rows, _ = _rows(statement(backend, kind, search_query, page_types, limit, autocomplete))
    pages, needs = [], []
    for source, pk, relevance, title, ct, date, year, parent_year, url_path, *need in rows:
        if source == 0:
            pages.append(
                PageRow(pk, title, ct, relevance, _date(date), year, parent_year, url_path)
            )
        else:
            organisation, departement, description, created_at = need
            needs.append(
                NeedRow(
                    pk, title, organisation, departement, description, _date(created_at), relevance
                )
            )
    # The statement's order was lost in the union: the same order again (-pk breaks ties).
    pages.sort(key=lambda row: (row.relevance, -row.pk))
    needs.sort(key=lambda row: (row.relevance, -row.pk))
    return pages, needs


# What LIMIT takes for « no limit »: PostgreSQL's NULL, SQLite's negative numbers.
NO_LIMIT = {"postgresql": None, "sqlite": -1}


def _rows(sql_and_params):
    """The statement's rows of pages and needs, and how many page entries matched."""
    with connection.cursor() as cursor:
        cursor.execute(*sql_and_params)
        rows = cursor.fetchall()
    matched = next((row[1] for row in rows if row[0] == 2), 0)
    return [row for row in rows if row[0] != 2], matched


def statement(backend, kind, search_query, page_types, limit, autocomplete=None, cut=None):
    """(sql, params) of find()'s statement (see the module's docstring): the `cut` best page
    entries are joined to the pages (None: all), and a last row (source 2) says how many
    matched."""
    need_type = ContentType.objects.get_for_model(BoardNeed).pk
    laureate_type = ContentType.objects.get_for_model(LaureatePage).pk
    if autocomplete is None:
        # One list of entries, scored once, for both.
        entries, params = _entries(backend, kind, search_query, [*page_types, need_type])
        found = f"m AS ({entries}), mp AS (SELECT * FROM m), mn AS (SELECT * FROM m)"
    else:
        entries, params = _entries(backend, kind, autocomplete, page_types, autocomplete=True)
        needs_entries, needs_params = _entries(backend, kind, search_query, [need_type])
        found = f"mp AS ({entries}), mn AS ({needs_entries})"
        params = [*params, *needs_params]
    page, news, award = _table(Page), _table(NewsPage), _table(AwardPage)
    edition, restriction = _table(AwardEdition), _table(PageViewRestriction)
    sql = f"""
        WITH {found},
        best AS (
            SELECT oid, ct, relevance FROM mp WHERE ct <> %s
            ORDER BY relevance, CAST(oid AS BIGINT) DESC
            LIMIT %s
        ),
        pages AS (
            SELECT p.id, p.title, p.path, p.url_path, p.content_type_id, mp.relevance
            FROM best mp
            JOIN {page} p ON p.id = CAST(mp.oid AS BIGINT) AND p.content_type_id = mp.ct
            WHERE p.live AND NOT EXISTS (
                SELECT 1 FROM {restriction} r JOIN {page} rp ON rp.id = r.page_id
                WHERE SUBSTR(p.path, 1, LENGTH(rp.path)) = rp.path
            )
            ORDER BY mp.relevance, p.id DESC
            LIMIT %s
        ),
        needs AS (
            SELECT b.id, b.role, b.organisation_id, b.departement, b.description, b.created_at,
                mn.relevance
            FROM mn JOIN {_table(BoardNeed)} b ON b.id = CAST(mn.oid AS BIGINT) AND mn.ct = %s
            WHERE b.status = %s AND b.visibility = %s
            ORDER BY mn.relevance, b.id DESC
            LIMIT %s
        )
        SELECT 0, pages.id, pages.relevance, pages.title, pages.content_type_id,
            n.date, ae.year, pae.year, pages.url_path, NULL, NULL, NULL, NULL
        FROM pages
        LEFT JOIN {news} n ON n.page_ptr_id = pages.id
        LEFT JOIN {award} a ON a.page_ptr_id = pages.id
        LEFT JOIN {edition} ae ON ae.id = a.edition_id
        LEFT JOIN {page} pp ON pages.content_type_id = %s
            AND pp.path = SUBSTR(pages.path, 1, LENGTH(pages.path) - %s)
        LEFT JOIN {award} pa ON pa.page_ptr_id = pp.id
        LEFT JOIN {edition} pae ON pae.id = pa.edition_id
        UNION ALL
        SELECT 1, needs.id, needs.relevance, needs.role, NULL, NULL, NULL, NULL, NULL,
            o.name, needs.departement, needs.description, needs.created_at
        FROM needs JOIN {_table(Organisation)} o ON o.id = needs.organisation_id
        UNION ALL
        SELECT 2, (SELECT COUNT(*) FROM mp WHERE ct <> %s), NULL, NULL, NULL, NULL, NULL, NULL,
            NULL, NULL, NULL, NULL, NULL
    """
    params = [
        *params,
        need_type,
        cut if cut is not None else NO_LIMIT[connection.vendor],
        limit,
        need_type,
        BoardNeed.Status.OPEN,
        BoardNeed.Visibility.PUBLIC,
        limit,
        laureate_type,
        Page.steplen,
        need_type,
    ]
    return sql, params


def _find_with_backend(backend, search_query, page_types, limit, autocomplete=None):
    """find() through the backend's own search, for the backends the statement cannot ask."""
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    pages = Page.objects.live().filter(content_type_id__in=page_types)
    if autocomplete is None:
        found = backend.search(search_query, pages)
    else:
        found = backend.autocomplete(autocomplete, pages)
    found = [p for p in found[:limit] if not any(p.path.startswith(r) for r in restricted)]
    dates = dict(NewsPage.objects.filter(pk__in=[p.pk for p in found]).values_list("pk", "date"))
    editions = dict(AwardPage.objects.values_list("path", "edition__year"))
    pages = [
        PageRow(
            page.pk,
            page.title,
            page.content_type_id,
            float(position),
            dates.get(page.pk),
            editions.get(page.path),
            editions.get(page.path[: -Page.steplen]),
            page.url_path,
        )
        for position, page in enumerate(found)
    ]
    open_needs = BoardNeed.objects.filter(
        status=BoardNeed.Status.OPEN, visibility=BoardNeed.Visibility.PUBLIC
    ).select_related("organisation")
    needs = [
        NeedRow(
            need.pk,
            need.role,
            need.organisation.name,
            need.departement,
            need.description,
            need.created_at.date(),
            float(position),
        )
        for position, need in enumerate(backend.search(search_query, open_needs)[:limit])
    ]
    return pages, needs
