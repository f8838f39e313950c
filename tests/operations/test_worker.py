"""The task worker of production (`run_worker`): django-tasks-db's worker that waits out a
database outage instead of exiting, and beats.

The worker claims tasks in transactions of its own and closes broken connections: these tests
use real transactions (`transaction=True`), as the worker does in production."""

import logging
import signal

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks import task
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from operations import heartbeats, worker
from operations.models import Heartbeat

pytestmark = pytest.mark.django_db(transaction=True)

done = []


@task()
def note(value):
    done.append(value)
    return value


@pytest.fixture(autouse=True)
def queue(settings, monkeypatch):
    """The database queue, no wait between attempts while the database is « down », and the
    signal handlers the worker installs put back afterwards."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(worker, "OUTAGE_RETRY_SECONDS", (0,))
    saved = {
        number: signal.getsignal(number)
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    done.clear()
    heartbeats.forget_throttle()
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)
    heartbeats.forget_throttle()


def run_worker(*options):
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", *options)


def test_queued_tasks_are_run_in_batch_mode():
    results = [note.enqueue(n) for n in (1, 2, 3)]
    run_worker()
    assert sorted(done) == [1, 2, 3]
    statuses = set(
        DBTaskResult.objects.filter(id__in=[r.id for r in results]).values_list("status", flat=True)
    )
    assert statuses == {"SUCCESSFUL"}


def test_a_database_outage_is_logged_once_and_the_worker_carries_on(monkeypatch, caplog):
    note.enqueue("after the outage")
    real_get_locked = DBTaskResultQuerySet.get_locked
    calls = {"n": 0}

    def get_locked_while_down(self):
        calls["n"] += 1
        if calls["n"] <= 4:
            raise OperationalError("server closed the connection unexpectedly")
        return real_get_locked(self)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", get_locked_while_down)
    with caplog.at_level(logging.INFO, logger="operations.worker"):
        run_worker()
    assert done == ["after the outage"]
    assert calls["n"] == 6  # four failures, the task, then the empty queue
    outage = [
        (r.levelname, r.getMessage().split(":")[0])
        for r in caplog.records
        if r.name == "operations.worker" and "available" in r.getMessage()
    ]
    assert outage == [
        ("WARNING", "Database unavailable"),
        ("INFO", "Database available again after 0 s (4 failures)."),
    ]


def test_the_upstream_worker_dies_of_the_same_outage(monkeypatch):
    """The control: db_worker lets the error escape, which is why run_worker exists."""
    note.enqueue("never")

    def down(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", down)
    with pytest.raises(OperationalError):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def test_a_result_lost_in_an_outage_is_recorded_once_the_database_is_back(monkeypatch):
    """The task did its work; only saving its result met the outage: it is not run again."""
    note.enqueue("ran")
    real_save = DBTaskResult.save
    saves = {"n": 0}

    def save_while_down(self, *args, **kwargs):
        # The claim is saved; the result's next saves (three tries each) meet the outage.
        saves["n"] += 1
        if 2 <= saves["n"] <= 7:
            raise OperationalError("terminating connection due to administrator command")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr("django_tasks_db.utils.time.sleep", lambda seconds: None)
    monkeypatch.setattr(DBTaskResult, "save", save_while_down)
    run_worker()
    assert done == ["ran"]  # once: its work was done
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL"  # never left « running » for ever


@task()
def confirm(value):
    """A task that reads the database, which goes away the first time (a PostgreSQL restart)."""
    done.append(value)
    if done.count(value) == 1:
        raise OperationalError("the database system is shutting down")
    return value


def test_a_task_interrupted_by_an_outage_runs_again_once_the_database_is_back(caplog):
    confirm.enqueue("confirmation e-mail")
    with caplog.at_level(logging.WARNING, logger="operations.worker"):
        run_worker()
    assert done == ["confirmation e-mail", "confirmation e-mail"]  # not lost: run again
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert any("queued again" in r.getMessage() for r in caplog.records)


def test_a_task_that_fails_on_its_own_is_recorded_failed_and_not_run_again():
    failing.enqueue("boom")
    run_worker()
    assert done == ["boom"]
    assert DBTaskResult.objects.get().status == "FAILED"


@task()
def failing(value):
    done.append(value)
    raise ValueError(value)


def test_the_worker_beats_once_per_half_minute_not_once_per_turn(monkeypatch):
    for n in range(5):
        note.enqueue(n)
    writes = []
    real_write = heartbeats._write
    monkeypatch.setattr(heartbeats, "_write", lambda name: (writes.append(name), real_write(name)))
    run_worker()
    assert len(done) == 5  # six turns of the loop
    assert writes == ["worker"]
    assert Heartbeat.objects.get().name == "worker"


def test_the_options_of_db_worker_are_kept():
    note.enqueue("a")
    note.enqueue("b")
    run_worker("--max-tasks", "1", "--queue-name", "default")
    assert len(done) == 1
