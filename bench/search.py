"""Site search at scale: 10,000 generated pages (standard pages and news items, French text with
word forms and accents), then the median and p95 times of a set of French queries, on SQLite
(FTS5) and on PostgreSQL (the « french_unaccent » configuration). Times the search itself
(search.database.search) and the whole search page (Django's test client) as a first visitor
gets it and as the next one does (the results kept for anonymous visitors,
search/results_cache.py), and counts their SQL queries.

Run by the harness: on SQLite in the bench site's database (its demo content, the pages added
under « Banc recherche »); on PostgreSQL in a throw-away database made at the server given by
BENCH_POSTGRES_URL (default: the local server, postgres://postgres@127.0.0.1:5432/postgres),
migrated, filled, measured and dropped. No PostgreSQL reachable there: the report says so.

    python -m bench.search OUT.json     (with a site's environment: build, index, measure)
    python -m bench.search              (alone: a throw-away SQLite database, figures printed)
"""

import os
import random
import statistics
import subprocess
import sys
import time

from . import module_run

PAGES = int(os.environ.get("BENCH_SEARCH_PAGES", "10000"))  # fewer for a quick try
NEWS_SHARE = 0.3  # the others are standard pages
ROUNDS = 8  # each query timed this many times, after one warm-up round
HOST = "127.0.0.1"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"

# What visitors type: plurals and other forms, accents or none, two words, a word no page has
# (the page then checks suggestions: the dearest case).
QUERIES = [
    "associations",
    "association",
    "benevolat",
    "bénévoles",
    "trésorier",
    "candidature",
    "économie sociale",
    "insertion professionnelle",
    "formations",
    "numerique",
    "rapport annuel",
    "zzqxw",
]

# The generated text: sentences of these words in their several forms, so that stemming and
# accents matter as they do on a real site.
SUBJECTS = [
    "L’association",
    "Les associations",
    "Le réseau",
    "Les bénévoles",
    "La coopérative",
    "Notre trésorière",
    "Le conseil d’administration",
    "Les structures de l’économie sociale et solidaire",
    "L’équipe salariée",
    "Les entreprises partenaires",
]
VERBS = [
    "accompagne",
    "accompagnent",
    "organise",
    "organisent",
    "développe",
    "soutient",
    "forme",
    "forment",
    "présente",
    "finance",
]
OBJECTS = [
    "l’insertion professionnelle des jeunes",
    "les formations au numérique",
    "la candidature au prix « La part des autres »",
    "le bénévolat de gouvernance",
    "les rapports annuels et les comptes",
    "la collecte de fonds auprès des habitants",
    "des ateliers d’éducation populaire",
    "l’accès aux droits des personnes âgées",
    "les circuits courts et l’alimentation durable",
    "la mobilité solidaire en milieu rural",
    "les chantiers d’insertion",
    "un forum des associations",
]
PLACES = ["à Nantes", "à Angers", "au Mans", "à Laval", "à La Roche-sur-Yon", "en Vendée", ""]


def sentence(rng):
    return (
        " ".join(
            part
            for part in (
                rng.choice(SUBJECTS),
                rng.choice(VERBS),
                rng.choice(OBJECTS),
                rng.choice(PLACES),
            )
            if part
        )
        + "."
    )


def paragraph(rng, sentences):
    return "<p>" + " ".join(sentence(rng) for _ in range(sentences)) + "</p>"


def build(count=PAGES, seed=42):
    """`count` live pages under the default site's home: standard pages under « Banc recherche »,
    news items under « Banc actualités », written the way loaddata writes (one Page row each with
    bulk_create, then the specific row, raw) so that building takes seconds, not minutes. The
    search index is not touched: the caller runs update_index. Returns the counts."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page, Site

    from home.models import NewsIndexPage, NewsPage, StandardPage

    rng = random.Random(seed)
    now = timezone.now()
    news_count = round(count * NEWS_SHARE)
    home = Site.objects.get(is_default_site=True).root_page
    with transaction.atomic():
        sections = {
            StandardPage: home.add_child(
                instance=StandardPage(title="Banc recherche", slug="banc-recherche")
            ),
            NewsPage: home.add_child(
                instance=NewsIndexPage(title="Banc actualités", slug="banc-actualites")
            ),
        }
        for model, number in ((StandardPage, count - news_count), (NewsPage, news_count)):
            parent = sections[model]
            content_type = ContentType.objects.get_for_model(model)
            rows = []
            for i in range(1, number + 1):
                title = f"{sentence(rng)[:-1][:80].strip()} ({model.__name__[0]}{i})"
                slug = f"banc-{model.__name__.lower()}-{i}"
                rows.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=slug,
                        path=Page._get_path(parent.path, parent.depth + 1, i),
                        depth=parent.depth + 1,
                        numchild=0,
                        url_path=f"{parent.url_path}{slug}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=now,
                        last_published_at=now,
                        content_type=content_type,
                        locale_id=parent.locale_id,
                    )
                )
            pages = Page.objects.bulk_create(rows, batch_size=500)
            for page in pages:
                specific = model(
                    page_ptr_id=page.pk,
                    introduction=sentence(rng),
                    body=[
                        {"type": "heading", "value": {"text": sentence(rng)[:-1], "level": "h2"}},
                        {"type": "paragraph", "value": paragraph(rng, rng.randint(4, 10))},
                        {"type": "paragraph", "value": paragraph(rng, rng.randint(2, 6))},
                    ],
                )
                if model is NewsPage:
                    specific.date = (now - timezone.timedelta(days=rng.randint(0, 3650))).date()
                # The specific row only, as loaddata does: the Page row exists already.
                specific.save_base(raw=True, force_insert=True)
            Page.objects.filter(pk=parent.pk).update(numchild=number)
    return {"standard": count - news_count, "news": news_count}


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _summary(times_ms):
    return {
        "median_ms": statistics.median(times_ms),
        "p95_ms": _percentile(times_ms, 0.95),
        "max_ms": max(times_ms),
        "samples": len(times_ms),
    }


def measure(count=PAGES, rounds=ROUNDS) -> dict:
    """Build, index, then time every query `rounds` times (search, then the whole page)."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse
    from wagtail.models import Page

    from search import database, results_cache
    from search.results import SearchQuery

    start = time.perf_counter()
    built = build(count)
    build_seconds = time.perf_counter() - start
    start = time.perf_counter()
    call_command("update_index", verbosity=0)
    if connection.vendor == "postgresql":
        # A site's tables have statistics (autovacuum analyses them); tables filled a second
        # ago have none, and the planner would measure its guesses, not the search.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    index_seconds = time.perf_counter() - start

    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    url = reverse("search:results")
    search_times, page_times, kept_times, per_query = [], [], [], {}
    totals, statuses, page_queries, search_queries, kept_queries = {}, set(), {}, {}, {}
    # The search page's rate limit (60 a minute per client) would answer most of these requests
    # with a 429: the bench measures the search, not the limiter.
    with override_settings(RATE_LIMITS=[]):
        for round_number in range(rounds + 1):  # round 0 warms up, and is not counted
            for text in QUERIES:
                started = time.perf_counter()
                results = database.search(SearchQuery(text=text))
                searched = (time.perf_counter() - started) * 1000
                results_cache.forget_results()  # the page as a first visitor gets it…
                started = time.perf_counter()
                response = client.get(url, {"q": text})
                served = (time.perf_counter() - started) * 1000
                started = time.perf_counter()
                client.get(url, {"q": text})  # …and as the next one (the results kept)
                kept = (time.perf_counter() - started) * 1000
                statuses.add(response.status_code)
                if round_number:
                    search_times.append(searched)
                    page_times.append(served)
                    kept_times.append(kept)
                    per_query.setdefault(text, []).append(searched)
                else:
                    totals[text] = results.total
        for text in QUERIES:
            with CaptureQueriesContext(connection) as captured:
                database.search(SearchQuery(text=text))
            search_queries[text] = len(captured)
            results_cache.forget_results()
            with CaptureQueriesContext(connection) as captured:
                client.get(url, {"q": text})
            page_queries[text] = len(captured)
            with CaptureQueriesContext(connection) as captured:
                client.get(url, {"q": text})
            kept_queries[text] = len(captured)
    return {
        "database": connection.vendor,
        "pages": Page.objects.live().count(),
        "generated": built,
        "build_seconds": build_seconds,
        "index_seconds": index_seconds,
        "queries": QUERIES,
        "rounds": rounds,
        "search": _summary(search_times),
        "page": _summary(page_times),
        "page_kept": _summary(kept_times),
        "per_query_median_ms": {t: statistics.median(v) for t, v in per_query.items()},
        "results": totals,
        "page_statuses": sorted(statuses),
        "page_sql_queries_max": max(page_queries.values()),
        "search_sql_queries_max": max(search_queries.values()),
        "page_kept_sql_queries_max": max(kept_queries.values()),
    }


# --- the harness's side ----------------------------------------------------------------------


def _run_module(env, out, log):
    return module_run.module_figures("search", env, out, log, tail=800, mode="a")


def _postgres(site, say) -> dict:
    """Make a throw-away database on the PostgreSQL server, migrate it, measure, drop it."""
    import psycopg

    from .prepare import PYTHON, REPO

    server = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    name = f"bench_search_{os.getpid()}"
    try:
        admin = psycopg.connect(server, autocommit=True, connect_timeout=3)
    except psycopg.Error as error:
        return {"error": f"no PostgreSQL at {server.rsplit('@', 1)[-1]} ({error})".strip()}
    url = f"{server.rsplit('/', 1)[0]}/{name}"
    env = site.env_with(PAGE_CACHE_SECONDS="0", DATABASE_URL=url)
    log = site.workdir / "search-postgres.log"
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        say("  PostgreSQL: migrate a throw-away database")
        with log.open("w") as out:
            code = subprocess.call(
                [PYTHON, "manage.py", "migrate", "--no-input"],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        if code != 0:
            return {"error": f"migrate exited with {code}: {log.read_text()[-800:]}"}
        say(f"  PostgreSQL: {PAGES} pages, index, queries")
        return _run_module(env, site.workdir / "search-postgres.json", log)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run_in(site, say=print) -> dict:
    """Both databases, each in a subprocess with the bench site's environment: their figures."""
    say(f"  SQLite: {PAGES} pages, index, queries")
    figures = {
        "sqlite": _run_module(
            site.env_with(PAGE_CACHE_SECONDS="0"),
            site.workdir / "search-sqlite.json",
            site.workdir / "search-sqlite.log",
        )
    }
    figures["postgresql"] = _postgres(site, say)
    return figures


def _render_one(label, f):
    if "error" in f:
        return [f"  {label}: could not run ({f['error']})"]
    s, p = f["search"], f["page"]
    return [
        f"  {label}: {f['pages']} live pages ({f['generated']['standard']} standard and "
        f"{f['generated']['news']} news generated in {f['build_seconds']:.1f} s, indexed in "
        f"{f['index_seconds']:.1f} s)",
        f"    search      {s['median_ms']:7.1f} ms median, {s['p95_ms']:7.1f} ms p95, "
        f"{s['max_ms']:.1f} ms max ({s['samples']} searches), at most "
        f"{f.get('search_sql_queries_max', '?')} SQL queries",
        f"    search page {p['median_ms']:7.1f} ms median, {p['p95_ms']:7.1f} ms p95, "
        f"{p['max_ms']:.1f} ms max, at most {f['page_sql_queries_max']} SQL queries, "
        f"HTTP {'/'.join(str(c) for c in f['page_statuses'])}",
        *_kept_line(f),
        "    results: " + ", ".join(f"« {t} » {n}" for t, n in f["results"].items()),
    ]


def _kept_line(f):
    k = f.get("page_kept")
    if not k:
        return []
    return [
        f"    page again  {k['median_ms']:7.1f} ms median, {k['p95_ms']:7.1f} ms p95, "
        f"{k['max_ms']:.1f} ms max, at most {f['page_kept_sql_queries_max']} SQL queries "
        "(the results kept for anonymous visitors)"
    ]


def render(figures: dict) -> str:
    """The report's section (the harness prints it after the main report)."""
    lines = [
        f"Site search, {PAGES} generated pages, {len(QUERIES)} French queries × {ROUNDS} rounds "
        "(in-process, after a warm-up round):"
    ]
    lines += _render_one("SQLite (FTS5)", figures.get("sqlite", {"error": "not run"}))
    lines += _render_one("PostgreSQL", figures.get("postgresql", {"error": "not run"}))
    return "\n".join(lines)


def _render_alone(figures: dict) -> str:
    return render({"sqlite": figures, "postgresql": {"error": "alone: SQLite only"}})


if __name__ == "__main__":
    module_run.main("search", measure, _render_alone, sys.argv[1:])
