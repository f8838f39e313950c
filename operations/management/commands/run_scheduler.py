"""The scheduler of the daily commands (operations/scheduler.py): one process per machine,
as many machines as wanted; each period of each job runs once among them.

python manage.py run_scheduler          # runs until stopped (SIGTERM or Ctrl+C)
python manage.py run_scheduler --list   # the jobs and when each runs next
"""

import logging
import signal
import sys

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from operations import job_runs, scheduler
from operations.jobs import ZONE, jobs


class Command(BaseCommand):
    @property
    def help(self):  # translated when shown, not when the module is imported
        return _(
            "Lance les tâches planifiées (relances, nettoyages, publications programmées) à "
            "leurs heures, chacune une seule fois par période même avec plusieurs "
            "planificateurs. Rattrape au démarrage les tâches du jour pas encore faites."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list",
            action="store_true",
            help=_("Afficher les tâches et leur prochaine exécution, sans rien lancer."),
        )

    def handle(self, *args, list=False, **options):
        if list:
            self._list()
            return
        # APScheduler logs two lines per job run at INFO (the heartbeat every 10 s among them):
        # run_job writes the one line per run worth reading; its warnings (missed runs) stay.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        process = scheduler.build_scheduler()
        job_runs.stopping.clear()
        signal.signal(signal.SIGTERM, _stop)
        scheduler.logger.info("Scheduler started: %s.", ", ".join(job.name for job in jobs()))
        try:
            process.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.logger.info("Scheduler stopping: waiting for the jobs running now.")
            # Waits on the database end at once; the commands running finish and are recorded.
            job_runs.stopping.set()
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends at once
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            process.shutdown(wait=True)

    def _list(self):
        now = timezone.now()
        for job in jobs():
            trigger = scheduler.trigger_for(job.schedule)
            next_time = trigger.get_next_fire_time(None, now.astimezone(ZONE))
            self.stdout.write(
                f"{job.name:30} {job.schedule!s:22} {next_time:%Y-%m-%d %H:%M %Z}  "
                f"manage.py {' '.join((job.command, *job.args))}"
            )


def _stop(signum, frame):
    sys.exit(0)
