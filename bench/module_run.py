"""The measures the harness runs each in a process of its own (queries, ranking, matching,
search): how the harness runs one and reads its figures, and how one runs alone.

A module run by the harness is `python -m bench.<name> OUT.json`, with the bench site's
environment: it writes its figures to OUT.json, its output goes to a log the harness quotes
when it fails. Run alone (no DJANGO_SETTINGS_MODULE), it makes its own throw-away SQLite
database with the test settings, migrates it, and prints its figures.
"""

import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from .prepare import PYTHON, REPO


def timed(function, runs):
    """Median and best time in ms over `runs` calls (after one warm-up), and the last result."""
    result = function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), result


def run_module(name, env, out, log, mode="w"):
    """Run bench.<name> with `env`, its figures to `out` and its output to `log` (`mode` "a"
    adds to what the log already holds); its exit code."""
    with log.open(mode) as stderr:
        return subprocess.call(
            [PYTHON, "-m", f"bench.{name}", str(out)],
            cwd=REPO,
            env=env,
            stdout=stderr,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )


def module_figures(name, env, out, log, tail, mode="w"):
    """bench.<name>'s figures, or {"error": …} with the last `tail` characters of its log."""
    code = run_module(name, env, out, log, mode)
    if code != 0:
        return {"error": f"exited with {code}: {log.read_text()[-tail:]}"}
    return json.loads(out.read_text())


def figures_in(site, name):
    """bench.<name>'s figures on the bench site, its page cache off (its JSON and log in the
    site's work folder)."""
    env = site.env_with(PAGE_CACHE_SECONDS="0")
    out, log = site.workdir / f"{name}.json", site.workdir / f"{name}.log"
    return module_figures(name, env, out, log, tail=500)


def main(name, measure, show, argv):
    """A module's `main`: measure() on the harness's database (writing the figures to argv[0]),
    or, alone, on a throw-away one (printing show(figures) when no file is named)."""
    # Django is imported only once the settings are chosen below.
    import django

    folder = None
    if "DJANGO_SETTINGS_MODULE" not in os.environ:
        # Alone: a throw-away SQLite database with the test settings.
        folder = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / f'{name}.sqlite3'}"
        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    else:
        django.setup()
    try:
        figures = measure()
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    if argv:
        Path(argv[0]).write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        print(show(figures))


def write(measure, argv):
    """The `main` of a module only the harness runs (queries, sessions): the site's settings
    (production's unless the environment names others), measure(), the figures to argv[0]."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()
    Path(argv[0]).write_text(json.dumps(measure(), indent=2))
