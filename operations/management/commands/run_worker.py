"""The task worker of production: django-tasks-db's `db_worker`, with the same options, that
waits out a database outage instead of exiting (operations/worker.py) and beats.

python manage.py run_worker                  # runs until stopped
python manage.py run_worker --batch          # runs the queued tasks, then exits
"""

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.translation import gettext as _
from django_tasks_db.management.commands import db_worker

from operations.worker import ResilientWorker


class Command(db_worker.Command):
    @property
    def help(self):  # translated when shown, not when the module is imported
        return _(
            "Exécute les tâches de la file en base (e-mails, reçus, indexation). Attend le "
            "retour de la base de données quand elle ne répond plus, au lieu de s’arrêter."
        )

    def configure_logging(self, verbosity):
        # db_worker sets django-tasks' loggers to INFO at the default verbosity: one line per
        # task, which the settings turn down on purpose. Only -v 0 and -v 2+ change them here.
        if verbosity != 1:
            super().configure_logging(verbosity)

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError(_("--exclude-queues ne s’emploie qu’avec --queue-name=*"))
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        # The reloader would restart a batch run that has finished: a batch never reloads.
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # in the reloaded child only
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
