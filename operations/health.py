"""/health/: what the load balancer and the operator need to know, as JSON.

- database down: 503, so that the proxy takes this server out (nothing works without it);
- cache, object storage or worker down: 200 with `"status": "degraded"`. Pages are still served
  (slower without Redis; without uploads when the storage is down; e-mails wait in the queue when
  the worker is late): taking every server out would turn a partial outage into a total one.

Each check is short: the cache and the storage clients have timeouts of their own (settings).
"""

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import storages
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .heartbeats import last_beats

logger = logging.getLogger(__name__)

# A worker or a scheduler whose last beat is older than this is reported late. They beat every
# ~30 s (operations/heartbeats.py): two missed beats and a margin.
HEARTBEAT_LATE_SECONDS = 120
# Looked up in the storages, never created: a missing file is the normal answer.
_PROBE_NAME = "health/probe"


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return "ok"


def check_cache():
    """`ok`, `unavailable`, or `local` (memory of each process: nothing shared to check)."""
    cache = caches["default"]
    ping = getattr(cache, "ping", None)
    if ping is None:
        return "local"
    try:
        ping()
    except Exception:  # redis-py's ConnectionError, TimeoutError…
        return "unavailable"
    return "ok"


# A storage that answers slowly must not hold /health/ (the proxy gives it 2 s): both probes run
# at once and get STORAGE_TIMEOUT seconds; their result is kept STORAGE_CACHE_SECONDS in the
# process, so frequent checks cost one probe, and a hung probe never piles up.
STORAGE_TIMEOUT = 1.0
STORAGE_CACHE_SECONDS = 10
_storage_probes = ThreadPoolExecutor(max_workers=2, thread_name_prefix="health-storage")
_storage_cache = {"at": None, "results": None}


def _probe(alias):
    try:
        storages[alias].exists(_PROBE_NAME)
    except Exception as error:  # botocore's connection errors, a missing disk…
        logger.debug("Storage %s unavailable: %s", alias, error)
        return "unavailable"
    return "ok"


def check_storages():
    now = time.monotonic()
    if _storage_cache["at"] is not None and now - _storage_cache["at"] < STORAGE_CACHE_SECONDS:
        return dict(_storage_cache["results"])
    futures = {alias: _storage_probes.submit(_probe, alias) for alias in ("default", "private")}
    results = {}
    for alias, future in futures.items():
        try:
            results[alias] = future.result(timeout=STORAGE_TIMEOUT)
        except FutureTimeout:
            results[alias] = "unavailable"
    _storage_cache.update(at=now, results=results)
    return dict(results)


def check_heartbeats(now=None):
    """The worker's and the scheduler's last beats: `ok`, `late` or `never`, with their age."""

    now = now or timezone.now()
    try:
        beats = last_beats()
    except DatabaseError:
        return {}
    report = {}
    for name in ("worker", "scheduler"):
        beat = beats.get(name)
        if beat is None:
            report[name] = {"status": "never"}
            continue
        age = max(0, round((now - beat).total_seconds()))
        status = "ok" if age <= HEARTBEAT_LATE_SECONDS else "late"
        report[name] = {"status": status, "last_beat_seconds_ago": age}
    return report


@never_cache
@require_safe  # GET, and HEAD for monitors that only read the status
def health(request):
    database = check_database()
    if database != "ok":
        # Nothing else is worth a timeout: this server cannot serve pages.
        return JsonResponse({"status": "error", "database": database}, status=503)
    cache = check_cache()
    storage = check_storages()
    processes = check_heartbeats()
    degraded = (
        cache == "unavailable"
        or "unavailable" in storage.values()
        # Without a task queue (development runs tasks at once) no worker is expected.
        or (_expects_worker() and processes.get("worker", {}).get("status") != "ok")
    )
    return JsonResponse(
        {
            "status": "degraded" if degraded else "ok",
            "database": database,
            "cache": cache,
            "storage": storage,
            "processes": processes,
        }
    )


def _expects_worker():
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return "Immediate" not in backend and "Dummy" not in backend
