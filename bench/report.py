"""The report: aligned text tables, the targets with PASS/FAIL, and the same figures as JSON.

Every function takes the `figures` dict that the harness fills in (and writes as JSON):
  settings   the run's parameters and the machine's load average
  configs    one entry per configuration ("sqlite": SQLite with the memory cache,
             "postgresql": PostgreSQL with Redis), filled by bench/configuration.py, or
             {"label", "error"} when it could not run:
    label              its name in the report
    home_bytes         the home page's size; that configuration's minimal view sends as many
    load               one entry per load run: server (site or minimal), mode (cache off,
                       cache on, logged-in), page, path, req/s, p50/p99 ms, errors
    page_cache_check   X-Page-Cache of each public page after the cached run
    queries            public pages: cold and warm SQL query counts, with their SQL
    logged_in_queries  the same for the logged-in pages, with their role
    users              who was logged in for each role (or why no one)
    logged_in_errors   logged-in pages that could not be measured, and why
    memory             worker RSS in MB, per server
  targets    filled in by targets(): each target's value and verdict
"""

import json
import re
from pathlib import Path

# The targets, in one place so they are easy to find and to change. Shares are of the minimal
# view's requests per second, in the same configuration and run.
PAGE_SHARE_MIN = 0.15  # every public page, page cache off
SEARCH_SHARE_MIN = 0.10  # the search page, page cache off
CACHED_SHARE_MIN = 0.80  # home page, page cache on
LOGGED_IN_SHARE_MIN = 0.10  # every logged-in page
P99_MAX_MS = 50.0
WARM_QUERIES_MAX = 10  # public pages
WORKER_RSS_MAX_MB = 150.0
SEARCH_PREFIX = "/recherche/"
LOGGED_IN = "logged-in"


def table(headers: list[str], rows: list[list], align: str) -> str:
    """A plain text table; `align` holds one '<' or '>' per column."""
    cells = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(f"{cell:{a}{w}}" for cell, a, w in zip(row, align, widths, strict=True)).rstrip()
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join("  " + line for line in lines)


def measured(figures: dict) -> list[tuple[str, dict]]:
    """The configurations that ran, as (key, figures)."""
    return [(key, config) for key, config in figures["configs"].items() if "error" not in config]


def site_runs(config: dict) -> list[dict]:
    return [run for run in config["load"] if run["server"] == "site"]


def minimal_run(config: dict) -> dict | None:
    return next((run for run in config["load"] if run["server"] == "minimal"), None)


def share(config: dict, run: dict) -> float | None:
    """The run's req/s over the minimal view's, in the same configuration."""
    baseline = minimal_run(config)
    if not baseline or not baseline["requests_per_second"]:
        return None
    return run["requests_per_second"] / baseline["requests_per_second"]


def share_minimum(run: dict) -> float | None:
    """The share a site run must reach, if it has a target."""
    if run["mode"] == LOGGED_IN:
        return LOGGED_IN_SHARE_MIN
    if run["mode"] == "cache off":
        return SEARCH_SHARE_MIN if run["path"].startswith(SEARCH_PREFIX) else PAGE_SHARE_MIN
    if run["path"] == "/":
        return CACHED_SHARE_MIN
    return None


def _mode(run: dict) -> str:
    """cache off, cache on, or logged-in with the role."""
    if run["mode"] == LOGGED_IN:
        return f"{LOGGED_IN} ({run['page'].split(':')[0]})"
    return run["mode"]


def _name(run: dict) -> str:
    return f"{run['path']} {_mode(run)}"


def _sql(config: dict) -> dict[tuple[str, str], dict]:
    """(mode, path) -> the page's query counts, for the rows that have them."""
    counts = {("cache off", q["path"]): q for q in config["queries"] if q.get("path")}
    counts.update({(LOGGED_IN, q["path"]): q for q in config["logged_in_queries"]})
    return counts


def targets(figures: dict) -> list[dict]:
    """The issue's targets, in each configuration (its label is the targets' group)."""
    concurrency = figures["settings"]["concurrency"]
    results = []
    for config in figures["configs"].values():
        results += [
            {"group": config["label"], **target} for target in _config_targets(config, concurrency)
        ]
    return results


def _config_targets(config: dict, concurrency: int) -> list[dict]:
    results = []

    def check(name: str, value: str, passed: bool) -> None:
        results.append({"target": name, "value": value, "pass": passed})

    if "error" in config:
        check("measured", "could not run", False)
        return results
    for run in site_runs(config):
        minimum, ratio = share_minimum(run), share(config, run)
        if minimum is not None:
            check(
                f"{_name(run)} >= {minimum:.0%} of minimal req/s",
                "n/a" if ratio is None else f"{ratio:.1%}",
                ratio is not None and ratio >= minimum,
            )
    for run in site_runs(config):
        check(
            f"p99 < {P99_MAX_MS:.0f} ms at {concurrency} clients: {_name(run)}",
            f"{run['p99_ms']:.1f} ms",
            run["p99_ms"] < P99_MAX_MS,
        )
    for page in config["queries"]:
        if "warm" not in page:
            check(
                f"<= {WARM_QUERIES_MAX} SQL queries (warm): {page['page']}",
                "n/a",
                False,
            )
            continue
        warm = page["warm"]
        check(
            f"<= {WARM_QUERIES_MAX} SQL queries (warm): {page['path']}",
            f"{warm['queries']}" + ("" if warm["status"] == 200 else f" (HTTP {warm['status']})"),
            warm["queries"] <= WARM_QUERIES_MAX and warm["status"] == 200,
        )
    errors = config["logged_in_errors"]
    check(
        "every logged-in page answers 200 with its session",
        f"{len(errors)} not measured",
        not errors,
    )
    for server, sizes in config["memory"].items():
        biggest = max(sizes, default=float("nan"))
        check(
            f"< {WORKER_RSS_MAX_MB:.0f} MB per worker: {server}",
            f"{biggest:.1f} MB",
            bool(sizes) and biggest < WORKER_RSS_MAX_MB,
        )
    failed = sum(run["errors"] for run in config["load"])
    check("no errors under load (every answer 200)", str(failed), failed == 0)
    return results


def _config_section(config: dict, concurrency: int) -> list[str]:
    label = config["label"]
    if "error" in config:
        return [f"{label}: could not run ({config['error']})"]
    sql = _sql(config)
    rows = []
    for run in config["load"]:
        ratio = share(config, run)
        counts = sql.get((run["mode"], run["path"]))
        rows.append(
            [
                "minimal view" if run["server"] == "minimal" else run["path"],
                _mode(run),
                f"{run['requests_per_second']:.1f}",
                "-" if ratio is None else f"{ratio:.1%}",
                f"{run['p50_ms']:.1f}",
                f"{run['p99_ms']:.1f}",
                _count(counts, "warm") if counts else "-",
                _count(counts, "cold") if counts else "-",
                run["errors"],
            ]
        )
    out = [
        f"{label}: {concurrency} clients; share = req/s over the minimal view's, in this "
        f"configuration (home page {config['home_bytes']} bytes, the minimal view sends as many)",
        table(
            [
                "page",
                "mode",
                "req/s",
                "share",
                "p50 ms",
                "p99 ms",
                "SQL warm",
                "SQL cold",
                "errors",
            ],
            rows,
            "<<>>>>>>>",
        ),
        "  SQL: in-process, page cache off (cold: emptied caches); the cache-on rows make none "
        "when the cache answers.",
        "  X-Page-Cache after the cached run: "
        + ", ".join(f"{path} {value}" for path, value in config["page_cache_check"].items()),
    ]
    loaded = {run["path"] for run in config["load"]}
    others = [q for q in config["queries"] if q.get("path") not in loaded]
    if others:
        out.append(
            "  Also counted (SQL warm/cold), not loaded: "
            + ", ".join(
                f"{q.get('path') or q['page']} {_count(q, 'warm')}/{_count(q, 'cold')}"
                for q in others
            )
        )
    users = [
        f"{u['role']} {u['user']}" + (f" ({u['note']})" if u.get("note") else "")
        if "user" in u
        else f"{u['role']}: none ({u['error']})"
        for u in config["users"]
    ]
    out.append("  Logged in as: " + ("; ".join(users) or "nobody"))
    for error in config["logged_in_errors"]:
        out.append(f"  ERROR logged-in {error}")
    out.append(
        "  Worker memory after the load (VmRSS, MB): "
        + "; ".join(
            f"{server} " + " ".join(f"{mb:.1f}" for mb in sizes)
            for server, sizes in config["memory"].items()
        )
    )
    return out


def render(figures: dict, show_sql: bool = False) -> str:
    s = figures["settings"]
    out = [
        f"Machine: {s['cpus']} CPUs, load average {s['load_average']:.2f} before the run"
        + (" (other processes were busy: expect noisy figures)" if s["load_average"] > 0.5 else ""),
        f"Load: {s['workers']} gunicorn sync workers per server, {s['concurrency']} concurrent "
        f"clients, up to {s['requests']} requests or {s['seconds']:g} s per target "
        "(after a warm-up), each request from an address of its own (X-Forwarded-For). "
        "Logged-in pages are loaded on the server with the page cache on (it never keeps them).",
    ]
    for config in figures["configs"].values():
        out += ["", *_config_section(config, s["concurrency"])]
    width = max(len(target["target"]) for target in figures["targets"])
    group = None
    for target in figures["targets"]:
        if target.get("group", "in-process") != group:
            group = target.get("group", "in-process")
            out += ["", f"Targets, {group}:"]
        verdict = "PASS" if target["pass"] else "FAIL"
        out.append(f"  {verdict}  {target['target']:<{width}}  {target['value']}")
    if show_sql:
        for _key, config in measured(figures):
            for q in config["queries"] + config["logged_in_queries"]:
                if "warm" in q:
                    out += [
                        "",
                        f"SQL of {q['path']}, {config['label']} (warm, {q['warm']['queries']} "
                        "queries):",
                    ]
                    out += [f"  {i:>2}. {_short(sql)}" for i, sql in enumerate(q["warm"]["sql"], 1)]
    return "\n".join(out)


def _count(page: dict, which: str) -> str:
    if which not in page:
        return page.get("error", "-")
    result = page[which]
    return str(result["queries"]) + (
        "" if result["status"] == 200 else f" (HTTP {result['status']})"
    )


def _short(sql: str) -> str:
    """The statement with its column list elided (the JSON keeps the full text)."""
    match = re.match(r"SELECT (.+?) FROM (.*)", sql, re.DOTALL)
    if not match or len(match[1]) < 60:
        return sql
    return f"SELECT <{match[1].count(',') + 1} columns> FROM {match[2]}"


def write_json(figures: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
