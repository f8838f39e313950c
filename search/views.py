"""The search page and the header box's autocomplete. Public, and the same for everyone: no
personal data, whoever asks. A search that found something is counted towards suggesting it to
others (search.query_log): by a digest that keeps no address."""

import dataclasses

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction
from wagtail.search.utils import normalise_query_string

from home.ratelimit import client_address, rate_limited

from . import database, query_log, results_cache, service
from .results import KINDS, SearchQuery

MAX_QUERY_LENGTH = 200
AUTOCOMPLETE_LIMIT = 8
AUTOCOMPLETE_RATE = 60  # requests per client…
AUTOCOMPLETE_PERIOD = 60  # …per this many seconds


def _number(value, default=None, low=1, high=9999):
    """An integer from the address, or `default` for junk: bad input never breaks the page."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and low <= int(value) <= high else default


def parse_query(params):
    return SearchQuery(
        text=" ".join((params.get("q") or "").split())[:MAX_QUERY_LENGTH],
        kind=params.get("type", "") if params.get("type", "") in KINDS else "",
        year=_number(params.get("annee"), None, 1900, 2999),
        territory=(params.get("territoire") or "").strip().upper()[:3],
        page=_number(params.get("page"), 1),
        language=get_language() or "fr",
    )


def promotions(text):
    """Editors' promoted results for this query (Wagtail's search promotions): live public
    pages and external links, in the editors' order."""
    picks = (
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(text))
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    restricted = None
    shown = []
    for pick in picks:
        if pick.page_id:
            page = pick.page
            if restricted is None:
                restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
            if not page.live or any(page.path.startswith(p) for p in restricted):
                continue
            shown.append(
                {
                    "title": page.title,
                    "url": page.url,
                    "description": pick.description,
                }
            )
        elif pick.external_link_url:
            shown.append(
                {
                    "title": pick.external_link_text or pick.external_link_url,
                    "url": pick.external_link_url,
                    "description": pick.description,
                }
            )
    return shown


def _link(query, **changes):
    """The results page's address for this query with some parameters changed (None drops)."""
    params = {
        "q": query.text,
        "type": query.kind,
        "annee": query.year or "",
        "territoire": query.territory,
    }
    params.update(changes)
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def typed_here(request):
    """Whether the visitor searched from one of this site's pages: the only searches counted in
    the statistics and towards suggestions. Browsers say where a request comes from
    (Sec-Fetch-Site; older ones send a Referer): a link or an image on another site cannot pass
    for a search typed here, so nobody can make other people's browsers plant a query. It is
    also the one write a GET makes, and a log, not a state anyone acts on."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    referer = request.headers.get("Referer", "")
    return bool(referer) and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def answer(query, found):
    """What the results page shows: the results, and the editors' promoted results on the
    first page of an unfiltered search."""
    shown = []
    if found.page == 1 and not (query.kind or query.year or query.territory):
        shown = promotions(query.text)
    return {"results": found, "promotions": shown}


def database_answer(request, query):
    """answer() from the database, kept for anonymous visitors (search/results_cache.py), with
    the suggestions read each time when nothing is found."""
    shown = results_cache.kept_results(
        request, query, lambda: answer(query, database.search(query, suggest=False))
    )
    found = shown["results"]
    if not found.total:
        found = dataclasses.replace(
            found,
            suggestions=database.suggestions(found.query, finds=results_cache.finder(request)),
        )
    return {**shown, "results": found}


@never_cache
def results(request):
    query = parse_query(request.GET)
    context = {"query": query, "results": None, "promotions": []}
    if query.text:
        if service.elasticsearch_enabled():
            shown = answer(query, service.run(query))  # never kept: see search/results_cache.py
        else:
            shown = database_answer(request, query)
        found = shown["results"]
        # Every search is counted, from the cache or not.
        if typed_here(request):
            # Popular queries and queries that found nothing, for editors (Wagtail's reports).
            Query.get(query.text).add_hit()
            if found.total:
                # Suggested to others only once several visitors found something with it.
                query_log.record_search(query.text, client_address(request))
        context.update(shown)
        paginator = Paginator(range(found.total), found.per_page)
        context["page_range"] = [
            (n, _link(query, page=n) if n != "…" else "")
            for n in paginator.get_elided_page_range(found.page, on_each_side=2, on_ends=1)
        ]
        context["previous_link"] = _link(query, page=found.page - 1) if found.page > 1 else ""
        context["next_link"] = (
            _link(query, page=found.page + 1) if found.page < found.num_pages else ""
        )
        filters = []
        for name, param, title in (
            ("kind", "type", _("Type")),
            ("year", "annee", _("Année")),
            ("territory", "territoire", _("Département")),
        ):
            facets = found.facets.get(name) or []
            if not facets:
                continue
            filters.append(
                {
                    "title": title,
                    "any_link": _link(query, **{param: None}),
                    "any_selected": not any(f.selected for f in facets),
                    "facets": [(f, _link(query, **{param: f.value})) for f in facets],
                }
            )
        context["filters"] = filters
        context["suggestion_links"] = [(s, "?" + urlencode({"q": s})) for s in found.suggestions]
    return render(request, "search/results.html", context)


@cache_control(public=True, max_age=60)
def autocomplete(request):
    """Up to 8 titles and addresses of live public pages and open public needs whose words
    begin with what was typed, for the header box."""
    if rate_limited(request, "search-autocomplete", AUTOCOMPLETE_RATE, AUTOCOMPLETE_PERIOD):
        response = JsonResponse(
            {"error": _("Trop de requêtes : réessayez dans une minute.")}, status=429
        )
        response["Retry-After"] = str(AUTOCOMPLETE_PERIOD)
        response["Cache-Control"] = "no-store"
        return response
    text = " ".join((request.GET.get("q") or "").split())[:MAX_QUERY_LENGTH]
    items = []
    if len(text) >= 2:
        items = database.autocomplete(text, AUTOCOMPLETE_LIMIT)
    return JsonResponse({"query": text, "results": items})
