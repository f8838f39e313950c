"""The production configuration, on CI's machine: the same site on PostgreSQL with Redis.

A throw-away PostgreSQL database on the server at BENCH_POSTGRES_URL, and the Redis database at
BENCH_REDIS_URL with a key prefix of its own (bench/throwaway.py: emptied before and after;
the database dropped at the end, whatever happens). The site is prepared there as the SQLite
one is (migrate, the same demo, db_worker --batch for the image renditions; its media in a
folder of its own, the static files of the SQLite site reused), then measured like it
(bench/configuration.py): SQL queries in-process, the public pages with the page cache off and
on, the logged-in pages, then the minimal view again, so that the shares are those of this run.

No PostgreSQL or no Redis there: the section says so, and the rest of the report stands.
"""

import secrets

from . import configuration
from .prepare import BenchSite, CommandFailed, prepare_database
from .servers import ServerFailed
from .throwaway import Unavailable, postgres_database, redis_database

CONFIG = "postgresql"
LABEL = "PostgreSQL + Redis"


def environment(site: BenchSite, database_url: str, redis_url: str) -> dict[str, str]:
    return site.env_with(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        # Nothing left by another run (or another program) can answer for this one.
        CACHE_KEY_PREFIX=f"bench-{secrets.token_hex(6)}",
        MEDIA_ROOT=str(site.workdir / "media-postgresql"),
        PAGE_CACHE_SECONDS="0",
    )


def run_in(site: BenchSite, paths: list[str], args, say=print) -> dict:
    """This configuration's figures, or {"label": …, "error": …} when it could not run."""
    try:
        with redis_database() as redis_url, postgres_database("bench_site") as database_url:
            env = environment(site, database_url, redis_url)
            say(f"Preparing the site on {LABEL}")
            prepare_database(
                BenchSite(workdir=site.workdir, env=env), say, log_name="prepare-postgresql.log"
            )
            return configuration.measure(CONFIG, LABEL, env, site.workdir, paths, args, say)
    except (Unavailable, CommandFailed, ServerFailed) as error:
        return {"label": LABEL, "error": str(error)}
