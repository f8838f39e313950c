"""/health/ tells the load balancer whether this server can serve (the database), and the
operator what is degraded (cache, object storage, worker and scheduler)."""

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from tests.caches import LAYERED, REDIS_DOWN

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_storage_probe():
    """Each test probes the storages anew (the result is kept 10 s in the process)."""
    from operations import health

    health._storage_cache.update(at=None, results=None)
    yield
    health._storage_cache.update(at=None, results=None)


@pytest.fixture
def beats(monkeypatch):
    """The heartbeats /health/ reads, set by each test."""
    values = {}
    monkeypatch.setattr("operations.health.last_beats", lambda: dict(values))
    return values


@pytest.fixture
def queued_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_everything_up_is_ok(client, beats, queued_tasks):
    now = timezone.now()
    beats.update(worker=now - timedelta(seconds=20), scheduler=now - timedelta(seconds=50))
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "local"  # the tests' memory cache: nothing shared to check
    assert body["storage"] == {"default": "ok", "private": "ok"}
    assert body["processes"]["worker"]["status"] == "ok"
    assert 15 <= body["processes"]["worker"]["last_beat_seconds_ago"] <= 25
    assert body["processes"]["scheduler"]["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_a_real_redis_is_pinged(client, settings, beats):
    settings.CACHES = {
        "default": {
            "BACKEND": "home.cache_backends.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": "health-test",
        },
        "content": {
            "BACKEND": "home.cache_backends.LayeredCache",
            "OPTIONS": {"REMOTE": "default"},
        },
    }
    assert client.get(reverse("health")).json()["cache"] == "ok"


def test_redis_down_is_degraded_not_unavailable(client, settings, beats):
    settings.CACHES = {"default": REDIS_DOWN, "content": LAYERED}
    response = client.get(reverse("health"))
    assert response.status_code == 200  # the proxy keeps this server: pages are still served
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"] == "unavailable"


def test_a_late_or_missing_worker_is_degraded(client, beats, queued_tasks):
    beats["worker"] = timezone.now() - timedelta(minutes=5)
    body = client.get(reverse("health")).json()
    assert body["status"] == "degraded"
    assert body["processes"]["worker"]["status"] == "late"
    assert body["processes"]["scheduler"] == {"status": "never"}
    beats.clear()
    assert client.get(reverse("health")).json()["processes"]["worker"] == {"status": "never"}


def test_no_worker_is_expected_when_tasks_run_at_once(client, beats, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert client.get(reverse("health")).json()["status"] == "ok"


def test_storage_down_is_degraded(client, beats, monkeypatch):
    from django.core.files.storage import storages

    def unreachable(name):
        raise OSError("storage unreachable")

    monkeypatch.setattr(storages["private"], "exists", unreachable)
    body = client.get(reverse("health")).json()
    assert body["status"] == "degraded"
    assert body["storage"] == {"default": "ok", "private": "unavailable"}


def test_database_down_is_503(client, monkeypatch):
    # A database server cannot be stopped from inside the test run (`make prodcheck` restarts a
    # real one), so the failure is simulated at the edge: the cursor raises what a lost
    # connection raises.
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_a_slow_storage_does_not_hold_the_health_check(client, beats, monkeypatch):
    """The proxy gives /health/ 2 s: a storage that hangs is reported unavailable after 1 s,
    and the next checks within 10 s reuse that answer instead of probing again."""
    import threading
    import time

    from django.core.files.storage import storages

    probes, release = [], threading.Event()

    def hangs(name):
        probes.append(name)
        release.wait(5)
        return False

    monkeypatch.setattr(storages["default"], "exists", hangs)
    started = time.monotonic()
    body = client.get(reverse("health")).json()
    assert time.monotonic() - started < 2
    assert body["storage"] == {"default": "unavailable", "private": "ok"}
    assert body["status"] == "degraded"
    assert client.get(reverse("health")).json()["storage"]["default"] == "unavailable"
    assert len(probes) == 1
    release.set()


def test_monitors_may_ask_with_head(client, beats):
    assert client.head(reverse("health")).status_code == 200
    assert client.post(reverse("health")).status_code == 405
