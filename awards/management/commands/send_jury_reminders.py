"""The daily jury job, for cron: remind jurors with applications left to score, 7 and 2 days
before the scoring deadline (awards.emails.REMINDER_DAYS), each reminder once.

python manage.py send_jury_reminders
python manage.py send_jury_reminders --date 2027-03-13 --dry-run
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from awards.emails import editions_to_remind, remind_jurors, reminder_due
from awards.models import JuryReminder, juror_workload
from home.management.daily import DailyCommand


def _moment(day):
    """Noon in Paris on the given day, so the day counted is the day named."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class Command(DailyCommand):
    @property
    def help(self):  # translated when shown, not when the module is imported
        return _(
            "Relance les jurés qui ont encore des dossiers à noter, 7 et 2 jours avant la fin "
            "de la notation. À lancer chaque jour."
        )

    def run(self, day, dry_run, **options):
        now = _moment(day) if day else timezone.now()
        total = 0
        for edition in self.progress(editions_to_remind(now), _("Éditions")):
            due = reminder_due(edition.scoring_deadline, now)
            if due is None:
                continue
            if dry_run:
                total += self._dry_run(edition, due)
                continue
            # Synchronously: the job itself is the background work.
            total += remind_jurors.call(edition.pk, now.isoformat())
        if dry_run:
            self.count(
                ngettext_lazy(
                    "%(count)d relance serait envoyée.",
                    "%(count)d relances seraient envoyées.",
                    "count",
                ),
                total,
            )
        else:
            self.count(
                ngettext_lazy(
                    "%(count)d relance envoyée.", "%(count)d relances envoyées.", "count"
                ),
                total,
                self.style.SUCCESS,
            )

    def _dry_run(self, edition, due):
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
        count = 0
        for juror in jurors:
            self.stdout.write(
                _("%(edition)s : J-%(days)s à %(email)s (%(todo)s dossier(s))")
                % {"edition": edition, "days": due, "email": juror.user.email, "todo": juror.todo}
            )
            count += 1
        return count
