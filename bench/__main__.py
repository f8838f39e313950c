"""`make bench`: prepare a throw-away site, load it under gunicorn, print the report.

    .venv/bin/python -m bench [--concurrency 10] [--requests 2000] [--seconds 20]
                              [--json bench/results/bench.json] [--sql]

The servers run one at a time (the machine may have only 2 cores): the site with the page
cache off, the site with it on, then the minimal Django view, then the production topology
(Caddy in front of one and of two app servers, bench/topology.py). The award's ranking and,
last, the volunteer matching (2,000 needs × 5,000 offers, bench/matching.py) and the site search
(10,000 pages on SQLite and PostgreSQL, bench/search.py) are timed in-process.
Progress goes to stderr, the report to stdout. Exit code 0 when the report is complete, even if
targets fail; 1 when something could not run; 130 when interrupted. Every server is stopped in
any case.
"""

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from . import impact, matching, module_run, ranking, search, topology
from .load import fetch, run_load
from .prepare import BenchSite, CommandFailed, prepare
from .report import render, targets, write_json
from .servers import WORKERS, Server, ServerFailed, running

SITE_PATHS = ["/", "/association/", "/adherer/bulletin/", "/benevolat/besoins/"]
CACHE_MODES = [("cache off", "0"), ("cache on", "300")]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--concurrency", type=int, default=10, help="concurrent clients (10)")
    parser.add_argument(
        "--requests", type=int, default=2000, help="measured requests per target, at most (2000)"
    )
    parser.add_argument(
        "--seconds", type=float, default=20, help="time limit per target, in seconds (20)"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    parser.add_argument("--sql", action="store_true", help="print the SQL of each page (warm)")
    args = parser.parse_args(argv)
    if args.concurrency < 1 or args.requests < 1 or args.seconds <= 0:
        parser.error("--concurrency, --requests and --seconds must be positive")
    return args


def count_queries(site: BenchSite) -> list[dict]:
    """Run bench.queries in its own process, with the site's environment (cache off)."""
    out = site.workdir / "queries.json"
    log = site.workdir / "queries.log"
    code = module_run.run_module("queries", site.env_with(PAGE_CACHE_SECONDS="0"), out, log)
    if code != 0:
        raise CommandFailed(f"bench.queries exited with {code}:\n{log.read_text()[-3000:]}")
    return json.loads(out.read_text())


def load(figures: dict, server: Server, label: str, mode: str, paths: list[str], args) -> None:
    for path in paths:
        say(f"  load {label} {path} ({mode})")
        result = run_load(
            f"{label} {path} {mode}",
            server.port,
            path,
            args.concurrency,
            args.requests,
            args.seconds,
        )
        figures["load"].append({"server": label, "mode": mode, **result.as_dict()})
    figures["memory"][server.name] = server.worker_rss_mb()


def run(args: argparse.Namespace, workdir: Path) -> dict:
    # Taken before our own work starts: anything above ~0.5 means someone else is using the CPU.
    load_average = os.getloadavg()[0]
    say(f"Preparing a throw-away site in {workdir}")
    site = prepare(workdir, say=say)
    say("Counting SQL queries per page")
    figures = {
        "settings": {
            "concurrency": args.concurrency,
            "requests": args.requests,
            "seconds": args.seconds,
            "workers": WORKERS,
            "cpus": os.cpu_count(),
            "load_average": load_average,
            "home_bytes": None,
        },
        "load": [],
        "queries": count_queries(site),
        "ranking": {},
        "impact": {},
        "matching": {},
        "search": {},
        "memory": {},
        "page_cache_check": {},
        "topology": {},
    }

    say("Timing the award's ranking (300 applications × 5 jurors × 8 criteria)")
    figures["ranking"] = module_run.figures_in(site, "ranking")
    say("Timing the network's figures (1,000 organisations × 30 indicators × 5 years)")
    figures["impact"] = module_run.figures_in(site, "impact")

    for mode, cache_seconds in CACHE_MODES:
        env = site.env_with(PAGE_CACHE_SECONDS=cache_seconds)
        server = Server(f"site {mode}", "config.wsgi:application", env, workdir)
        say(f"Starting gunicorn: site, {mode}")
        with running(server, ready_path="/health/"):
            status, _, body = fetch(server.port, "/")
            if status != 200:
                raise ServerFailed(f"the home page answers {status}.\n{server.log_tail()}")
            if figures["settings"]["home_bytes"] is None:
                # The minimal view will send a page of exactly this size.
                figures["settings"]["home_bytes"] = len(body)
            load(figures, server, "site", mode, SITE_PATHS, args)
            if cache_seconds != "0":
                # Did the cache really serve these pages? (A page that sets a cookie never is.)
                for path in SITE_PATHS:
                    headers = fetch(server.port, path)[1]
                    figures["page_cache_check"][path] = headers.get("X-Page-Cache", "absent")

    # The minimal app takes no settings module: it configures Django in code.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["BENCH_BODY_BYTES"] = str(figures["settings"]["home_bytes"])
    server = Server("minimal", "bench.minimal:application", env, workdir)
    say("Starting gunicorn: minimal view")
    with running(server):
        load(figures, server, "minimal", "-", ["/"], args)

    say("Through the proxy: Caddy in front of one, then two app servers (deploy/Caddyfile)")
    figures["topology"] = topology.run_in(site, workdir, args, say=say)

    # Last: its 2,000 needs and 5,000 offers must not weigh on the pages measured above.
    say("Timing the volunteer matching (2,000 needs × 5,000 offers)")
    figures["matching"] = module_run.figures_in(site, "matching")

    say("Timing the site search (10,000 generated pages, SQLite then PostgreSQL)")
    figures["search"] = search.run_in(site, say=say)

    figures["targets"] = (
        targets(figures) + matching.targets(figures["matching"]) + impact.targets(figures["impact"])
    )
    return figures


def _terminate(signum, frame):
    # SIGTERM (e.g. from a CI runner): unwind like Ctrl-C, so every finally stops its server.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        figures = run(args, workdir)
    except KeyboardInterrupt:
        say("bench: interrupted; servers stopped.")
        return 130
    except (CommandFailed, ServerFailed, RuntimeError, OSError) as error:
        say(f"bench: could not run: {error}")
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(render(figures, show_sql=args.sql))
    print("\n" + ranking.render(figures["ranking"]))
    print("\n" + impact.render(figures["impact"]))
    print("\n" + matching.render(figures["matching"]))
    print("\n" + search.render(figures["search"]))
    print("\n" + topology.render(figures["topology"]))
    if args.json:
        write_json(figures, args.json)
        say(f"Figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
