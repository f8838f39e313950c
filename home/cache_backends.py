"""A Redis cache that degrades instead of failing: if Redis is down, pages are built again
from the database (slower) rather than answering 500, and /health/ still tells the truth about
the database."""

import functools
import logging

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def _tolerant(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except Exception as error:  # redis-py raises its own ConnectionError, TimeoutError…
                logger.warning("Cache unavailable (%s): %s", method.__name__, error)
                return default(args, kwargs) if callable(default) else default

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
