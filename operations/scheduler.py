"""The scheduler process (run_scheduler): APScheduler fires each job (jobs.py) at its times, in
a thread of its own, and job_runs.py runs it once per period; at start, the daily jobs missed
since their latest period are caught up, and a heartbeat tells /health/ the scheduler lives.
"""

import datetime
import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.utils import timezone

from .heartbeats import beat
from .job_runs import catch_up, drop_connection, forget_old_runs, run_job
from .jobs import ZONE, Daily, jobs

logger = logging.getLogger("operations.scheduler")

# How late a trigger may still fire (the process was suspended, the machine busy): within it,
# the run is for the period that was due; past it, APScheduler drops it and logs a warning.
DAILY_GRACE_SECONDS = 6 * 60 * 60
# The scheduler beats more often than heartbeats.BEAT_SECONDS, so that a beat is written about
# every 30 s despite the timers' jitter (beat() drops the ones in between).
BEAT_EVERY_SECONDS = 10


def trigger_for(schedule):
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
        drop_connection()


def run_due(job):
    run_job(job, job.schedule.period_start(timezone.now()))


def beat_scheduler():

    beat("scheduler")


def build_scheduler(job_list=None, now=None):
    """A BlockingScheduler with a trigger per job, the catch-up of the daily jobs at once, and the
    heartbeat; not started."""
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
