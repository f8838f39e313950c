"""The report: aligned text tables, the targets with PASS/FAIL, and the same figures as JSON.

Every function takes the `figures` dict that the harness fills in (and writes as JSON):
  settings          the run's parameters, the machine's load average, the home page's size
  load              one entry per load run: server, path, mode, req/s, p50/p99 ms, errors
  page_cache_check  X-Page-Cache of each page after the cached run (hit, miss or absent)
  queries           one entry per page: cold and warm query counts, with their SQL
  memory            worker RSS in MB, per server
  targets           filled in by targets(): each target's value and verdict
"""

import json
import re
from pathlib import Path

# The targets, in one place so they are easy to find and to change.
UNCACHED_SHARE_MIN = 0.10  # home page, cache off: share of the minimal view's req/s
CACHED_SHARE_MIN = 0.80  # home page, cache on
P99_MAX_MS = 50.0
WARM_QUERIES_MAX = 10
WORKER_RSS_MAX_MB = 150.0


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


def site_runs(figures: dict) -> list[dict]:
    return [run for run in figures["load"] if run["server"] == "site"]


def minimal_run(figures: dict) -> dict:
    return next(run for run in figures["load"] if run["server"] == "minimal")


def ratios(figures: dict) -> list[dict]:
    """Site req/s over the minimal view's, for each page and cache mode."""
    baseline = minimal_run(figures)["requests_per_second"]
    return [
        {
            "path": run["path"],
            "mode": run["mode"],
            "ratio": run["requests_per_second"] / baseline if baseline else 0.0,
        }
        for run in site_runs(figures)
    ]


def targets(figures: dict) -> list[dict]:
    concurrency = figures["settings"]["concurrency"]
    results = []

    def check(name: str, value: str, passed: bool) -> None:
        results.append({"target": name, "value": value, "pass": passed})

    for ratio in ratios(figures):
        if ratio["path"] != "/":
            continue
        minimum = UNCACHED_SHARE_MIN if ratio["mode"] == "cache off" else CACHED_SHARE_MIN
        check(
            f"home page, {ratio['mode']}: >= {minimum:.0%} of minimal req/s",
            f"{ratio['ratio']:.1%}",
            ratio["ratio"] >= minimum,
        )
    for run in site_runs(figures):
        check(
            f"p99 < {P99_MAX_MS:.0f} ms at {concurrency} concurrent: {run['path']} {run['mode']}",
            f"{run['p99_ms']:.1f} ms",
            run["p99_ms"] < P99_MAX_MS,
        )
    for page in figures["queries"]:
        if "warm" not in page:
            check(f"<= {WARM_QUERIES_MAX} SQL queries (warm): {page['page']}", "n/a", False)
            continue
        warm = page["warm"]
        check(
            f"<= {WARM_QUERIES_MAX} SQL queries (warm): {page['path']}",
            f"{warm['queries']}" + ("" if warm["status"] == 200 else f" (HTTP {warm['status']})"),
            warm["queries"] <= WARM_QUERIES_MAX and warm["status"] == 200,
        )
    for server, sizes in figures["memory"].items():
        if server.startswith("site"):
            biggest = max(sizes, default=float("nan"))
            check(
                f"< {WORKER_RSS_MAX_MB:.0f} MB per worker: {server}",
                f"{biggest:.1f} MB",
                bool(sizes) and biggest < WORKER_RSS_MAX_MB,
            )
    errors = sum(run["errors"] for run in figures["load"])
    check("no errors under load (every answer 200)", str(errors), errors == 0)
    return results


def render(figures: dict, show_sql: bool = False) -> str:
    s = figures["settings"]
    out = [
        f"Machine: {s['cpus']} CPUs, load average {s['load_average']:.2f} before the run"
        + (" (other processes were busy: expect noisy figures)" if s["load_average"] > 0.5 else ""),
        f"Load: {s['workers']} gunicorn sync workers per server, {s['concurrency']} concurrent "
        f"clients, up to {s['requests']} requests or {s['seconds']:g} s per target "
        f"(after a warm-up). Home page: {s['home_bytes']} bytes; the minimal view sends as many.",
        "",
        table(
            ["target", "path", "mode", "req/s", "p50 ms", "p99 ms", "requests", "errors"],
            [
                [
                    run["server"],
                    run["path"],
                    run["mode"],
                    f"{run['requests_per_second']:.1f}",
                    f"{run['p50_ms']:.1f}",
                    f"{run['p99_ms']:.1f}",
                    run["requests"],
                    run["errors"],
                ]
                for run in figures["load"]
            ],
            "<<<>>>>>",
        ),
        "",
        "Site / minimal view, in requests per second:",
        table(
            ["path", "mode", "ratio"],
            [[r["path"], r["mode"], f"{r['ratio']:.1%}"] for r in ratios(figures)],
            "<<>",
        ),
        "Page cache check after the load (X-Page-Cache): "
        + ", ".join(f"{path} {value}" for path, value in figures["page_cache_check"].items()),
        "",
        "SQL queries per page (in-process, page cache off; cold = emptied caches):",
        table(
            ["page", "path", "cold", "warm"],
            [
                [q["page"], q["path"] or "-", _count(q, "cold"), _count(q, "warm")]
                for q in figures["queries"]
            ],
            "<<>>",
        ),
        "",
        "Worker memory after the load (VmRSS, MB):",
        table(
            ["server", "workers"],
            [
                [server, "  ".join(f"{mb:.1f}" for mb in sizes)]
                for server, sizes in figures["memory"].items()
            ],
            "<<",
        ),
        "",
        "Targets:",
    ]
    width = max(len(target["target"]) for target in figures["targets"])
    for target in figures["targets"]:
        verdict = "PASS" if target["pass"] else "FAIL"
        out.append(f"  {verdict}  {target['target']:<{width}}  {target['value']}")
    if show_sql:
        for q in figures["queries"]:
            if "warm" in q:
                out += ["", f"SQL of {q['path']} (warm, {q['warm']['queries']} queries):"]
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
