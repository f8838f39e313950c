"""The daily membership job, for cron: expire finished memberships, send due renewal reminders.

python manage.py send_membership_reminders            # today
python manage.py send_membership_reminders --date 2027-12-01 --dry-run
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from home.management.daily import DailyCommand
from members.models import Membership
from members.receipts import send_unsent_receipts
from members.renewals import deliver_reminders, expire_memberships, reminders_due


class Command(DailyCommand):
    @property
    def help(self):  # translated when shown, not when the module is imported
        return _(
            "Passe en « expirée » les adhésions dont l’année est finie et envoie les relances "
            "de renouvellement dues. À lancer chaque jour."
        )

    def run(self, today, dry_run, **options):
        due = reminders_due(today)
        if dry_run:
            self._dry_run(today, due)
            return
        expired = expire_memberships(today)
        report = deliver_reminders(due)
        receipts = send_unsent_receipts()
        if receipts:
            self.count(
                ngettext_lazy(
                    "%(count)d reçu envoyé après un échec précédent.",
                    "%(count)d reçus envoyés après un échec précédent.",
                    "count",
                ),
                receipts,
            )
        self.count(
            ngettext_lazy(
                "%(count)d adhésion passée en « expirée ».",
                "%(count)d adhésions passées en « expirée ».",
                "count",
            ),
            expired,
        )
        self.count(
            ngettext_lazy("%(count)d relance envoyée.", "%(count)d relances envoyées.", "count"),
            len(report.sent),
            self.style.SUCCESS,
        )
        for reminder in report.without_recipient:
            self.stdout.write(
                self.style.WARNING(
                    _("Pas de contact avec e-mail pour « %(name)s » : relance non envoyée.")
                    % {"name": reminder.organisation.name}
                )
            )
        if report.failed:
            self.failures += len(report.failed)
            self.count(
                ngettext_lazy(
                    "%(count)d relance en échec, à nouveau tentée au prochain passage.",
                    "%(count)d relances en échec, à nouveau tentées au prochain passage.",
                    "count",
                ),
                len(report.failed),
                self.style.ERROR,
            )

    def _dry_run(self, today, due):
        today = today or timezone.localdate()
        to_expire = Membership.objects.filter(
            status=Membership.Status.ACTIVE, period_end__lt=today
        ).count()
        self.count(
            ngettext_lazy(
                "%(count)d adhésion passerait en « expirée ».",
                "%(count)d adhésions passeraient en « expirée ».",
                "count",
            ),
            to_expire,
        )
        for reminder in due:
            self.stdout.write(
                _("%(name)s — renouvellement %(year)s, relance %(offset)+d j : %(to)s")
                % {
                    "name": reminder.organisation.name,
                    "year": reminder.year,
                    "offset": reminder.offset_days,
                    "to": ", ".join(reminder.recipients) or _("aucun destinataire"),
                }
            )
        self.count(
            ngettext_lazy(
                "%(count)d relance serait envoyée.",
                "%(count)d relances seraient envoyées.",
                "count",
            ),
            len(due),
        )
