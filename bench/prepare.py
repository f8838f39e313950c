"""A throw-away site for the benchmark: its own SQLite database, media and static files.

Nothing is read from the developer's database or media: everything lives in a temporary folder
that is deleted at the end. The environment is production's (config.settings.production, DEBUG
off, hashed and compressed static files) with the few changes a local, plain-HTTP run needs:
a generated SECRET_KEY, ALLOWED_HOSTS for 127.0.0.1, no HTTPS redirect. Services that would
send traffic off this machine (Redis, Elasticsearch, SMTP) are left unset.

Preparation runs, in order: migrate, load_demo_content, load_demo_members,
load_demo_volunteering, load_demo_awards (the 2018 edition's page, its jurors and their
assignments), db_worker --batch (production makes image renditions in the task worker, so they
must exist before visitors come), collectstatic. The PostgreSQL configuration
(bench/production_config.py) prepares its own database the same way, collectstatic aside.
"""

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# Variables that could point the site at another machine, or at the developer's own files.
UNSET = (
    "DATABASE_URL",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "EMAIL_URL",
    "STRIPE_SECRET_KEY",
    "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_API_BASE",
    "TASKS_BACKEND",
    "DATABASE_CONN_MAX_AGE",
)


class CommandFailed(RuntimeError):
    pass


@dataclass
class BenchSite:
    workdir: Path
    env: dict[str, str]

    def env_with(self, **extra: str) -> dict[str, str]:
        return {**self.env, **extra}


def site_environment(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        PAGE_CACHE_SECONDS="0",
    )
    return env


def manage(site: BenchSite, *args: str, log_name: str = "prepare.log") -> None:
    """Run one manage.py command; its output goes to a log file, shown if it fails."""
    log = site.workdir / log_name
    with log.open("a") as out:
        out.write(f"\n$ manage.py {' '.join(args)}\n")
        out.flush()
        code = subprocess.call(
            [PYTHON, "manage.py", *args],
            cwd=REPO,
            env=site.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    if code != 0:
        tail = "\n".join(log.read_text().splitlines()[-25:])
        raise CommandFailed(f"manage.py {' '.join(args)} exited with {code}:\n{tail}")


DEMO_COMMANDS = (
    "load_demo_content",
    "load_demo_members",  # the fee grid and the bulletin page
    "load_demo_volunteering",  # the board needs of /benevolat/besoins/, volunteers' offers
    "load_demo_awards",  # the 2018 edition's page, its jurors and their assignments
)


def prepare_database(site: BenchSite, say=print, log_name: str = "prepare.log") -> None:
    """Migrate the site's database, load the demo, make the image renditions."""
    say("  migrate")
    manage(site, "migrate", "--no-input", log_name=log_name)
    say("  " + ", ".join(DEMO_COMMANDS))
    for command in DEMO_COMMANDS:
        manage(site, command, log_name=log_name)
    say("  db_worker --batch (image renditions)")
    manage(site, "db_worker", "--batch", "--no-startup-delay", "--no-reload", log_name=log_name)


def prepare(workdir: Path, say=print) -> BenchSite:
    site = BenchSite(workdir=workdir, env=site_environment(workdir))
    prepare_database(site, say)
    say("  collectstatic")
    manage(site, "collectstatic", "--no-input")
    return site
