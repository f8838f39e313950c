"""The worker's and the scheduler's signs of life: written at most every ~30 s, read by /health/
and shown above the runs in the admin."""

import os
import socket
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from demo.factories.awards import make_user
from operations import heartbeats
from operations.heartbeats import BEAT_SECONDS, beat, last_beats
from operations.models import Heartbeat

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(autouse=True)
def _fresh_throttle():
    heartbeats.forget_throttle()
    yield
    heartbeats.forget_throttle()


def test_a_beat_records_the_process_its_machine_and_the_time():
    before = timezone.now()
    assert beat("worker") is True
    row = Heartbeat.objects.get()
    assert (row.name, row.host, row.pid) == ("worker", socket.gethostname(), os.getpid())
    assert before <= row.last_beat <= timezone.now()
    assert last_beats() == {"worker": row.last_beat}


def test_beats_are_written_at_most_every_thirty_seconds():
    clock = Clock()
    assert beat("worker", clock=clock)
    first = Heartbeat.objects.get().last_beat
    for seconds in (1, 10, BEAT_SECONDS - 1):
        clock.now = 1000.0 + seconds
        assert beat("worker", clock=clock) is False
    assert Heartbeat.objects.get().last_beat == first
    clock.now = 1000.0 + BEAT_SECONDS
    assert beat("worker", clock=clock) is True
    assert Heartbeat.objects.get().last_beat > first
    assert Heartbeat.objects.count() == 1  # one row per process and machine, updated


def test_each_process_name_has_its_own_throttle():
    clock = Clock()
    assert beat("worker", clock=clock)
    assert beat("scheduler", clock=clock)
    assert set(last_beats()) == {"worker", "scheduler"}


def test_the_latest_beat_of_each_name_wins_whatever_the_machine():
    now = timezone.now()
    Heartbeat.objects.create(name="worker", host="a", pid=1, last_beat=now - timedelta(minutes=5))
    Heartbeat.objects.create(name="worker", host="b", pid=2, last_beat=now - timedelta(seconds=5))
    Heartbeat.objects.create(name="scheduler", host="a", pid=3, last_beat=now - timedelta(hours=1))
    assert last_beats() == {
        "worker": now - timedelta(seconds=5),
        "scheduler": now - timedelta(hours=1),
    }


def test_machines_gone_for_a_week_are_forgotten():
    old = timezone.now() - heartbeats.FORGET_AFTER - timedelta(minutes=1)
    Heartbeat.objects.create(name="worker", host="replaced-container", pid=7, last_beat=old)
    beat("worker")
    assert list(Heartbeat.objects.values_list("host", flat=True)) == [socket.gethostname()]


def test_a_beat_the_database_refused_is_tried_again_at_the_next_call(monkeypatch):
    clock = Clock()
    real_write = heartbeats._write

    def down(name):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(heartbeats, "_write", down)
    assert beat("worker", clock=clock) is False  # no exception: the process goes on
    monkeypatch.setattr(heartbeats, "_write", real_write)
    clock.now += 1
    assert beat("worker", clock=clock) is True
    assert "worker" in last_beats()


def test_the_runs_page_shows_each_process_last_beat(client):
    Heartbeat.objects.create(
        name="worker", host="a", pid=1, last_beat=timezone.now() - timedelta(seconds=20)
    )
    Heartbeat.objects.create(
        name="scheduler", host="a", pid=2, last_beat=timezone.now() - timedelta(minutes=10)
    )
    user = make_user("staff", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_jobrun"),
    )
    client.force_login(user)
    text = client.get(reverse("job_runs:index")).content.decode()
    assert "Derniers signes de vie" in text
    worker_row = text.split("Exécuteur des tâches")[1].split("</tr>")[0]
    scheduler_row = text.split("Planificateur")[1].split("</tr>")[0]
    assert "en marche" in worker_row
    assert "en retard" in scheduler_row
    assert "10\xa0minutes" in scheduler_row


def test_a_process_that_never_beat_is_shown_as_such(client):
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    text = client.get(reverse("job_runs:index")).content.decode()
    worker_row = text.split("Exécuteur des tâches")[1].split("</tr>")[0]
    assert "jamais" in worker_row
    assert "en retard" in worker_row
