"""The Elasticsearch backend: the client, the query as data (`build_query`), and the response
turned into SearchResults (`search`).

Used only when settings.ELASTICSEARCH_URL is set. Any error raised here (server down, slow,
refusing the query) is caught by search.service.run, which answers from the database: hence a
short timeout and no retry, so that a dead server costs one quick failure, not a slow page.
"""

import datetime
import functools
import html
import re

from django.conf import settings
from django.utils.html import escape
from elasticsearch import Elasticsearch
from elasticsearch.dsl import Q, Search

from forms.listing import departement_sort_key

from .database import kind_label
from .results import KINDS, Facet, Hit, SearchQuery, SearchResults

# The text fields searched, with their weight: a word in the title counts most.
TEXT_FIELDS = ["title^3", "excerpt^2", "body"]
HIGHLIGHT_TAGS = ("<mark>", "</mark>")
EXCERPT_LENGTH = 200
# Elasticsearch refuses from + size beyond 10,000 (index.max_result_window).
MAX_RESULTS = 10_000
FACETS = ("kind", "year", "territory")


# --- Connection -------------------------------------------------------------------------------


def client_options():
    """How the client is built, from the settings: a short timeout and no retry at all."""
    return {
        "hosts": [settings.ELASTICSEARCH_URL],
        "request_timeout": float(settings.ELASTICSEARCH_TIMEOUT),
        "max_retries": 0,
        "retry_on_timeout": False,
    }


@functools.lru_cache(maxsize=4)
def _client(url, request_timeout, max_retries, retry_on_timeout):
    return Elasticsearch(
        [url],
        request_timeout=request_timeout,
        max_retries=max_retries,
        retry_on_timeout=retry_on_timeout,
    )


def get_client():
    """The client for the current settings, built once (it keeps a pool of connections)."""
    options = client_options()
    return _client(
        options["hosts"][0],
        options["request_timeout"],
        options["max_retries"],
        options["retry_on_timeout"],
    )


def alias_name():
    return settings.ELASTICSEARCH_INDEX


# --- The query as data ------------------------------------------------------------------------


def _filter_clauses(query: SearchQuery):
    """{facet name: its filter clause} for the filters the visitor chose."""
    clauses = {}
    if query.kind:
        clauses["kind"] = Q("term", kind=query.kind)
    if query.year:
        clauses["year"] = Q("term", year=int(query.year))
    if query.territory:
        clauses["territory"] = Q("term", territory=query.territory)
    return clauses


def _all_of(clauses):
    return Q("bool", filter=clauses) if clauses else Q("match_all")


def build_query(query: SearchQuery) -> dict:
    """The request body of a search, as a dict.

    The chosen filters are `filter` clauses of a post_filter: the hits obey all of them, while
    each facet's aggregation obeys only the OTHER filters, so a choice's count is what choosing
    it would give (as the board needs' listing counts, forms.listing.facets).
    """
    text = (query.text or "").strip()
    search = Search()
    if text:
        # cross_fields with « and »: every word must be found, in any of the fields.
        search = search.query(
            "multi_match", query=text, fields=TEXT_FIELDS, type="cross_fields", operator="and"
        )
        search = search.highlight(
            "excerpt", "body", fragment_size=EXCERPT_LENGTH, number_of_fragments=1
        )
        search = search.highlight_options(
            pre_tags=[HIGHLIGHT_TAGS[0]],
            post_tags=[HIGHLIGHT_TAGS[1]],
            encoder="html",  # the text around the tags comes back escaped
            require_field_match=False,
        )
        # Spelling suggestions, from the titles' words as typed (not their stems).
        search = search.suggest(
            "spelling",
            text,
            term={"field": "title.plain", "suggest_mode": "missing", "size": 1},
        )
    else:
        search = search.query("match_all").sort({"date": {"order": "desc", "missing": "_last"}})

    clauses = _filter_clauses(query)
    if clauses:
        search = search.post_filter(_all_of(list(clauses.values())))

    sizes = {"kind": len(KINDS), "year": 50, "territory": 110}
    for name in FACETS:
        others = [clause for facet, clause in clauses.items() if facet != name]
        search.aggs.bucket(name, "filter", filter=_all_of(others)).bucket(
            "values", "terms", field=name, size=sizes[name]
        )

    page = max(1, int(query.page or 1))
    per_page = max(1, int(query.per_page or 10))
    start = min((page - 1) * per_page, MAX_RESULTS - per_page)
    search = search.extra(from_=max(0, start), size=per_page, track_total_hits=True)
    search = search.source(["kind", "title", "excerpt", "url", "date", "year", "territory"])
    return search.to_dict()


# --- The response as SearchResults ------------------------------------------------------------

_TAGS = re.compile("(" + "|".join(re.escape(tag) for tag in HIGHLIGHT_TAGS) + ")")


def safe_highlight(fragment):
    """A highlighted fragment as safe HTML: only our <mark> tags stay, everything else is
    escaped here, whatever the server sent (it escapes too: undo that first, then escape once)."""
    out = []
    for part in _TAGS.split(fragment):
        if part in HIGHLIGHT_TAGS:
            out.append(part)
        else:
            out.append(escape(html.unescape(part)))
    text = "".join(out)
    # Tags left unbalanced by a cut fragment would leak the highlight: close or drop them.
    if text.count("<mark>") > text.count("</mark>"):
        text += "</mark>"
    return text


def _shorten(text, length=EXCERPT_LENGTH):
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"


def _date(value):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _hit(raw):
    source = raw.get("_source", {})
    highlight = raw.get("highlight", {})
    fragments = highlight.get("excerpt") or highlight.get("body")
    if fragments:
        excerpt = safe_highlight(fragments[0])
    else:
        excerpt = str(escape(_shorten(source.get("excerpt", ""))))
    year = source.get("year")
    return Hit(
        kind=source.get("kind", ""),
        title=source.get("title", ""),
        url=source.get("url", ""),
        excerpt=excerpt,
        date=_date(source.get("date")),
        year=int(year) if year else None,
        territory=source.get("territory") or "",
        score=float(raw.get("_score") or 0.0),
    )


def _facet_label(name, value):
    if name == "kind":
        return str(kind_label(value))  # the same labels whichever backend answers
    return str(value)


def _facets(aggregations, query: SearchQuery):
    selected = {"kind": query.kind, "year": query.year, "territory": query.territory}
    facets = {}
    for name in FACETS:
        buckets = aggregations.get(name, {}).get("values", {}).get("buckets", [])
        counts = {
            str(bucket.get("key_as_string", bucket["key"])): bucket["doc_count"]
            for bucket in buckets
        }
        chosen = str(selected[name]) if selected[name] else ""
        if chosen:
            counts.setdefault(chosen, 0)  # the chosen value stays shown, even at 0
        if name == "kind":
            values = [kind for kind in KINDS if kind in counts]
        elif name == "year":
            values = sorted(counts, key=lambda v: int(v), reverse=True)
        else:
            values = sorted(counts, key=departement_sort_key)
        facets[name] = [
            Facet(value, _facet_label(name, value), counts[value], selected=value == chosen)
            for value in values
        ]
    return facets


def _suggestions(response, text):
    """One corrected query, each unknown word replaced by its best suggestion; or none."""
    entries = response.get("suggest", {}).get("spelling", [])
    if not entries:
        return []
    corrected = text
    changed = False
    # From the end, so that the offsets of the earlier words stay right.
    for entry in sorted(entries, key=lambda e: e.get("offset", 0), reverse=True):
        options = entry.get("options") or []
        if not options:
            continue
        start, length = entry["offset"], entry["length"]
        corrected = corrected[:start] + options[0]["text"] + corrected[start + length :]
        changed = True
    return [corrected] if changed and corrected != text else []


def results_from_response(response, query: SearchQuery) -> SearchResults:
    """An Elasticsearch response (a dict) turned into SearchResults."""
    hits = response.get("hits", {})
    total = hits.get("total", 0)
    if isinstance(total, dict):
        total = total.get("value", 0)
    results = SearchResults(
        query=query.text,
        hits=[_hit(raw) for raw in hits.get("hits", [])],
        total=int(total),
        page=max(1, int(query.page or 1)),
        per_page=max(1, int(query.per_page or 10)),
        facets=_facets(response.get("aggregations", {}), query),
        backend="elasticsearch",
    )
    if not results.total and query.text:
        results.suggestions = _suggestions(response, query.text.strip())
    return results


def search(query: SearchQuery) -> SearchResults:
    """Ask Elasticsearch. Raises whatever the client raises: search.service.run falls back."""
    if not (query.text or "").strip():  # as the database backend: no words, no results
        return SearchResults(query="", hits=[], total=0, per_page=query.per_page)
    response = get_client().search(index=alias_name(), body=build_query(query))
    body = response.body if hasattr(response, "body") else response
    return results_from_response(body, query)
