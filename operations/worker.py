"""django-tasks-db's worker, made to outlive a database outage.

The upstream loop (django_tasks_db/management/commands/db_worker.py) lets any OperationalError
other than « database is locked » escape: a PostgreSQL restart ends the worker, and under honcho
the whole topology with it. `ResilientWorker` keeps its claim, its `run_task` and its signals but
drives its own loop, in which a database that does not answer is one outage: a warning when it
starts, one line when it ends (operations/outages.py), attempts spaced out in between, and the
queued tasks run once the database is back. The loop also beats (operations/heartbeats.py).

A task interrupted by the outage is told apart from one whose result only could not be saved:
the first did not do its work (the database it reads or writes was gone), so it goes back to the
queue and runs again once the database answers (a bulletin's confirmation e-mail must not be
lost in a PostgreSQL restart); the second did its work, and is recorded as it ended.
"""

import logging
import random
import time

from django.db import close_old_connections, connections
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .heartbeats import beat
from .job_runs import DATABASE_DOWN
from .outages import Outage

logger = logging.getLogger("operations.worker")

HEARTBEAT_NAME = "worker"
# Waits between two attempts while the database is down, the last one repeated: a restart is
# seen within a second or two, a long outage costs one connection attempt every 10 s.
OUTAGE_RETRY_SECONDS = (0.5, 1, 2, 5, 10)


class ResilientWorker(Worker):
    def __init__(self, *, outage_retry_seconds=None, **kwargs):
        super().__init__(**kwargs)
        self.outage_retry_seconds = outage_retry_seconds or OUTAGE_RETRY_SECONDS
        self.database = Outage("Database", logger, interval=float("inf"))
        # A task the outage interrupted or whose result it kept from being saved:
        # (task result, what to record once the database is back).
        self._unrecorded = None

    def run(self):
        logger.info(
            "Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names)
        )
        if self.startup_delay and self.interval:
            # Workers restarted together do not all poll at the same instant.
            time.sleep(random.random())  # noqa: S311

        failures = 0
        while self.running:
            beat(HEARTBEAT_NAME)
            try:
                self._record_unrecorded()
                claimed = self.claim_next()
            except DATABASE_DOWN as error:
                if error.args and is_locked_database_exception(error):
                    # SQLite busy with another writer: not an outage, it frees itself.
                    self._pause(self.interval)
                    continue
                self._outage(error, failures)
                failures += 1
                continue
            if failures:
                self.database.recovered()
                failures = 0

            if claimed is not None:
                try:
                    self.run_task(claimed)
                except DATABASE_DOWN as error:
                    self._outage(error, failures)
                    failures += 1
                    continue
            elif self.batch:
                logger.info(
                    "No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id
                )
                return

            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Run maximum tasks (%d) on worker=%s - exiting gracefully.",
                    self._run_tasks,
                    self.worker_id,
                )
                return
            if claimed is None:
                self._pause(self.interval)

    def claim_next(self):
        """The next ready task, claimed for this worker (in one transaction, so that no other
        worker claims it too), or None when the queue is empty."""
        # A connection broken by an outage is dropped here, and a new one opened.
        close_old_connections()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def _outage(self, error, failures):
        self.database.failed(error)
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except DATABASE_DOWN:
                pass
        steps = self.outage_retry_seconds
        self._pause(steps[min(failures, len(steps) - 1)])

    def run_task(self, db_task_result):
        """Run the task and record how it ended, as upstream does, except when the database is
        down: then `_unrecorded` keeps what to record once it is back, and the error goes up to
        the loop (an outage)."""
        self.running_task = True
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            sender = type(task.get_backend())
            task_started.send(sender=sender, task_result=task_result)
            args, kwargs = task_result.args, task_result.kwargs
            try:
                if task.takes_context:
                    value = task.call(TaskContext(task_result=task_result), *args, **kwargs)
                else:
                    value = task.call(*args, **kwargs)
            except DATABASE_DOWN as error:
                # Interrupted: its work is not done. It runs again after the outage.
                self._unrecorded = (db_task_result, "again", error)
                raise
            except BaseException as error:  # the task's own failure, recorded as upstream
                self._finish(db_task_result, sender, "failed", error)
                return
            self._finish(db_task_result, sender, "successful", value)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _finish(self, db_task_result, sender, outcome, value):
        try:
            if outcome == "successful":
                db_task_result.set_successful(value)
            else:
                db_task_result.set_failed(value)
        except DATABASE_DOWN:
            # The work is done; only its record waits for the database.
            self._unrecorded = (db_task_result, outcome, value)
            raise
        task_finished.send(sender=sender, task_result=db_task_result.task_result)

    def _record_unrecorded(self):
        """After an outage, what it interrupted: a task that did not do its work goes back to
        the queue; a task that did is recorded as it ended. Left « running », either would
        never run again nor be reported."""
        if self._unrecorded is None:
            return
        db_task_result, outcome, value = self._unrecorded
        if outcome == "again":
            DBTaskResult.objects.filter(pk=db_task_result.pk).update(
                status=TaskResultStatus.READY, started_at=None
            )
            logger.warning(
                "Task id=%s: interrupted by a database outage, queued again.", db_task_result.id
            )
        elif outcome == "successful":
            db_task_result.set_successful(value)
            logger.warning(
                "Task id=%s: done during a database outage, recorded once it was back.",
                db_task_result.id,
            )
        else:
            db_task_result.set_failed(value)
            logger.warning(
                "Task id=%s: failed during a database outage, recorded once it was back.",
                db_task_result.id,
            )
        self._unrecorded = None

    def _pause(self, seconds):
        # A stop signal during the wait exits at once (Worker.shutdown), as upstream.
        if self.running and seconds:
            time.sleep(seconds)
