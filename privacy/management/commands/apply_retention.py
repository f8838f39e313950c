"""The daily clean-up of personal data kept past its retention period (the register's
durations, enforced by the rules each app declares in its `retention.py`).

python manage.py apply_retention                      # today
python manage.py apply_retention --dry-run            # count only, change nothing
python manage.py apply_retention --date 2030-01-31    # as on that day
"""

import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from home.management.daily import DailyCommand
from privacy import retention


class Command(DailyCommand):
    exit_on_failure = True  # a rule that failed changed nothing: someone must look
    failure_message = ngettext_lazy(
        "%(count)d règle en échec.", "%(count)d règles en échec.", "count"
    )

    @property
    def help(self):  # translated when shown, not when the module is imported
        return _(
            "Efface ou pseudonymise les données personnelles gardées au-delà de leur durée de "
            "conservation (celles du registre des traitements). À lancer chaque jour."
        )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--rule",
            action="append",
            dest="only",
            help=_("N’appliquer que cette règle (peut être répété)."),
        )

    def run(self, day, dry_run, only=None, **options):
        known = {rule.slug for rule in retention.rules()}
        unknown = sorted(set(only or ()) - known)
        if unknown:
            raise CommandError(
                _("Règle inconnue : %(rules)s. Règles : %(known)s.")
                % {"rules": ", ".join(unknown), "known": ", ".join(sorted(known))}
            )
        now = timezone.now()
        if day:
            # The end of the given day: what expires during it is due.
            now = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
        outcomes = retention.apply_all(now, dry_run=dry_run, only=only)
        verb = _("à traiter") if dry_run else _("traité(s)")
        for outcome in outcomes:
            if outcome.error:
                self.failures += 1
                self.stderr.write(
                    _("%(label)s : échec, rien n’a été changé (%(error)s).")
                    % {"label": outcome.rule.label, "error": outcome.error}
                )
            else:
                self.stdout.write(f"{outcome.rule.label} : {outcome.count} {verb}")
        total = sum(outcome.count for outcome in outcomes)
        summary = (
            _("Simulation : %(total)d élément(s) seraient effacés ou pseudonymisés.")
            if dry_run
            else _("%(total)d élément(s) effacés ou pseudonymisés.")
        )
        self.stdout.write(self.style.SUCCESS(summary % {"total": total}))
