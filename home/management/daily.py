"""What every daily command shares (the scheduler runs them, staff replay them by hand):

- `--date AAAA-MM-JJ`, to replay or test a given day (a French error for anything else);
- `--dry-run`, to list what would be done without sending or changing anything;
- `progress()`, a progress bar on the terminal (`-v 2` shows it in a log too), never in the
  scheduler's captured output;
- `count()`, a line of « n things » in the right plural (makemessages finds its
  `ngettext_lazy` strings);
- a last summary line: the command, the day, simulated or not, the time it took and whether
  something failed (the scheduler keeps it with the run).

A command says what it does in `run(day, dry_run, **options)`: `day` is the date given, or None
for today; `self.failures` counts what went wrong and will be tried again.
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

BAR_WIDTH = 30


def command_date(value):
    """The day given on the command line, or a French error naming what was typed."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("Date invalide « %(value)s » : attendu AAAA-MM-JJ.") % {"value": value}
        ) from error


class DailyCommand(BaseCommand):
    """Subclasses set `help` (a property, so that it is translated when shown) and `run()`."""

    date_help = None  # what `--date` means for this command, if more than « the day »
    # A failure that the next run does not retry by itself: the exit status says it (non-zero),
    # for whoever watches the scheduler.
    exit_on_failure = False
    failure_message = ngettext_lazy("%(count)d échec.", "%(count)d échecs.", "count")

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=command_date,
            help=self.date_help
            or _("Jour à traiter (AAAA-MM-JJ), aujourd’hui par défaut : pour tester ou rattraper."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Lister ce qui serait fait, sans rien envoyer ni modifier."),
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        if isinstance(date, str):  # call_command(date="…") skips the parser's conversion
            date = command_date(date)
        self.verbosity = options.get("verbosity", 1)
        self.failures = 0
        started = time.monotonic()
        if dry_run:
            self.stdout.write(_("Simulation : rien n’est envoyé ni modifié."))
        self.run(date, dry_run, **options)
        self.summary(date, dry_run, time.monotonic() - started)
        if self.failures and self.exit_on_failure:
            raise CommandError(self.failure_message % {"count": self.failures})

    def run(self, day, dry_run, **options):
        raise NotImplementedError

    # --- What the commands write ---------------------------------------------------------------

    def count(self, message, count, style=None):
        """Write `message`, an `ngettext_lazy(singular, plural, "count")`, for `count`: the
        catalogue picks the plural (« 0 relance » in French, « 0 reminders » in English)."""
        line = message % {"count": count}
        self.stdout.write(style(line) if style else line)

    def progress(self, items, label):
        """Yield `items`, drawing « label [#####     ] 12/40 » on stderr when it is a terminal
        (or with `-v 2`), so that a long run shows it is alive."""
        items = list(items)
        shown = self.stderr.isatty() or self.verbosity >= 2
        total = len(items)
        for done, item in enumerate(items, start=1):
            yield item
            if shown:
                filled = BAR_WIDTH * done // total
                bar = "#" * filled + " " * (BAR_WIDTH - filled)
                self.stderr.write(f"\r{label} [{bar}] {done}/{total}", ending="")
        if shown and total:
            self.stderr.write("")

    def summary(self, day, dry_run, seconds):
        """The run's last line: what, which day, simulated or not, how long, any failure."""
        line = _("%(command)s du %(day)s : terminé en %(seconds)s s%(dry_run)s%(failures)s.") % {
            "command": self.name,
            "day": formats.date_format(day or timezone.localdate(), "SHORT_DATE_FORMAT"),
            "seconds": formats.number_format(seconds, 1),
            "dry_run": _(" (simulation)") if dry_run else "",
            "failures": (
                ngettext(
                    ", %(count)d échec à reprendre",
                    ", %(count)d échecs à reprendre",
                    self.failures,
                )
                % {"count": self.failures}
                if self.failures
                else ""
            ),
        }
        self.stdout.write(self.style.ERROR(line) if self.failures else self.style.SUCCESS(line))

    @property
    def name(self):
        return self.__module__.rsplit(".", 1)[-1]
