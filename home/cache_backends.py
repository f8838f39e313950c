"""A Redis cache that degrades instead of failing: if Redis is down, pages are built again
from the database (slower) rather than answering 500, and /health/ still tells the truth about
the database.

An outage is logged when it starts, then once a minute, then when Redis answers again
(operations/outages.py): not once per cache call, which wrote 15,000 lines in 20 seconds.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache

from operations.outages import Outage

logger = logging.getLogger(__name__)
outage = Outage("Cache (Redis)", logger)


def _tolerant(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                result = method(self, *args, **kwargs)
            except Exception as error:  # redis-py raises its own ConnectionError, TimeoutError…
                outage.failed(f"{method.__name__}: {error}")
                return default(args, kwargs) if callable(default) else default
            outage.recovered()
            return result

        return wrapper

    return decorate


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
