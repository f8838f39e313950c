"""The daily jury job, for cron: remind jurors with applications left to score, 7 and 2 days
before the scoring deadline (awards.jury_tasks.REMINDER_DAYS), each reminder once.

python manage.py send_jury_reminders
python manage.py send_jury_reminders --date 2027-03-13 --dry-run
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.jury_tasks import editions_to_remind, remind_jurors, reminder_due
from awards.models import JuryReminder, juror_workload
from home.management.dates import command_date


def _moment(value):
    """Noon in Paris on the given day, so the day counted is the day named."""
    day = command_date(value)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class Command(BaseCommand):
    @property
    def help(self):  # translated when shown, not when the module is imported
        return _(
            "Relance les jurés qui ont encore des dossiers à noter, 7 et 2 jours avant la fin "
            "de la notation. À lancer chaque jour."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help=_(
                "Jour à traiter (AAAA-MM-JJ), aujourd’hui par défaut : pour tester ou rattraper."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Lister ce qui serait fait, sans rien envoyer ni modifier."),
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        now = _moment(date) if date else timezone.now()
        total = 0
        for edition in editions_to_remind(now):
            due = reminder_due(edition.scoring_deadline, now)
            if due is None:
                continue
            if dry_run:
                jurors = (
                    edition.jurors.select_related("user")
                    .annotate(**juror_workload())
                    .filter(todo__gt=0)
                    .exclude(user__email="")  # as remind_jurors: no address, no reminder
                    .exclude(
                        pk__in=JuryReminder.objects.filter(
                            days_before=due, deadline=edition.scoring_deadline
                        ).values("juror")
                    )
                )
                for juror in jurors:
                    self.stdout.write(
                        _("%(edition)s : J-%(days)s à %(email)s (%(todo)s dossier(s))")
                        % {
                            "edition": edition,
                            "days": due,
                            "email": juror.user.email,
                            "todo": juror.todo,
                        }
                    )
                    total += 1
                continue
            # Synchronously: the job itself is the background work.
            total += remind_jurors.call(edition.pk, now.isoformat())
        if dry_run:
            self.stdout.write(_("%(count)s relance(s) seraient envoyées.") % {"count": total})
        else:
            self.stdout.write(_("%(count)s relance(s) envoyée(s).") % {"count": total})
