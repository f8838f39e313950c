"""The volunteering's daily job, for cron: remind associations that have not answered an
introduction, and ask for confirmation of needs open for 90 days.

python manage.py send_volunteering_reminders            # today
python manage.py send_volunteering_reminders --date 2027-03-08 --dry-run
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from forms.disclosure import association_recipients
from forms.reminders import (
    matches_to_remind,
    moment_of,
    needs_to_confirm,
    remind_associations,
    request_confirmations,
)
from forms.submissions import purge_verifications
from home.management.daily import DailyCommand


class Command(DailyCommand):
    @property
    def help(self):  # translated when shown, not when the module is imported
        return _(
            "Relance les associations qui n’ont pas répondu à une mise en relation depuis "
            "7 jours et demande de confirmer les besoins ouverts depuis 90 jours. À lancer "
            "chaque jour."
        )

    def run(self, day, dry_run, **options):
        now = moment_of(day) if day else None
        matches = matches_to_remind(now)
        needs = needs_to_confirm(now)
        if dry_run:
            self._dry_run(matches, needs)
            return
        reminded = remind_associations(matches, now)
        confirmations = request_confirmations(needs, now)
        self.count(
            ngettext_lazy(
                "%(count)d relance envoyée à une association sans réponse.",
                "%(count)d relances envoyées à des associations sans réponse.",
                "count",
            ),
            len(reminded.sent),
            self.style.SUCCESS,
        )
        self.count(
            ngettext_lazy(
                "%(count)d demande de confirmation de besoin envoyée.",
                "%(count)d demandes de confirmation de besoin envoyées.",
                "count",
            ),
            len(confirmations.sent),
            self.style.SUCCESS,
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
            self.count(
                ngettext_lazy(
                    "%(count)d demande non confirmée effacée.",
                    "%(count)d demandes non confirmées effacées.",
                    "count",
                ),
                purged,
            )
        failed = len(reminded.failed) + len(confirmations.failed)
        self.failures += failed
        if failed:
            self.count(
                ngettext_lazy(
                    "%(count)d e-mail en échec, à nouveau tenté au prochain passage.",
                    "%(count)d e-mails en échec, à nouveau tentés au prochain passage.",
                    "count",
                ),
                failed,
                self.style.ERROR,
            )

    def _dry_run(self, matches, needs):
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
        self.count(
            ngettext_lazy(
                "%(count)d relance serait envoyée.",
                "%(count)d relances seraient envoyées.",
                "count",
            ),
            len(matches),
        )
        self.count(
            ngettext_lazy(
                "%(count)d demande de confirmation serait envoyée.",
                "%(count)d demandes de confirmation seraient envoyées.",
                "count",
            ),
            len(needs),
        )
