"""Running a job (jobs.py) once per period, however many schedulers run (two machines, or one
restarted): the `JobRun` row is inserted before the command starts, and the database's unique
constraint on (job, period) lets one scheduler insert it; the others skip. The row then records
the outcome.

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

from django.core.management import call_command
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .jobs import JOBS, ZONE, Daily, Every, jobs
from .models import JobRun
from .outages import Outage

logger = logging.getLogger("operations.scheduler")

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
            drop_connection()
            if timezone.now() >= deadline or not _pause(attempt):
                raise GaveUp from error
            attempt += 1
            continue
        database.recovered()
        return result


def _is_locked(error):
    return bool(error.args) and "is locked" in str(error.args[0]).lower()


def drop_connection():
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
