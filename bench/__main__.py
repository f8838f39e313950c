"""`make bench`: prepare a throw-away site, load it under gunicorn, print the report.

    .venv/bin/python -m bench [--concurrency 10] [--requests 2000] [--seconds 20]
                              [--json bench/results/bench.json] [--sql]

The servers run one at a time (the machine may have only 2 cores). Two configurations are
measured the same way (bench/configuration.py): SQLite with the memory cache, then PostgreSQL
with Redis (bench/production_config.py, a throw-away database on BENCH_POSTGRES_URL): the public
pages with the page cache off, then on, the logged-in pages (a member, a juror, a volunteer:
bench/sessions.py), then the minimal Django view, the baseline of that configuration's shares.
Between the two, the production topology (Caddy in front of one and of two app servers,
bench/topology.py). Then, in-process: the award's ranking, the network's figures, the volunteer
matching (2,000 needs × 5,000 offers, bench/matching.py) and the site search (10,000 pages on
SQLite and PostgreSQL, bench/search.py).
Progress goes to stderr, the report to stdout. Exit code 0 when the report is complete, even if
targets fail or PostgreSQL or Redis is missing (their sections say so); 1 when something could
not run; 130 when interrupted. Every server is stopped, and the throw-away PostgreSQL database
dropped, in any case.
"""

import argparse
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from . import (
    configuration,
    impact,
    matching,
    module_run,
    production_config,
    ranking,
    search,
    topology,
)
from .prepare import CommandFailed, prepare
from .report import render, targets, write_json
from .servers import WORKERS, ServerFailed

# The public pages, measured with the page cache off and on, in each configuration.
SITE_PATHS = [
    "/",
    "/association/",
    "/prix-la-part-des-autres/edition-2018/",
    "/adherer/bulletin/",
    "/recherche/?q=association",
    "/benevolat/besoins/",
]


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


def run(args: argparse.Namespace, workdir: Path) -> dict:
    # Taken before our own work starts: anything above ~0.5 means someone else is using the CPU.
    load_average = os.getloadavg()[0]
    say(f"Preparing a throw-away site in {workdir}")
    site = prepare(workdir, say=say)
    figures = {
        "settings": {
            "concurrency": args.concurrency,
            "requests": args.requests,
            "seconds": args.seconds,
            "workers": WORKERS,
            "cpus": os.cpu_count(),
            "load_average": load_average,
        },
        "configs": {},
        "ranking": {},
        "impact": {},
        "matching": {},
        "search": {},
        "topology": {},
    }

    say("SQLite with the memory cache")
    figures["configs"]["sqlite"] = configuration.measure(
        "sqlite", "SQLite + memory cache", site.env, workdir, SITE_PATHS, args, say=say
    )

    say("Through the proxy: Caddy in front of one, then two app servers (deploy/Caddyfile)")
    figures["topology"] = topology.run_in(site, workdir, args, say=say)

    say("PostgreSQL with Redis (the production configuration)")
    figures["configs"]["postgresql"] = production_config.run_in(site, SITE_PATHS, args, say=say)

    # After the pages: the data these add to the SQLite site must not weigh on them (and the
    # PostgreSQL site, which has none of it, is measured on the same demo).
    say("Timing the award's ranking (300 applications × 5 jurors × 8 criteria)")
    figures["ranking"] = module_run.figures_in(site, "ranking")
    say("Timing the network's figures (1,000 organisations × 30 indicators × 5 years)")
    figures["impact"] = module_run.figures_in(site, "impact")
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
