"""The content cache in production: Redis, with a copy in each process in front of it
(home/cache_backends.LayeredCache). Here the shared cache is a separate in-memory cache that
stands for Redis (Redis itself is exercised by make prodcheck): what matters is which layer
answers, and that a new content generation is seen by every process at once."""

import time

import pytest
from django.core.cache import caches
from django.test import override_settings

from home.cache import cached, invalidate_page_cache
from home.cache_backends import LayeredCache

SHARED = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}
LAYERED = {
    "BACKEND": "home.cache_backends.LayeredCache",
    "LOCATION": "one-process",
    "OPTIONS": {"REMOTE": "default", "LOCAL_ENTRIES": 3, "LOCAL_SECONDS": 60},
}


@pytest.fixture
def layered():
    from home import cache_backends

    cache_backends.outage.recovered()  # an earlier test's Redis outage is over
    cache_backends.recovery.unrecorded = False
    with override_settings(CACHES={"default": SHARED, "content": LAYERED, "ratelimit": SHARED}):
        caches["default"].clear()
        caches["content"].clear()
        yield caches["content"]
        caches["default"].clear()
        caches["content"].clear()


class CountingRemote:
    """Counts the reads that reach the shared cache."""

    def __init__(self, monkeypatch):
        self.reads = 0
        shared = caches["default"]
        original = shared.get

        def get(*args, **kwargs):
            self.reads += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(shared, "get", get)


def test_a_second_read_is_answered_by_the_process_copy(layered, monkeypatch):
    layered.set("fragment:7", "<nav>…</nav>", 3600)
    remote = CountingRemote(monkeypatch)
    assert layered.get("fragment:7") == "<nav>…</nav>"
    assert layered.get("fragment:7") == "<nav>…</nav>"
    assert remote.reads == 0
    assert caches["default"].get("fragment:7") == "<nav>…</nav>"  # written through to Redis


def test_another_process_reads_redis_once_then_its_own_copy(layered, monkeypatch):
    caches["default"].set("fragment:8", "written by another process", 3600)
    remote = CountingRemote(monkeypatch)
    assert layered.get("fragment:8") == "written by another process"
    assert layered.get("fragment:8") == "written by another process"
    assert remote.reads == 1
    assert layered.get("absent", "none") == "none"


def test_the_copy_is_bounded(layered, monkeypatch):
    for n in range(10):
        layered.set(f"fragment:{n}", n, 3600)
    remote = CountingRemote(monkeypatch)
    assert [layered.get(f"fragment:{n}") for n in range(10)] == list(range(10))
    assert remote.reads >= 6  # most were pushed out of the process's 3 entries


def test_a_new_generation_is_seen_at_once_by_every_process(layered):
    """The generation is in the shared cache; content keys carry it: a process's old copies are
    never read again once another process publishes."""
    computed = []
    assert cached("menu", lambda: computed.append(1) or "menu v1") == "menu v1"
    assert cached("menu", lambda: computed.append(1) or "menu v1") == "menu v1"
    assert computed == [1]
    invalidate_page_cache()  # as any process does on a publication
    assert cached("menu", lambda: "menu v2") == "menu v2"


def test_nothing_kept_for_zero_seconds(layered):
    layered.set("preview", "unsaved", 0)
    assert layered.get("preview") is None


def test_redis_down_means_a_miss_not_an_error(layered, monkeypatch):
    shared = caches["default"]
    monkeypatch.setattr(shared, "get", lambda key, default=None, version=None: default)
    assert layered.get("fragment:9", "rebuild") == "rebuild"
    assert isinstance(layered, LayeredCache)


@pytest.fixture
def redis_down():
    from home import cache_backends

    cache_backends.outage.failed("down for the test")
    yield
    cache_backends.outage.recovered()


def test_while_redis_is_down_the_process_keeps_its_copies_a_few_seconds(
    layered, redis_down, monkeypatch
):
    """The copy is all there is during an outage: without it every request built every page
    (25 to 38 queries each). A few seconds only: another process's publication cannot reach
    this one while Redis is down."""
    layered.set("fragment:0", "built during the outage", 3600)
    caches["default"].delete("fragment:0")  # Redis holds nothing
    assert layered.get("fragment:0") == "built during the outage"
    later = time.time() + 6  # past OUTAGE_SECONDS (5), well within LOCAL_SECONDS (60)
    monkeypatch.setattr(time, "time", lambda: later)
    assert layered.get("fragment:0") is None


def test_a_publication_while_redis_is_down_shows_at_once_in_its_own_process(
    layered, redis_down, monkeypatch
):
    shared = caches["default"]
    monkeypatch.setattr(shared, "set", lambda *args, **kwargs: None)  # the write fails
    assert cached("menu", lambda: "menu v1") == "menu v1"
    assert cached("menu", lambda: "menu v2") == "menu v1"  # kept in the process
    invalidate_page_cache()  # the new generation could not be written…
    assert cached("menu", lambda: "menu v2") == "menu v2"  # …the process forgot its copies


REDIS = {
    "BACKEND": "home.cache_backends.ResilientRedisCache",
    "LOCATION": "redis://127.0.0.1:6379/0",
}


def test_redis_answering_again_keeps_the_generation_when_nothing_was_published(layered):
    """One failed call (a timeout) must not make the whole site's cache cold."""
    from home import cache_backends
    from home.cache import read_generation

    first = read_generation()
    cache_backends._after_outage()  # what the first call that succeeds runs
    assert read_generation() == first


def test_a_publication_while_redis_was_down_starts_a_generation_when_it_answers(
    layered, monkeypatch
):
    """The publication could not record its generation: it is recorded when Redis answers
    again."""
    from types import SimpleNamespace

    from home import cache, cache_backends
    from home.cache import invalidate_page_cache, read_generation

    first = read_generation()
    monkeypatch.setattr(cache, "outage", SimpleNamespace(down=True))  # Redis down…
    monkeypatch.setattr(caches["default"], "set", lambda *args, **kwargs: None)  # …the write fails
    invalidate_page_cache()
    monkeypatch.undo()
    assert cache_backends.recovery.unrecorded
    assert read_generation() == first  # not recorded
    cache_backends._after_outage()  # Redis answers
    assert read_generation() != first
    assert not cache_backends.recovery.unrecorded


def test_the_read_that_ends_the_outage_gets_the_generation_it_started(real_redis):
    """The first call that succeeds after an outage is the generation's read: it ends the
    outage, the publication's generation is started, and that read returns it, not the one
    from before."""
    from home import cache_backends
    from home.cache import read_generation

    first = read_generation()
    cache_backends.outage.failed("down for the test")
    cache_backends.recovery.unrecorded = True  # a publication during the outage
    again = read_generation()
    assert again not in (first, None) and not str(again).startswith("outage")
    assert read_generation() == again


@pytest.fixture
def real_redis(settings):
    """A real Redis (CI's machine has one) behind the production backends, under a prefix of
    its own."""
    from home import cache_backends

    cache_backends.outage.recovered()
    cache_backends.recovery.unrecorded = False
    settings.CACHES = {
        "default": {**REDIS, "KEY_PREFIX": f"outage-test-{time.time_ns()}"},
        "content": LAYERED,
        "ratelimit": SHARED,
    }
    yield caches["default"]
    caches["default"].delete("content-generation")
    cache_backends.recovery.unrecorded = False


def test_while_redis_is_down_the_generation_changes_every_few_seconds(settings, monkeypatch):
    """What a process keeps during an outage is read for a few seconds at most, and never
    again at a later outage."""
    from home import cache_backends
    from home.cache import read_generation

    settings.CACHES = {
        "default": {**REDIS, "LOCATION": "redis://127.0.0.1:1/0"},
        "content": LAYERED,
        "ratelimit": SHARED,
    }
    try:
        now = 1_000_000.0
        monkeypatch.setattr(time, "time", lambda: now)
        during = read_generation()
        assert str(during).startswith("outage-") and read_generation() == during
        now += 5
        assert read_generation() != during
    finally:
        cache_backends.outage.recovered()


def test_a_generation_lost_with_redis_is_replaced_by_a_new_one(layered):
    """Redis restarted empty: had the generation fallen back to 0, a process's copies kept under
    0 (before the first publication) would be read again. A new generation is started instead."""
    from home.cache import read_generation

    first = read_generation()
    assert first != 0
    assert read_generation() == first  # kept, not started again
    caches["default"].clear()  # Redis lost everything
    assert read_generation() not in (0, first)
