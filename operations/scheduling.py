"""The jobs the site needs run on a clock, and running one of them once per period.

A job is a management command, called by name (this app imports no other app of ours), on a
schedule: every day at a time of Paris, or every N minutes. Its period is the moment it was due:
today at 08:00 for a daily job at 08:00, 14:35 for a job every 5 minutes; always given in UTC, as
Python compares two datetimes of the same zone by their wall-clock time and would take the two
02:05 of an October night for one. `run_job` runs a job
for one period at most once, however many schedulers run (two machines, or one restarted): the
`JobRun` row is inserted before the command starts, and the database's unique constraint on
(job, period) lets one scheduler insert it; the others skip. The row then records the outcome.

A failing command is recorded and logged, and the next job runs as usual. A database that does
not answer makes `run_job` wait and try again until the period is over (logged once per
outage): the scheduler never exits because of it.
"""

import datetime
import io
import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .heartbeats import beat
from .models import JobRun
from .outages import Outage

logger = logging.getLogger("operations.scheduler")

# The association's clock: « every day at 08:00 » means 08:00 in Paris, summer and winter alike.
ZONE = ZoneInfo("Europe/Paris")
# What a lost or refused database connection raises (PostgreSQL restarting, a failover).
DATABASE_DOWN = (OperationalError, InterfaceError)
# Waits between two attempts while the database is down, the last one repeated.
RETRY_SECONDS = (1, 2, 5, 10, 30)
# A run's output is kept in full up to this size, else its beginning and its end (where the
# summary and the errors are).
MAX_OUTPUT_CHARS = 20_000

database = Outage("Database", logger, interval=float("inf"))
# Set when the scheduler stops: waits for the database end at once.
stopping = threading.Event()


@dataclass(frozen=True)
class Daily:
    """Every day at `at`, Paris time."""

    at: datetime.time

    def __post_init__(self):
        # Paris changes hours between 02:00 and 03:00: such a time is missing one Sunday of
        # March and happens twice one Sunday of October.
        if datetime.time(2) <= self.at < datetime.time(3):
            raise ValueError("A daily job cannot run between 02:00 and 03:00 in Paris.")

    def period_start(self, now):
        """The latest moment at or before `now` when the job was due."""
        local = now.astimezone(ZONE)
        due = datetime.datetime.combine(local.date(), self.at, tzinfo=ZONE)
        if due > local:
            due = datetime.datetime.combine(
                local.date() - datetime.timedelta(days=1), self.at, tzinfo=ZONE
            )
        return due.astimezone(datetime.UTC)

    def period_end(self, period_start):
        day = period_start.astimezone(ZONE).date() + datetime.timedelta(days=1)
        return datetime.datetime.combine(day, self.at, tzinfo=ZONE).astimezone(datetime.UTC)

    def __str__(self):
        return f"daily at {self.at:%H:%M}"


@dataclass(frozen=True)
class Every:
    """Every `minutes` minutes, on the minutes that are multiples of it (14:00, 14:05…).

    Counted on the universal clock, so that the two 02:05 of the night of October when Paris
    goes back an hour are two periods, not one."""

    minutes: int

    def period_start(self, now):
        step = self.minutes * 60
        seconds = int(now.timestamp()) // step * step
        return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)

    def period_end(self, period_start):
        return period_start + datetime.timedelta(minutes=self.minutes)

    def __str__(self):
        return f"every {self.minutes} minutes"


def _always():
    return True


def _mail_outbox():
    """The outbox (operations/mail.py) holds e-mails only when it is the e-mail backend."""
    return settings.EMAIL_BACKEND == "operations.mail.OutboxBackend"


def _backups_wanted():
    """Production backs up every night unless BACKUP_DAILY=false (a host that has its own)."""
    return getattr(settings, "BACKUP_DAILY", False)


def _tasks_in_database():
    """django-tasks-db's commands refuse any other backend (development runs tasks at once)."""
    return "django_tasks_db" in settings.TASKS.get("default", {}).get("BACKEND", "")


@dataclass(frozen=True)
class Job:
    name: str
    command: str
    schedule: Daily | Every
    args: tuple = ()
    applies: Callable[[], bool] = field(default=_always, compare=False)


def at(hour, minute=0):
    return Daily(datetime.time(hour, minute))


# The night's clean-ups first, then the e-mails, sent when people start their day.
JOBS = (
    # Before the clean-ups: what they erase tonight is still in last night's copy.
    Job(
        "backup",
        "backup",
        at(1, 30),
        args=(f"--keep={getattr(settings, 'BACKUP_KEEP', 14)}",),
        applies=_backups_wanted,
    ),
    Job("apply_retention", "apply_retention", at(3, 15)),
    Job("purge_search_log", "purge_search_log", at(3, 30)),
    Job(
        "prune_db_task_results",
        "prune_db_task_results",
        at(3, 45),
        args=("--queue-name=*",),
        applies=_tasks_in_database,
    ),
    Job("clearsessions", "clearsessions", at(4, 0)),
    # Also sends again the receipts whose e-mail failed.
    Job("send_membership_reminders", "send_membership_reminders", at(8, 0)),
    Job("send_jury_reminders", "send_jury_reminders", at(8, 5)),
    Job("send_volunteering_reminders", "send_volunteering_reminders", at(8, 10)),
    # Wagtail publishes and unpublishes pages and snippets at their scheduled times.
    Job("publish_scheduled", "publish_scheduled", Every(5)),
    # The e-mails the mail server could not take when they were written.
    Job("send_queued_mail", "send_queued_mail", Every(1), applies=_mail_outbox),
)


def jobs():
    """The jobs that apply to this installation."""
    return [job for job in JOBS if job.applies()]


def job_named(name):
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)


# --- Running a job ------------------------------------------------------------------------------


class GaveUp(Exception):
    """The database did not answer before the deadline (or the scheduler is stopping)."""


def _pause(attempt):
    """Wait before the next attempt; False when the scheduler is stopping."""
    seconds = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
    return not stopping.wait(seconds)


def with_database(action, deadline):
    """`action()`, tried again while the database is down, until `deadline` (aware)."""
    attempt = 0
    while True:
        try:
            result = action()
        except DATABASE_DOWN as error:
            if _is_locked(error):
                # SQLite busy with another writer (two schedulers on one file): not an outage.
                if timezone.now() >= deadline or stopping.wait(0.05):
                    raise GaveUp from error
                continue
            database.failed(error)
            # A connection that met the outage cannot be used again: the next attempt opens
            # a new one.
            _drop_connection()
            if timezone.now() >= deadline or not _pause(attempt):
                raise GaveUp from error
            attempt += 1
            continue
        database.recovered()
        return result


def _is_locked(error):
    return bool(error.args) and "is locked" in str(error.args[0]).lower()


def _drop_connection():
    try:
        connection.close()
    except DATABASE_DOWN:
        pass


def _claim(job, period_start):
    """The new run's row, or None when another scheduler inserted it first."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                job=job.name,
                period_start=period_start,
                status=JobRun.Status.RUNNING,
                started_at=timezone.now(),
                host=socket.gethostname()[:255],
                pid=os.getpid(),
            )
    except IntegrityError:
        return None


def truncated(text, limit=MAX_OUTPUT_CHARS):
    if len(text) <= limit:
        return text
    half = limit // 2
    left_out = len(text) - 2 * half
    marker = _("[… %(count)d caractères omis …]") % {"count": left_out}
    return f"{text[:half]}\n{marker}\n{text[-half:]}"


def run_job(job, period_start):
    """Run `job` for the period that began at `period_start`, unless a run of it exists.

    The run's row when this call ran it, None when another scheduler has it (or the database
    stayed down for the whole period)."""
    deadline = job.schedule.period_end(period_start)
    label = f"{period_start.astimezone(ZONE):%Y-%m-%d %H:%M}"
    try:
        run = with_database(lambda: _claim(job, period_start), deadline)
    except GaveUp:
        logger.error("Job %s for %s not run: the database did not answer.", job.name, label)
        return None
    if run is None:
        logger.info("Job %s for %s: already run or running elsewhere, skipped.", job.name, label)
        return None

    output = io.StringIO()
    try:
        call_command(job.command, *job.args, stdout=output, stderr=output)
    except (Exception, SystemExit):  # a command calling sys.exit() must not stop the scheduler
        run.status = JobRun.Status.FAILED
        run.error = truncated(traceback.format_exc())
    else:
        run.status = JobRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    run.output = truncated(output.getvalue())

    def record():
        JobRun.objects.filter(pk=run.pk).update(
            status=run.status, finished_at=run.finished_at, output=run.output, error=run.error
        )

    try:
        # However late: a row left « running » would hide what happened.
        with_database(record, max(deadline, timezone.now() + datetime.timedelta(hours=1)))
    except GaveUp:
        logger.error(
            "Job %s for %s %s, but its run could not be recorded.", job.name, label, run.status
        )
        return run
    seconds = (run.finished_at - run.started_at).total_seconds()
    if run.status == JobRun.Status.FAILED:
        last_line = run.error.strip().splitlines()[-1] if run.error.strip() else ""
        logger.error("Job %s for %s failed after %.1f s: %s", job.name, label, seconds, last_line)
    else:
        logger.info("Job %s for %s succeeded in %.1f s.", job.name, label, seconds)
    return run


# Runs are kept this long, failures included; the successful runs of the jobs that run every
# few minutes (hundreds a day, each saying « nothing to do ») only a day.
KEEP_RUNS = datetime.timedelta(days=30)
KEEP_FREQUENT_SUCCESSES = datetime.timedelta(days=1)


def forget_old_runs(now=None):
    """Delete the runs kept long enough; the number deleted."""
    now = now or timezone.now()
    deleted, _kinds = JobRun.objects.filter(started_at__lt=now - KEEP_RUNS).delete()
    frequent = [job.name for job in JOBS if isinstance(job.schedule, Every)]
    more, _kinds = JobRun.objects.filter(
        job__in=frequent,
        status=JobRun.Status.SUCCEEDED,
        started_at__lt=now - KEEP_FREQUENT_SUCCESSES,
    ).delete()
    return deleted + more


def due_catch_up(now, job_list=None):
    """The daily jobs whose latest period has no run yet, with that period: what a scheduler
    starting now runs at once (started at 10:00, it still sends today's 08:00 reminders)."""
    job_list = jobs() if job_list is None else job_list
    daily = [job for job in job_list if isinstance(job.schedule, Daily)]
    periods = {job.name: job.schedule.period_start(now) for job in daily}
    done = set(
        JobRun.objects.filter(job__in=periods, period_start__in=set(periods.values())).values_list(
            "job", "period_start"
        )
    )
    return [(job, periods[job.name]) for job in daily if (job.name, periods[job.name]) not in done]


def catch_up(now=None, job_list=None):
    """Run at once the daily jobs due since the latest period with no run; the runs made."""
    now = now or timezone.now()
    try:
        due = with_database(lambda: due_catch_up(now, job_list), now + datetime.timedelta(days=1))
    except GaveUp:
        return []
    return [run for run in (run_job(job, period) for job, period in due) if run is not None]


# --- The scheduler ------------------------------------------------------------------------------

# How late a trigger may still fire (the process was suspended, the machine busy): within it,
# the run is for the period that was due; past it, APScheduler drops it and logs a warning.
DAILY_GRACE_SECONDS = 6 * 60 * 60
# The scheduler beats more often than heartbeats.BEAT_SECONDS, so that a beat is written about
# every 30 s despite the timers' jitter (beat() drops the ones in between).
BEAT_EVERY_SECONDS = 10


def trigger_for(schedule):
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    if isinstance(schedule, Daily):
        return CronTrigger(hour=schedule.at.hour, minute=schedule.at.minute, timezone=ZONE)
    # Started on a round UTC hour: the triggers fire on the periods' boundaries (14:00, 14:05…).
    return IntervalTrigger(
        minutes=schedule.minutes,
        start_date=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
        timezone=ZONE,
    )


def _grace_seconds(schedule):
    return DAILY_GRACE_SECONDS if isinstance(schedule, Daily) else schedule.minutes * 60


def _in_thread(function, *args):
    """What each trigger calls, in APScheduler's thread pool: a thread's database connection
    would outlive a PostgreSQL restart unused and broken, so each call has its own."""
    try:
        function(*args)
    except Exception:
        logger.exception(
            "Scheduler: %s failed unexpectedly.", getattr(function, "__name__", function)
        )
    finally:
        _drop_connection()


def run_due(job):
    run_job(job, job.schedule.period_start(timezone.now()))


def beat_scheduler():

    beat("scheduler")


def build_scheduler(job_list=None, now=None):
    """A BlockingScheduler with a trigger per job, the catch-up of the daily jobs at once, and the
    heartbeat; not started."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    job_list = jobs() if job_list is None else job_list
    now = now or timezone.now()
    scheduler = BlockingScheduler(
        timezone=ZONE,
        # One run at a time per job; a run missed several times (the machine slept) runs once.
        job_defaults={"coalesce": True, "max_instances": 1},
    )
    for job in job_list:
        scheduler.add_job(
            _in_thread,
            trigger_for(job.schedule),
            args=(run_due, job),
            id=job.name,
            name=f"{job.name} ({job.schedule})",
            misfire_grace_time=_grace_seconds(job.schedule),
        )
    scheduler.add_job(
        _in_thread,
        "date",
        run_date=now,
        args=(catch_up, now, job_list),
        id="catch_up",
        name="catch-up of the daily jobs",
        misfire_grace_time=None,
    )
    scheduler.add_job(
        _in_thread,
        trigger_for(Daily(datetime.time(4, 30))),
        args=(forget_old_runs,),
        id="forget_old_runs",
        name="deletion of the old runs",
        misfire_grace_time=DAILY_GRACE_SECONDS,
    )
    scheduler.add_job(
        _in_thread,
        "interval",
        seconds=BEAT_EVERY_SECONDS,
        next_run_time=now,
        args=(beat_scheduler,),
        id="heartbeat",
        name="heartbeat",
        misfire_grace_time=BEAT_EVERY_SECONDS,
    )
    return scheduler
