"""The daily membership job, for cron: expire finished memberships, send due renewal reminders.

python manage.py send_membership_reminders            # today
python manage.py send_membership_reminders --date 2027-12-01 --dry-run
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from home.management.dates import command_date
from members.models import Membership
from members.receipts import send_unsent_receipts
from members.renewals import deliver_reminders, expire_memberships, reminders_due


class Command(BaseCommand):
    @property
    def help(self):  # translated when shown, not when the module is imported
        return _(
            "Passe en « expirée » les adhésions dont l’année est finie et envoie les relances "
            "de renouvellement dues. À lancer chaque jour."
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
        today = command_date(date) if date else None
        due = reminders_due(today)
        if dry_run:
            self._dry_run(today, due)
            return
        expired = expire_memberships(today)
        report = deliver_reminders(due)
        receipts = send_unsent_receipts()
        if receipts:
            self.stdout.write(
                ngettext(
                    "%(count)d reçu envoyé après un échec précédent.",
                    "%(count)d reçus envoyés après un échec précédent.",
                    receipts,
                )
                % {"count": receipts}
            )
        self.stdout.write(
            ngettext(
                "%(count)d adhésion passée en « expirée ».",
                "%(count)d adhésions passées en « expirée ».",
                expired,
            )
            % {"count": expired}
        )
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(count)d relance envoyée.", "%(count)d relances envoyées.", len(report.sent)
                )
                % {"count": len(report.sent)}
            )
        )
        for reminder in report.without_recipient:
            self.stdout.write(
                self.style.WARNING(
                    _("Pas de contact avec e-mail pour « %(name)s » : relance non envoyée.")
                    % {"name": reminder.organisation.name}
                )
            )
        if report.failed:
            self.stdout.write(
                self.style.ERROR(
                    ngettext(
                        "%(count)d relance en échec, à nouveau tentée au prochain passage.",
                        "%(count)d relances en échec, à nouveau tentées au prochain passage.",
                        len(report.failed),
                    )
                    % {"count": len(report.failed)}
                )
            )

    def _dry_run(self, today, due):
        today = today or timezone.localdate()
        to_expire = Membership.objects.filter(
            status=Membership.Status.ACTIVE, period_end__lt=today
        ).count()
        self.stdout.write(_("Simulation : rien n’est envoyé ni modifié."))
        self.stdout.write(
            ngettext(
                "%(count)d adhésion passerait en « expirée ».",
                "%(count)d adhésions passeraient en « expirée ».",
                to_expire,
            )
            % {"count": to_expire}
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
        self.stdout.write(
            ngettext(
                "%(count)d relance serait envoyée.",
                "%(count)d relances seraient envoyées.",
                len(due),
            )
            % {"count": len(due)}
        )
