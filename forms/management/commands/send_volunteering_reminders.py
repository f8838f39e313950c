"""The volunteering's daily job, for cron: remind associations that have not answered an
introduction, and ask for confirmation of needs open for 90 days.

python manage.py send_volunteering_reminders            # today
python manage.py send_volunteering_reminders --date 2027-03-08 --dry-run
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forms.reminders import (
    association_recipients,
    matches_to_remind,
    moment_of,
    needs_to_confirm,
    remind_associations,
    request_confirmations,
)
from forms.submissions import purge_verifications
from home.management.dates import command_date


class Command(BaseCommand):
    @property
    def help(self):  # translated when shown, not when the module is imported
        return _(
            "Relance les associations qui n’ont pas répondu à une mise en relation depuis "
            "7 jours et demande de confirmer les besoins ouverts depuis 90 jours. À lancer "
            "chaque jour."
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
        now = moment_of(command_date(date)) if date else None
        matches = matches_to_remind(now)
        needs = needs_to_confirm(now)
        if dry_run:
            self._dry_run(matches, needs)
            return
        reminded = remind_associations(matches, now)
        confirmations = request_confirmations(needs, now)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(count)d relance envoyée à une association sans réponse.",
                    "%(count)d relances envoyées à des associations sans réponse.",
                    len(reminded.sent),
                )
                % {"count": len(reminded.sent)}
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(count)d demande de confirmation de besoin envoyée.",
                    "%(count)d demandes de confirmation de besoin envoyées.",
                    len(confirmations.sent),
                )
                % {"count": len(confirmations.sent)}
            )
        )
        for match in reminded.without_recipient:
            self.stdout.write(
                self.style.WARNING(
                    _("Pas d’adresse e-mail pour « %(name)s » : relance non envoyée.")
                    % {"name": match.need.organisation.name}
                )
            )
        for need in confirmations.without_recipient:
            self.stdout.write(
                self.style.WARNING(
                    _("Pas d’adresse e-mail pour « %(name)s » : demande non envoyée.")
                    % {"name": need.organisation.name}
                )
            )
        # What visitors typed and never confirmed is not kept beyond their link's life.
        purged = purge_verifications(now)
        if purged:
            self.stdout.write(
                ngettext(
                    "%(count)d demande non confirmée effacée.",
                    "%(count)d demandes non confirmées effacées.",
                    purged,
                )
                % {"count": purged}
            )
        failed = len(reminded.failed) + len(confirmations.failed)
        if failed:
            self.stdout.write(
                self.style.ERROR(
                    ngettext(
                        "%(count)d e-mail en échec, à nouveau tenté au prochain passage.",
                        "%(count)d e-mails en échec, à nouveau tentés au prochain passage.",
                        failed,
                    )
                    % {"count": failed}
                )
            )

    def _dry_run(self, matches, needs):
        self.stdout.write(_("Simulation : rien n’est envoyé ni modifié."))
        nobody = _("aucun destinataire")
        for match in matches:
            self.stdout.write(
                _("Relance — %(need)s (mise en relation n° %(pk)s du %(date)s) : %(to)s")
                % {
                    "need": match.need,
                    "pk": match.pk,
                    "date": timezone.localdate(match.introduced_at).isoformat(),
                    "to": ", ".join(association_recipients(match.need)) or nobody,
                }
            )
        for need in needs:
            self.stdout.write(
                _("Confirmation — %(need)s (besoin n° %(pk)s) : %(to)s")
                % {
                    "need": need,
                    "pk": need.pk,
                    "to": ", ".join(association_recipients(need)) or nobody,
                }
            )
        self.stdout.write(
            ngettext(
                "%(count)d relance serait envoyée.",
                "%(count)d relances seraient envoyées.",
                len(matches),
            )
            % {"count": len(matches)}
        )
        self.stdout.write(
            ngettext(
                "%(count)d demande de confirmation serait envoyée.",
                "%(count)d demandes de confirmation seraient envoyées.",
                len(needs),
            )
            % {"count": len(needs)}
        )
