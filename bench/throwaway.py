"""Throw-away services for the bench: a PostgreSQL database made on a server and dropped after,
a Redis database emptied before and after.

    BENCH_POSTGRES_URL  the PostgreSQL server, through its maintenance database
                        (default postgres://postgres@127.0.0.1:5432/postgres, as on CI)
    BENCH_REDIS_URL     the Redis database the bench may empty
                        (default redis://127.0.0.1:6379/13: no other part of the project uses 13)

Either one absent: `Unavailable`, whose message the report prints instead of its figures.
"""

import contextlib
import os
import urllib.parse
from collections.abc import Iterator

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
CONNECT_TIMEOUT = 3


class Unavailable(RuntimeError):
    pass


def _where(url: str) -> str:
    """host:port/database, without the user and any password."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.hostname}:{parts.port or ''}{parts.path}"


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def postgres_server() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)


@contextlib.contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty database named after `prefix` and this process; its URL. Dropped at the
    end, even with connections still open (WITH (FORCE))."""
    import psycopg

    server = postgres_server()
    try:
        admin = psycopg.connect(server, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as error:
        raise Unavailable(f"no PostgreSQL at {_where(server)} ({_one_line(error)})") from error
    name = f"{prefix}_{os.getpid()}"
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        yield urllib.parse.urlunsplit(urllib.parse.urlsplit(server)._replace(path=f"/{name}"))
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@contextlib.contextmanager
def redis_database() -> Iterator[str]:
    """The bench's Redis database, emptied now and at the end; its URL."""
    import redis

    url = redis_url()
    client = redis.Redis.from_url(
        url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=CONNECT_TIMEOUT
    )
    try:
        client.flushdb()
    except redis.RedisError as error:
        client.close()
        raise Unavailable(f"no Redis at {_where(url)} ({_one_line(error)})") from error
    try:
        yield url
    finally:
        with contextlib.suppress(redis.RedisError):
            client.flushdb()
        client.close()
