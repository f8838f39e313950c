"""Site search on Wagtail's database backend (SQLite FTS5, or PostgreSQL's full text with the
« french_unaccent » configuration).

One SQL statement finds the public pages and the open public board needs, each list cut to the
MAX_HITS most relevant (search/candidates.py) with what the facets and filters need: the facets
are counted and the filters applied on those lists in Python. Then the shown page of results
(ten hits) reads its pages' text for the excerpts, one query per page type shown; the needs'
hits come from the statement's rows. A search costs the same few queries whatever the number of
results.

Accents: SQLite's FTS5 tokenizer and the « french_unaccent » configuration drop them on both
sides. On another configuration (PostgreSQL's « french » keeps them) the query is also run in
its unaccented form, and board needs index an unaccented copy of their words
(BoardNeed.search_text).
"""

import functools
import html
import re
import unicodedata

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.rich_text import get_text_for_indexing
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Or, PlainText

from awards.pages import AwardPage, LaureatePage
from forms.models import BoardNeed
from forms.pages import FormPage
from home.cache import content_generation
from home.models import NewsPage, StandardPage
from impact.pages import ImpactPage
from members.models import Organisation
from members.pages import MembershipPage

from . import candidates
from .query_log import suggestable
from .results import KINDS, Facet, Hit, SearchQuery, SearchResults

MAX_HITS = 500  # the most relevant results kept per search: facets count within them
EXCERPT_LENGTH = 220
MAX_SUGGESTION_CHECKS = 4  # bounds the queries of an empty result page
MAX_LOGGED_CANDIDATES = 20  # trusted logged queries read to find ones sharing a word
# Every public page type, with the kind it is shown and filtered as.
PAGE_KINDS = {
    StandardPage: "page",
    MembershipPage: "page",
    FormPage: "page",
    ImpactPage: "page",
    NewsPage: "news",
    AwardPage: "award",
    LaureatePage: "laureate",
}


def kind_label(kind):
    # Translated when called: the module is imported before a language is active.
    labels = {
        "page": _("Page"),
        "news": _("Actualité"),
        "award": _("Prix"),
        "laureate": _("Lauréat"),
        "need": _("Besoin d’administrateur"),
    }
    return labels.get(kind, kind)


def unaccent(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _search_query(text):
    """The query, and its unaccented form when it differs and the index keeps accents (see the
    module's docstring). Only its words are kept: quotes and operators would be syntax errors
    for FTS5. Little words (« la », « des ») are left out when others remain: every word must
    match, and SQLite's index, unlike PostgreSQL's French one, keeps them. (No negation, ever:
    search/candidates.py counts on it.)"""
    words = WORD.findall(text)
    text = " ".join([w for w in words if not is_little_word(w)] or words) or "_"
    plain = PlainText(text, operator="and")
    bare = unaccent(text)
    if bare == text or candidates.accents_ignored(get_search_backend()):
        return plain
    return Or([plain, PlainText(bare, operator="and")])


def _content_types():
    """{content type id: kind} of the searched page types."""
    return {ContentType.objects.get_for_model(m).pk: k for m, k in PAGE_KINDS.items()}


# Words a query may hold that a page need not repeat (« la gouvernance »).
LITTLE_WORDS = {"les", "des", "une", "aux", "pour", "par", "sur", "dans", "avec", "the", "and"}


def is_little_word(word):
    return len(word) < 3 or word.lower() in LITTLE_WORDS


def title_matches_first(pages, text):
    """The pages whose title holds every word searched come first, each group keeping the
    backend's order. Neither Wagtail's SQLite ranking (one BM25 over the whole entry) nor
    PostgreSQL's weighs the title enough for a short query: « gouvernance » found the page
    titled « Bénévolat de gouvernance » behind pages that name it once in their text."""
    stems = {_stem(w) for w in WORD.findall(text) if not is_little_word(w)}
    if not stems:
        return pages

    def in_title(page):
        title = _title_stems(page.title)
        return all(
            any(t.startswith(s) or (len(t) > 3 and s.startswith(t)) for t in title) for s in stems
        )

    return sorted(pages, key=lambda page: not in_title(page))


def _candidates(text, limit=None):
    """([(page row, kind)], [need row]): the live public pages of the searchable types (most
    relevant first, those whose title holds the words first) and the open public needs, at most
    `limit` (MAX_HITS) each."""
    types = _content_types()
    pages, needs = candidates.find(_search_query(text), list(types), limit or MAX_HITS)
    return [(page, types[page.content_type_id]) for page in title_matches_first(pages, text)], needs


def _year(page, kind):
    """A news item's date's year, an edition's year, a laureate's edition's year."""
    if kind == "news":
        return page.date.year if page.date else None
    if kind == "award":
        return page.award_year
    if kind == "laureate":
        return page.parent_award_year
    return None


def _facets(values, selected, label=str):
    counts = {}
    for value in values:
        if value not in (None, ""):
            counts[value] = counts.get(value, 0) + 1
    return [Facet(str(v), label(v), n, str(v) == str(selected)) for v, n in counts.items()]


def search(query: SearchQuery, suggest=True) -> SearchResults:
    """The results of `query`; when it finds nothing, other queries that find something
    (unless `suggest` is false: the results page asks for them apart, see search/views.py)."""
    text = " ".join(query.text.split())
    if not text:
        return SearchResults(query="", hits=[], total=0, page=1, per_page=query.per_page)

    pages, needs = _candidates(text)
    # One row per candidate: (kind, year, territory, row), pages first by relevance.
    rows = [(kind, _year(page, kind), "", page) for page, kind in pages]
    rows += [("need", None, need.departement, need) for need in needs]

    def keep(row, skip):
        kind, year, territory, _obj = row
        if "kind" != skip and query.kind and kind != query.kind:
            return False
        if "year" != skip and query.year and year != query.year:
            return False
        if "territory" != skip and query.territory and territory != query.territory:
            return False
        return True

    order = {kind: i for i, kind in enumerate(KINDS)}
    kind_facets = sorted(
        _facets([r[0] for r in rows if keep(r, "kind")], query.kind, kind_label),
        key=lambda f: order[f.value],
    )
    year_facets = sorted(
        _facets([r[1] for r in rows if keep(r, "year")], query.year or ""),
        key=lambda f: f.value,
        reverse=True,
    )
    territory_facets = sorted(
        _facets([r[2] for r in rows if keep(r, "territory")], query.territory),
        key=lambda f: f.value,
    )
    matching = [r for r in rows if keep(r, None)]

    total = len(matching)
    per_page = query.per_page
    num_pages = max(1, -(-total // per_page))
    page_number = min(max(1, query.page), num_pages)
    shown = matching[(page_number - 1) * per_page : page_number * per_page]

    results = SearchResults(
        query=text,
        hits=_hits(shown, text),
        total=total,
        page=page_number,
        per_page=per_page,
        facets={"kind": kind_facets, "year": year_facets, "territory": territory_facets},
    )
    if not total and suggest:
        results.suggestions = suggestions(text)
    return results


def _hits(rows, text):
    """The shown page's hits, from the statement's rows; the text an excerpt is cut from is
    the one thing the rows lack (search/candidates.py), read once per page and generation."""
    texts = _page_texts([row for kind, _year, _territory, row in rows if kind != "need"])
    hits = []
    for kind, year, territory, row in rows:
        if kind == "need":
            need = BoardNeed(role=row.role, organisation=Organisation(name=row.organisation))
            hits.append(
                Hit(
                    kind="need",
                    title=str(need),
                    url=reverse("volunteering:need_detail", args=[row.pk]),
                    excerpt=highlight(row.description, text),
                    date=row.created_at,
                    territory=territory,
                )
            )
            continue
        if row.pk not in texts:
            continue  # deleted since the statement
        hits.append(
            Hit(
                kind=kind,
                title=row.title,
                url=row.url(),
                excerpt=highlight(texts[row.pk], text),
                date=row.date,
                year=year,
            )
        )
    return hits


def _page_texts(rows):
    """{page pk: page_text()} of these page rows. Kept in the shared cache under the content
    generation (a page's text changes only with a publication, which starts a new one): a page
    is read, its StreamField parsed, the first time a search shows it, not at every search.
    In the shared cache rather than the process's copy (home/cache_backends.LayeredCache): a
    page's text may be long, and would push pages and fragments out of it."""
    if not rows:
        return {}
    store = caches["default"]
    generation = content_generation()
    keys = {row.pk: f"search-text:{row.pk}:{generation}" for row in rows}
    kept = store.get_many(list(keys.values()))
    texts = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = {}
    for row in rows:
        if row.pk not in texts:
            missing.setdefault(row.content_type_id, []).append(row.pk)
    read = {}
    for content_type_id, pks in missing.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        for page in model._default_manager.filter(pk__in=pks).order_by():
            read[page.pk] = page_text(page)
    if read:
        store.set_many(
            {keys[pk]: text for pk, text in read.items()}, settings.CONTENT_CACHE_SECONDS
        )
    texts.update(read)
    return texts


def page_text(page):
    """The words an excerpt is cut from: the search description, introduction and body."""
    parts = [
        page.search_description,
        getattr(page, "introduction", ""),
        get_text_for_indexing(getattr(page, "intro", "")),  # a form page's rich text
    ]
    body = getattr(page, "body", None)
    if body is not None:
        # The blocks' own searchable text: paragraphs, headings, quotes…, never a heading's
        # level, an image's id or a link's address.
        parts.append(strip_tags(" ".join(body.stream_block.get_searchable_content(body))))
    return " ".join(part for part in parts if part)


WORD = re.compile(r"\w+", re.UNICODE)


@functools.lru_cache(maxsize=4096)
def _title_stems(title):
    """The stems of a title's words (memoised: the same pages come back search after search)."""
    return frozenset(_stem(word) for word in WORD.findall(title))


@functools.lru_cache(maxsize=4096)
def _stem(word):
    """A crude French stem to match highlighted words: unaccented, lowercased, no plural."""
    word = unaccent(word).lower()
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def highlight(text, query_text):
    """An excerpt of `text` around the first matched word, escaped, with the matched words in
    <mark>. A word matches a query word when one's stem begins the other's."""
    text = " ".join(strip_tags(text or "").split())
    stems = [_stem(w) for w in WORD.findall(query_text) if len(w) > 1]

    def matches(word):
        stem = _stem(word)
        return any(len(stem) > 1 and (stem.startswith(s) or s.startswith(stem)) for s in stems)

    words = list(WORD.finditer(text))
    first = next((m.start() for m in words if matches(m.group())), 0)
    start = max(0, first - EXCERPT_LENGTH // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + EXCERPT_LENGTH
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    window = text[start:end]
    out, position = [], 0
    for match in WORD.finditer(window):
        if matches(match.group()):
            out.append(html.escape(window[position : match.start()]))
            out.append(f"<mark>{html.escape(match.group())}</mark>")
            position = match.end()
    out.append(html.escape(window[position:]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(out) + suffix


def finds_anything(text):
    """Whether a search for `text` finds a page or a need (one query)."""
    pages, needs = _candidates(text, limit=1)
    return bool(pages or needs)


def suggestions(text, limit=3, finds=finds_anything):
    """Other queries that find something, when this one found nothing: the query without its
    accents, without its last word, then the trusted logged queries that share a word with it
    (search.query_log.suggestable: approved by staff or searched by several visitors, never
    blocked). Each candidate is checked with `finds` (one search, at most 4)."""

    tried = []
    bare = unaccent(text)
    if bare != text:
        tried.append(bare)
    words = text.split()
    if len(words) > 1:
        tried.append(" ".join(words[:-1]))
    stems = {_stem(w) for w in words}
    trusted = suggestable(limit=MAX_LOGGED_CANDIDATES)
    tried += [q for q in trusted if stems & {_stem(w) for w in q.split()}]
    tried = [c for c in dict.fromkeys(tried) if c.lower() != text.lower()]
    found = []
    for candidate in tried[:MAX_SUGGESTION_CHECKS]:
        if finds(candidate):
            found.append(candidate)
    return found[:limit]


def autocomplete(text, limit=8):
    """Titles and addresses of live public pages whose title words begin with what was typed
    (from the index's prefix search), then of open public needs matching it: for the header
    box. One query."""
    text = " ".join(WORD.findall(text))  # words only, as in _search_query
    if not text:
        return []
    types = _content_types()
    pages, needs = candidates.find(_search_query(text), list(types), limit, autocomplete=text)
    items = [
        {"title": page.title, "url": page.url(), "type": types[page.content_type_id]}
        for page in pages
    ]
    items += [
        {
            "title": str(
                BoardNeed(role=need.role, organisation=Organisation(name=need.organisation))
            ),
            "url": reverse("volunteering:need_detail", args=[need.pk]),
            "type": "need",
        }
        for need in needs[: limit - len(items)]
    ]
    return items
