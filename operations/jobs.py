"""The jobs the site needs run on a clock: each a management command, called by name (this app
imports no other app of ours), on a schedule: every day at a time of Paris, or every N minutes.

A job's period is the moment it was due: today at 08:00 for a daily job at 08:00, 14:35 for a job
every 5 minutes; always given in UTC, as Python compares two datetimes of the same zone by their
wall-clock time and would take the two 02:05 of an October night for one. job_runs.py runs a job
once per period; scheduler.py fires them.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

# The association's clock: « every day at 08:00 » means 08:00 in Paris, summer and winter alike.
ZONE = ZoneInfo("Europe/Paris")


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
