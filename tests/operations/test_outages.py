"""An outage is logged when it starts, once per interval while it lasts, and when it ends: not
once per failed call."""

import logging

import pytest

from operations.outages import Outage
from tests.caches import LAYERED, REDIS_DOWN


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_an_outage_is_logged_once_per_interval_and_when_it_ends(caplog):
    clock = Clock()
    outage = Outage("Cache (Redis)", "tests.outage", interval=60, clock=clock)
    with caplog.at_level(logging.INFO, logger="tests.outage"):
        for _ in range(500):
            outage.failed("connection refused")
            clock.now += 0.1  # 500 failures over 50 s
        assert [r.getMessage() for r in caplog.records] == [
            "Cache (Redis) unavailable: connection refused"
        ]
        clock.now += 15  # 65 s after the start
        outage.failed("connection refused")
        assert caplog.records[-1].getMessage() == (
            "Cache (Redis) still unavailable after 65 s (500 failures since the last report): "
            "connection refused"
        )
        outage.recovered()
        outage.recovered()  # only the first success after the outage says so
        assert [r.getMessage() for r in caplog.records][2:] == [
            "Cache (Redis) available again after 65 s (501 failures)."
        ]
        outage.failed("timeout")  # a new outage starts a new count
        assert caplog.records[-1].getMessage() == "Cache (Redis) unavailable: timeout"
    assert len(caplog.records) == 4


def test_redis_down_writes_one_warning_not_one_per_call(client, site_tree, settings, caplog):
    from home import cache_backends, ratelimit

    cache_backends.outage.recovered()  # a previous test's outage is over
    ratelimit.counters_outage.recovered()
    settings.CACHES = {
        "default": REDIS_DOWN,
        "content": LAYERED,
        "ratelimit": {
            "BACKEND": "home.cache_backends.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    with caplog.at_level(logging.WARNING):
        for path in ("/", "/association/", "/recherche/?q=association", "/"):
            assert client.get(path).status_code == 200, path
    unavailable = [r.getMessage() for r in caplog.records if "unavailable" in r.getMessage()]
    # One line for the cache, one for the rate-limit counters (the search is rate limited).
    assert len(unavailable) == 2, unavailable
    cache_backends.outage.recovered()
    ratelimit.counters_outage.recovered()


pytestmark = pytest.mark.django_db
