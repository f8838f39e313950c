"""One configuration of the site (SQLite with the memory cache; PostgreSQL with Redis), measured
the same way: its figures for the report.

In order, each server alone on the machine:
1. in-process, page cache off: the SQL queries of the public pages (bench/queries.py), then of
   the logged-in pages, whose users are logged in there and whose session cookies are kept
   (bench/sessions.py);
2. gunicorn with the page cache off: the public pages;
3. gunicorn with the page cache on: the public pages, what the cache answered for each
   (X-Page-Cache), then the logged-in pages, each first checked to answer 200 with its cookie
   (not a redirect to the login page); personal pages are never page-cached, so the setting
   changes nothing for them but the cache lookup every request makes;
4. the minimal Django view (bench/minimal.py), sending as many bytes as this configuration's
   home page: the baseline of this configuration's shares, measured in the same conditions
   (the same run, just after).
The resident memory of each site server's workers is read after its load. Every request
comes from an address of its own (bench/load.py, `many_visitors`), as from many visitors: the
search page's limit per address (60 a minute) would otherwise answer most of them 429.
"""

import os

from . import module_run
from .load import fetch, run_load
from .servers import Server, ServerFailed, running

CACHE_MODES = [("cache off", "0"), ("cache on", "300")]
LOGGED_IN = "logged-in"


def _load(figures, server, kind, mode, page, path, args, say, headers=None):
    say(f"  load {server.name} {path} ({mode})")
    result = run_load(
        f"{server.name} {path} {mode}",
        server.port,
        path,
        args.concurrency,
        args.requests,
        args.seconds,
        headers=headers,
        many_visitors=True,
    )
    figures["load"].append({"server": kind, "mode": mode, "page": page, **result.as_dict()})


def _module(name, env, workdir, config):
    """bench.<name>'s figures in this configuration (page cache off), or {"error": …}."""
    out, log = workdir / f"{config}-{name}.json", workdir / f"{config}-{name}.log"
    return module_run.module_figures(name, env, out, log, tail=1500)


def _short(error: str) -> str:
    """A module's failure for the report: its exit code and the last line of its log (the
    exception)."""
    lines = [line.strip() for line in error.splitlines() if line.strip()]
    if len(lines) < 2:
        return error.strip()
    return f"{lines[0].split(':')[0]}: {lines[-1]}"


def _logged_in(figures, server, roles, args, say):
    for role in roles:
        if "error" in role:
            figures["logged_in_errors"].append(f"{role['role']}: {role['error']}")
            continue
        headers = {"Cookie": role["cookie"]}
        for page in role["pages"]:
            status, answer, _ = fetch(server.port, page["path"], headers)
            if status != 200:
                where = answer.get("Location", "")
                figures["logged_in_errors"].append(
                    f"{role['role']} {page['path']}: HTTP {status}"
                    + (f" to {where}" if where else "")
                    + " with the session cookie: not measured"
                )
                continue
            label = f"{role['role']}: {page['page']}"
            _load(figures, server, "site", LOGGED_IN, label, page["path"], args, say, headers)


def measure(config, label, env, workdir, paths, args, say=print) -> dict:
    """The figures of one configuration; `env` is its site's environment, `paths` the public
    pages. Raises ServerFailed when the site does not start or its home page fails."""
    figures = {
        "label": label,
        "home_bytes": None,
        "load": [],
        "memory": {},
        "page_cache_check": {},
        "logged_in_errors": [],
    }
    quiet = {**env, "PAGE_CACHE_SECONDS": "0"}
    say(f"  {label}: SQL queries per page, in-process")
    queries = _module("queries", quiet, workdir, config)
    if isinstance(queries, dict):
        queries = [{"page": "-", "error": f"bench.queries {_short(queries['error'])}"}]
    figures["queries"] = queries
    say(f"  {label}: logged-in users and their pages' SQL queries")
    sessions = _module("sessions", quiet, workdir, config)
    if "error" in sessions:
        figures["logged_in_errors"].append(f"bench.sessions {_short(sessions['error'])}")
    roles = sessions.get("roles", [])
    figures["logged_in_queries"] = [
        {"role": role["role"], **page} for role in roles for page in role.get("pages", [])
    ]
    figures["users"] = [
        {k: role[k] for k in ("role", "user", "note", "error") if k in role} for role in roles
    ]

    for mode, cache_seconds in CACHE_MODES:
        server = Server(
            f"{config} site {mode}",
            "config.wsgi:application",
            {**env, "PAGE_CACHE_SECONDS": cache_seconds},
            workdir,
        )
        say(f"Starting gunicorn: {label}, {mode}")
        with running(server, ready_path="/health/"):
            status, _, body = fetch(server.port, "/")
            if status != 200:
                raise ServerFailed(f"the home page answers {status}.\n{server.log_tail()}")
            if figures["home_bytes"] is None:
                # The minimal view will send a page of exactly this size.
                figures["home_bytes"] = len(body)
            for path in paths:
                _load(figures, server, "site", mode, path, path, args, say)
            if cache_seconds != "0":
                # Did the cache really serve these pages? (A page that sets a cookie never is.)
                for path in paths:
                    headers = fetch(server.port, path)[1]
                    figures["page_cache_check"][path] = headers.get("X-Page-Cache", "absent")
                _logged_in(figures, server, roles, args, say)
            figures["memory"][server.name] = server.worker_rss_mb()

    # The minimal app takes no settings module: it configures Django in code.
    minimal_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    minimal_env["BENCH_BODY_BYTES"] = str(figures["home_bytes"])
    server = Server(f"{config} minimal", "bench.minimal:application", minimal_env, workdir)
    say(f"Starting gunicorn: minimal view ({label})")
    with running(server):
        _load(figures, server, "minimal", "-", "minimal view", "/", args, say)
    return figures
