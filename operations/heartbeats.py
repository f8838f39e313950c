"""Signs of life of the long-running processes (the task worker, the scheduler).

Each process calls `beat(name)` as often as it likes (every turn of its loop): the row is written
at most once every `BEAT_SECONDS`, so a worker polling every second costs one write per half
minute, not sixty. A beat that cannot be written (database down) is dropped quietly: the process
logs the outage itself, once, and beats again when the database answers.

`last_beats()` gives the latest beat of each process name, whichever machine it came from
(/health/ reads it). It raises `DatabaseError` when the database does not answer.
"""

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.db import DatabaseError
from django.db.models import Max
from django.utils import timezone

from .models import Heartbeat

logger = logging.getLogger(__name__)

BEAT_SECONDS = 30
# Rows of machines that are gone (a container replaced at each deployment has a new name) are
# deleted once this old, so the table keeps only the processes that ran recently.
FORGET_AFTER = timedelta(days=7)

_last_written = {}  # process name -> time.monotonic() of its last written beat, in this process
_lock = threading.Lock()


def beat(name, *, clock=time.monotonic):
    """Record that process `name` is alive, unless this process did so less than
    BEAT_SECONDS ago. True when a row was written."""
    now = clock()
    with _lock:
        last = _last_written.get(name)
        if last is not None and now - last < BEAT_SECONDS:
            return False
    try:
        _write(name)
    except DatabaseError as error:
        # Not remembered as written: the next call tries again.
        logger.debug("Heartbeat of %s not written: %s", name, error)
        return False
    with _lock:
        _last_written[name] = now
    return True


def _write(name):
    now = timezone.now()
    # One statement, safe when two processes of the same name on one machine beat together.
    Heartbeat.objects.bulk_create(
        [Heartbeat(name=name, host=socket.gethostname()[:255], pid=os.getpid(), last_beat=now)],
        update_conflicts=True,
        unique_fields=["name", "host"],
        update_fields=["pid", "last_beat"],
    )
    Heartbeat.objects.filter(last_beat__lt=now - FORGET_AFTER).delete()


def last_beats():
    """{process name: its latest beat (aware datetime)}, over every machine."""
    rows = Heartbeat.objects.values("name").annotate(latest=Max("last_beat"))
    return {row["name"]: row["latest"] for row in rows}


def forget_throttle():
    """Let the next beat of every name be written (tests, and a process that forks)."""
    with _lock:
        _last_written.clear()
