"""The scheduler of the daily commands: which jobs run when, each period once however many
schedulers run, failures recorded without stopping the others, the catch-up at start, the
database outages waited out, and the read-only listing of the runs in the admin."""

import datetime
import logging
import threading
import time

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from demo.factories.awards import make_user
from operations import job_runs
from operations import jobs as job_list
from operations.job_runs import catch_up, run_job
from operations.jobs import ZONE, Daily, Every, Job
from operations.models import JobRun
from operations.scheduler import build_scheduler, trigger_for
from tests.concurrency import run_together

UTC = datetime.UTC


def paris(*args):
    return datetime.datetime(*args, tzinfo=ZONE)


class Counting(BaseCommand):
    """Counts its runs; `pause` seconds long, so that two runs at once would overlap."""

    def __init__(self, pause=0.0):
        super().__init__()
        self.pause = pause
        self.runs = 0
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def handle(self, *args, **options):
        with self._lock:
            self.runs += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        time.sleep(self.pause)
        with self._lock:
            self.running -= 1
        self.stdout.write(f"run {self.runs}")
        self.stderr.write("a warning")


class Failing(BaseCommand):
    def handle(self, *args, **options):
        self.stdout.write("started")
        raise CommandError("the mail server refused")


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch):
    """No real waiting between attempts while the database is « down »."""
    monkeypatch.setattr(job_runs, "RETRY_SECONDS", (0,))
    job_runs.stopping.clear()
    yield
    job_runs.database.recovered()


# --- The schedule --------------------------------------------------------------------------------


def test_the_jobs_and_their_times():
    schedule = {job.name: (job.command, job.schedule) for job in job_list.JOBS}
    assert schedule == {
        "backup": ("backup", Daily(datetime.time(1, 30))),
        "apply_retention": ("apply_retention", Daily(datetime.time(3, 15))),
        "purge_search_log": ("purge_search_log", Daily(datetime.time(3, 30))),
        "prune_db_task_results": ("prune_db_task_results", Daily(datetime.time(3, 45))),
        "clearsessions": ("clearsessions", Daily(datetime.time(4))),
        "send_membership_reminders": ("send_membership_reminders", Daily(datetime.time(8))),
        "send_jury_reminders": ("send_jury_reminders", Daily(datetime.time(8, 5))),
        "send_volunteering_reminders": ("send_volunteering_reminders", Daily(datetime.time(8, 10))),
        "publish_scheduled": ("publish_scheduled", Every(5)),
        "send_queued_mail": ("send_queued_mail", Every(1)),
    }


def test_every_job_names_a_command_that_accepts_its_arguments(settings):
    # prune_db_task_results checks its --backend default: a database backend, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    commands = get_commands()
    for job in job_list.JOBS:
        command = load_command_class(commands[job.command], job.command)
        command.create_parser("manage.py", job.command).parse_args(list(job.args))


def test_the_mail_outbox_is_sent_only_when_it_is_the_mail_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert "send_queued_mail" not in {job.name for job in job_list.jobs()}
    settings.EMAIL_BACKEND = "operations.mail.OutboxBackend"
    assert "send_queued_mail" in {job.name for job in job_list.jobs()}


def test_pruning_the_task_queue_applies_only_with_a_task_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert "prune_db_task_results" not in {job.name for job in job_list.jobs()}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert "prune_db_task_results" in {job.name for job in job_list.jobs()}


def test_a_daily_period_is_the_latest_due_time_in_paris_across_the_spring_change():
    at_eight = Daily(datetime.time(8))
    # 29 March 2026: Paris goes from UTC+1 to UTC+2 at 02:00.
    saturday_after = datetime.datetime(2026, 3, 28, 7, 30, tzinfo=UTC)  # 08:30 in Paris
    sunday_after = datetime.datetime(2026, 3, 29, 6, 30, tzinfo=UTC)  # 08:30 in Paris
    sunday_before = datetime.datetime(2026, 3, 29, 5, 30, tzinfo=UTC)  # 07:30 in Paris
    assert at_eight.period_start(saturday_after) == datetime.datetime(2026, 3, 28, 7, tzinfo=UTC)
    assert at_eight.period_start(sunday_after) == datetime.datetime(2026, 3, 29, 6, tzinfo=UTC)
    # Before 08:00 in Paris (though past 07:00 in « winter » time): still Saturday's period.
    assert at_eight.period_start(sunday_before) == datetime.datetime(2026, 3, 28, 7, tzinfo=UTC)
    assert at_eight.period_end(paris(2026, 3, 28, 8)) == paris(2026, 3, 29, 8)


def test_the_daily_triggers_fire_at_paris_time_on_both_sides_of_a_change():
    trigger = trigger_for(Daily(datetime.time(8)))
    fire = trigger.get_next_fire_time(None, paris(2026, 10, 24, 9))
    assert fire == paris(2026, 10, 25, 8)
    assert fire.utcoffset() == datetime.timedelta(hours=1)  # winter time from this Sunday
    fire = trigger.get_next_fire_time(None, paris(2026, 3, 28, 9))
    assert fire == paris(2026, 3, 29, 8)
    assert fire.utcoffset() == datetime.timedelta(hours=2)


def test_the_hour_paris_skips_or_repeats_is_refused_for_daily_jobs():
    with pytest.raises(ValueError):
        Daily(datetime.time(2, 30))


def test_the_two_same_local_slots_of_the_autumn_change_are_two_periods():
    every_five = Every(5)
    # 25 October 2026: 02:07 happens twice in Paris, at 00:07 and at 01:07 UTC.
    first = every_five.period_start(datetime.datetime(2026, 10, 25, 0, 7, tzinfo=UTC))
    second = every_five.period_start(datetime.datetime(2026, 10, 25, 1, 7, tzinfo=UTC))
    assert first.astimezone(ZONE).strftime("%H:%M") == "02:05"
    assert second.astimezone(ZONE).strftime("%H:%M") == "02:05"
    assert first != second
    assert second - first == datetime.timedelta(hours=1)


def test_interval_triggers_fire_on_the_period_boundaries():
    trigger = trigger_for(Every(5))
    fire = trigger.get_next_fire_time(None, paris(2026, 6, 1, 14, 2, 17))
    assert fire == paris(2026, 6, 1, 14, 5)
    assert Every(5).period_start(fire) == fire


# --- Running a job -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_run_records_its_outcome_and_output(caplog):
    counting = Counting()
    job = Job("counting", counting, Daily(datetime.time(8)))
    period = paris(2026, 6, 1, 8)
    with caplog.at_level(logging.INFO, logger="operations.scheduler"):
        run = run_job(job, period)
    run.refresh_from_db()
    assert (run.job, run.period_start, run.status) == ("counting", period, "succeeded")
    assert "run 1" in run.output and "a warning" in run.output
    assert run.error == ""
    assert run.started_at <= run.finished_at
    lines = [r.getMessage() for r in caplog.records if r.name == "operations.scheduler"]
    assert lines == [
        f"Job counting for 2026-06-01 08:00 succeeded in {run.duration.total_seconds():.1f} s."
    ]


@pytest.mark.django_db
def test_a_period_already_run_is_skipped():
    counting = Counting()
    job = Job("counting", counting, Daily(datetime.time(8)))
    assert run_job(job, paris(2026, 6, 1, 8)) is not None
    assert run_job(job, paris(2026, 6, 1, 8)) is None
    assert run_job(job, paris(2026, 6, 2, 8)) is not None
    assert counting.runs == 2
    assert JobRun.objects.count() == 2


@pytest.mark.django_db
def test_a_real_command_runs_by_name():
    job = Job("clearsessions", "clearsessions", Daily(datetime.time(4)))
    assert run_job(job, paris(2026, 6, 1, 4)).status == "succeeded"


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_next_one_still_runs(caplog):
    counting = Counting()
    failing = Job("failing", Failing(), Daily(datetime.time(7)))
    unknown = Job("unknown", "no_such_command", Daily(datetime.time(7, 30)))
    after = Job("after", counting, Daily(datetime.time(8)))
    now = paris(2026, 6, 1, 10)
    with caplog.at_level(logging.INFO, logger="operations.scheduler"):
        runs = catch_up(now, [failing, unknown, after])
    assert [(run.job, run.status) for run in runs] == [
        ("failing", "failed"),
        ("unknown", "failed"),
        ("after", "succeeded"),
    ]
    failed = JobRun.objects.get(job="failing")
    assert failed.status == "failed"
    assert "the mail server refused" in failed.error
    assert "started" in failed.output
    assert "no_such_command" in JobRun.objects.get(job="unknown").error
    assert counting.runs == 1
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2
    assert "failing" in errors[0].getMessage()
    assert "the mail server refused" in errors[0].getMessage()


@pytest.mark.django_db
def test_a_long_output_keeps_its_beginning_and_its_end():
    class Verbose(BaseCommand):
        def handle(self, *args, **options):
            self.stdout.write("FIRST " + "x" * 100_000 + " LAST")

    run = run_job(Job("verbose", Verbose(), Every(5)), paris(2026, 6, 1, 8))
    run.refresh_from_db()
    assert len(run.output) < job_runs.MAX_OUTPUT_CHARS + 100
    assert run.output.startswith("FIRST")
    assert run.output.rstrip().endswith("LAST")
    assert "caractères omis" in run.output


@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_two_threads_run_the_command_together():
    """What the next test guards against: the harness does start both at the same moment."""
    counting = Counting(pause=0.3)
    run_together(lambda: call_command(counting))
    assert counting.runs == 2
    assert counting.most_at_once == 2


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_time_run_a_period_once():
    # Each run lasts long enough that, without the lock, both would be running together.
    counting = Counting(pause=0.3)
    job = Job("counting", counting, Daily(datetime.time(8)))
    period = paris(2026, 6, 1, 8)
    results = run_together(lambda: run_job(job, period))
    assert counting.runs == 1
    assert sorted(result is None for result in results) == [False, True]
    assert JobRun.objects.get().status == "succeeded"


@pytest.mark.django_db(transaction=True)
def test_a_database_outage_is_waited_out_and_logged_once(monkeypatch, caplog):
    counting = Counting()
    job = Job("counting", counting, Every(5))
    real_create = JobRun.objects.create
    failures = iter(range(3))

    def create_while_down(**fields):
        if next(failures, None) is not None:
            raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
        return real_create(**fields)

    monkeypatch.setattr(JobRun.objects, "create", create_while_down)
    with caplog.at_level(logging.INFO, logger="operations.scheduler"):
        run = run_job(job, Every(5).period_start(timezone.now()))
    assert run is not None and run.status == "succeeded"
    assert counting.runs == 1
    outage = [r for r in caplog.records if r.name == "operations.scheduler"]
    messages = [(r.levelname, r.getMessage()) for r in outage if "available" in r.getMessage()]
    assert len(messages) == 2  # one line when it starts, one when it ends: not one per try
    assert messages[0][0] == "WARNING" and messages[0][1].startswith("Database unavailable")
    assert messages[1][0] == "INFO" and messages[1][1].startswith("Database available again")


@pytest.mark.django_db(transaction=True)
def test_a_period_over_before_the_database_answers_is_given_up(monkeypatch, caplog):
    counting = Counting()

    def always_down(**fields):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(JobRun.objects, "create", always_down)
    with caplog.at_level(logging.ERROR, logger="operations.scheduler"):
        assert run_job(Job("counting", counting, Every(5)), paris(2026, 6, 1, 8)) is None
    assert counting.runs == 0
    assert "not run: the database did not answer" in caplog.records[-1].getMessage()


# --- The catch-up at start -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_catch_up_runs_the_daily_jobs_whose_latest_period_has_no_run():
    night, morning, often = Counting(), Counting(), Counting()
    jobs = [
        Job("night", night, Daily(datetime.time(3, 15))),
        Job("morning", morning, Daily(datetime.time(8))),
        Job("often", often, Every(5)),
    ]
    run_job(jobs[0], paris(2026, 6, 1, 3, 15))  # done by the scheduler that ran last night

    # Started at 10:00: today's 08:00 reminders are sent now; the night's job is not run again.
    runs = catch_up(paris(2026, 6, 1, 10), jobs)
    assert [(run.job, run.period_start) for run in runs] == [("morning", paris(2026, 6, 1, 8))]
    assert (night.runs, morning.runs, often.runs) == (1, 1, 0)

    # Started again at 11:00 (a deployment): nothing left to catch up.
    assert catch_up(paris(2026, 6, 1, 11), jobs) == []
    # Started at 06:00 the next day: yesterday's 08:00 was done, the night's is due.
    runs = catch_up(paris(2026, 6, 2, 6), jobs)
    assert [(run.job, run.period_start) for run in runs] == [("night", paris(2026, 6, 2, 3, 15))]


@pytest.mark.django_db(transaction=True)
def test_a_started_scheduler_catches_up_beats_and_keeps_its_triggers():
    from operations.heartbeats import forget_throttle, last_beats

    forget_throttle()
    morning = Counting()
    often = Counting()
    jobs = [
        Job("morning", morning, Daily(datetime.time(8))),
        Job("often", often, Every(5)),
    ]
    scheduler = build_scheduler(jobs, now=timezone.now())
    assert {job.id for job in scheduler.get_jobs()} == {
        "morning",
        "often",
        "catch_up",
        "forget_old_runs",
        "heartbeat",
    }
    thread = threading.Thread(target=scheduler.start, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if JobRun.objects.filter(job="morning").exists() and "scheduler" in last_beats():
                break
            time.sleep(0.05)
        run = JobRun.objects.get(job="morning")
        assert run.period_start == Daily(datetime.time(8)).period_start(timezone.now())
        assert "scheduler" in last_beats()
        for job in scheduler.get_jobs():
            if job.id in ("morning", "often"):
                assert job.coalesce and job.misfire_grace_time and job.next_run_time
        assert often.runs == 0  # not caught up: its next slot is minutes away
    finally:
        scheduler.shutdown(wait=True)
        thread.join(5)
    assert morning.runs == 1


# --- The runs in the admin -----------------------------------------------------------------------


@pytest.fixture
def a_run(db):
    return JobRun.objects.create(
        job="send_membership_reminders",
        period_start=paris(2026, 6, 1, 8),
        status=JobRun.Status.FAILED,
        started_at=paris(2026, 6, 1, 8, 0, 1),
        finished_at=paris(2026, 6, 1, 8, 0, 4),
        output="3 relances envoyées.",
        error="CommandError: <le serveur de courrier a refusé>",
    )


def admin_user(**fields):
    user = make_user("staff", **fields)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_the_listing_is_refused_to_anonymous_and_to_staff_without_the_permission(client, a_run):
    index = reverse("job_runs:index")
    detail = reverse("job_runs:inspect", args=[a_run.pk])
    for url in (index, detail):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))

    client.force_login(make_user("member"))  # not staff, no admin access
    for url in (index, detail):
        assert client.get(url).status_code == 302

    client.force_login(admin_user(is_staff=True))  # an editor: admin access, not this
    for url in (index, detail):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    assert index not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_permission_alone_is_not_enough_without_being_staff(client, a_run):
    user = admin_user(is_staff=False)
    user.user_permissions.add(Permission.objects.get(codename="view_jobrun"))
    client.force_login(user)
    assert client.get(reverse("job_runs:index")).status_code == 302


def test_staff_with_the_permission_read_the_runs_and_their_output(client, a_run):
    user = admin_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_jobrun"))
    client.force_login(user)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("job_runs:index") in dashboard  # in the settings menu

    page = client.get(reverse("job_runs:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "send_membership_reminders" in text
    assert "en échec" in text
    assert "3,0 s" in text
    assert reverse("job_runs:inspect", args=[a_run.pk]) in text

    detail = client.get(reverse("job_runs:inspect", args=[a_run.pk]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "3 relances envoyées." in body
    assert "&lt;le serveur de courrier a refusé&gt;" in body  # escaped, never markup


def test_superusers_read_the_runs_but_nobody_edits_them(client, a_run):
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    assert client.get(reverse("job_runs:index")).status_code == 200
    assert client.get(reverse("job_runs:inspect", args=[a_run.pk])).status_code == 200
    for name in ("add", "edit", "delete", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"job_runs:{name}", args=[a_run.pk] if name != "add" else [])
    assert client.post(reverse("job_runs:inspect", args=[a_run.pk])).status_code == 405


def test_the_runs_are_filtered_by_job_and_status(client, a_run):
    JobRun.objects.create(
        job="publish_scheduled",
        period_start=paris(2026, 6, 1, 8, 5),
        status=JobRun.Status.SUCCEEDED,
        started_at=paris(2026, 6, 1, 8, 5),
    )
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))

    def listed(query):
        text = client.get(reverse("job_runs:index") + query).content.decode()
        return {
            run.job
            for run in JobRun.objects.all()
            if reverse("job_runs:inspect", args=[run.pk]) in text
        }

    assert listed("") == {"send_membership_reminders", "publish_scheduled"}
    assert listed("?job=publish_scheduled") == {"publish_scheduled"}
    assert listed("?status=failed") == {"send_membership_reminders"}


@pytest.mark.django_db
def test_old_runs_are_forgotten_and_frequent_successes_sooner():
    now = timezone.now()

    def run(job, age, status=JobRun.Status.SUCCEEDED):
        return (
            JobRun.objects.create(
                job=job, period_start=now - age, started_at=now - age, status=status
            ).job
            + f" {age.days}d {status}"
        )

    day = datetime.timedelta(days=1)
    kept = {
        run("send_membership_reminders", 29 * day),
        run("publish_scheduled", datetime.timedelta(hours=20)),
        run("publish_scheduled", 2 * day + datetime.timedelta(minutes=5), JobRun.Status.FAILED),
    }
    run("send_membership_reminders", 31 * day, JobRun.Status.FAILED)
    run("publish_scheduled", 2 * day)
    assert job_runs.forget_old_runs(now) == 2
    remaining = {f"{r.job} {(now - r.started_at).days}d {r.status}" for r in JobRun.objects.all()}
    assert remaining == kept
