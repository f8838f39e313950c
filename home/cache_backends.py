"""The cache backends: a Redis cache that degrades instead of failing, and the layered cache
of content (a copy in each process in front of Redis, `LayeredCache` below).

If Redis is down, pages are built again from the database (slower) rather than answering 500,
and /health/ still tells the truth about the database.

An outage is logged when it starts, then once a minute, then when Redis answers again
(operations/outages.py): not once per cache call, which wrote 15,000 lines in 20 seconds.
"""

import functools
import logging
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from operations.outages import Outage

logger = logging.getLogger(__name__)
outage = Outage("Cache (Redis)", logger)


# The shared cache's key of the current content generation (home/cache.py).
GENERATION_KEY = "content-generation"


class _Recovery:
    """This process's side of a Redis outage's end (home/cache.py reads and writes it)."""

    unrecorded = False  # a publication here could not record its new generation
    count = 0  # how many times Redis came back, seen from here


def _tolerant(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                result = method(self, *args, **kwargs)
            except Exception as error:  # redis-py raises its own ConnectionError, TimeoutError…
                outage.failed(f"{method.__name__}: {error}")
                return default(args, kwargs) if callable(default) else default
            if outage.recovered():
                _after_outage()
            return result

        return wrapper

    return decorate


recovery = _Recovery()


def start_generation():
    """A new content generation in the shared cache: every key carrying the old one is
    forgotten (home/cache.invalidate_page_cache, and _after_outage below)."""
    caches["default"].set(GENERATION_KEY, time.time_ns(), None)


def _after_outage():
    """Redis answers again. A publication this process made while it was down could not record
    its new content generation: one is started now, so that nothing kept before it is served
    again. Each process that published does so for itself; one that did not leaves the caches
    as they are (a single failed call must not make the whole site's cache cold)."""
    recovery.count += 1
    if recovery.unrecorded:
        recovery.unrecorded = False
        start_generation()


def _default_arg(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class ResilientRedisCache(RedisCache):
    get = _tolerant(_default_arg)(RedisCache.get)
    get_many = _tolerant({})(RedisCache.get_many)
    set = _tolerant(None)(RedisCache.set)
    set_many = _tolerant([])(RedisCache.set_many)
    add = _tolerant(False)(RedisCache.add)
    touch = _tolerant(False)(RedisCache.touch)
    delete = _tolerant(False)(RedisCache.delete)
    delete_many = _tolerant(None)(RedisCache.delete_many)
    has_key = _tolerant(False)(RedisCache.has_key)
    clear = _tolerant(False)(RedisCache.clear)

    def ping(self):
        """Raises when Redis does not answer (for /health/, which must not be fooled by the
        tolerant methods above)."""
        self._cache.get_client(write=True).ping()


_MISSING = object()


class LayeredCache(BaseCache):
    """The shared cache (Redis) with a small copy in each process in front of it, for entries
    that never change once written: those keyed by the content generation (home/cache.py), the
    `content` cache alias. A key names one version of one fragment or page forever, so the copy
    is never stale; a new generation makes new keys, and old copies are pushed out by the
    newest (a bounded number of entries) or expire.

    What it saves: a Redis round trip per fragment and per cached page (measured in issue 18: on
    PostgreSQL with Redis, every fragment was a network round trip). The generation itself is
    read from Redis once per request (ContentGenerationMiddleware), never from this layer.

    While Redis is down, the copy is all there is. The generation is then an outage generation
    of a few seconds (home/cache.read_generation: a new one every OUTAGE_GENERATION_SECONDS,
    never read again once past), and copies are kept that long at most: a publication cannot
    start a new generation for the other processes, which show it within those seconds (the
    process that published forgets its copies at once, `forget_copies`). Without these copies,
    every request built every page from the database: 15 to 20 times the work (25 to 38 queries
    a page, measured on PostgreSQL), and under `make prodcheck`'s load the servers, too busy to
    answer the proxy's health checks in time, were both taken out. When Redis answers again, a
    process that published meanwhile starts a new generation (_after_outage).

    OPTIONS: REMOTE (the alias of the shared cache, "default"), LOCAL_ENTRIES (how many
    entries each process keeps, 200), LOCAL_SECONDS (how long at most, 300), OUTAGE_SECONDS (how
    long at most while Redis is down, 5)."""

    def __init__(self, location, params):
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self._remote_alias = options.get("REMOTE", "default")
        self._local_seconds = int(options.get("LOCAL_SECONDS", 300))
        self._outage_seconds = int(options.get("OUTAGE_SECONDS", 5))
        self._local = LocMemCache(
            f"layered-{location or 'content'}",
            {
                "TIMEOUT": self._local_seconds,
                "OPTIONS": {"MAX_ENTRIES": int(options.get("LOCAL_ENTRIES", 200))},
            },
        )

    @property
    def _remote(self):
        return caches[self._remote_alias]

    def _local_timeout(self, timeout):
        if timeout is DEFAULT_TIMEOUT or timeout is None:
            return self._local_seconds
        return min(timeout, self._local_seconds)

    def get(self, key, default=None, version=None):
        value = self._local.get(key, _MISSING, version=version)
        if value is not _MISSING:
            return value
        value = self._remote.get(key, _MISSING, version=version)
        if value is _MISSING:
            return default
        self._keep(key, value, self._local_seconds, version)
        return value

    def _keep(self, key, value, timeout, version):
        if timeout == 0:
            return
        seconds = self._local_timeout(timeout)
        if outage.down:
            seconds = min(seconds, self._outage_seconds)
        self._local.set(key, value, seconds, version=version)

    def forget_copies(self):
        """This process's copies only (a publication while Redis is down)."""
        self._local.clear()

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._remote.set(key, value, timeout, version=version)
        self._keep(key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        added = self._remote.add(key, value, timeout, version=version)
        if added:
            self._keep(key, value, timeout, version)
        return added

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._remote.touch(key, timeout, version=version)

    def delete(self, key, version=None):
        self._local.delete(key, version=version)
        return self._remote.delete(key, version=version)

    def has_key(self, key, version=None):
        return self._local.has_key(key, version=version) or self._remote.has_key(
            key, version=version
        )

    def clear(self):
        self._local.clear()
        return self._remote.clear()
