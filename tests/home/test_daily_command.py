"""The daily commands' shared options and lines (home/management/daily.py), through a real
command (send_jury_reminders) and a small one written here."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import ngettext_lazy

from home.management.daily import DailyCommand

pytestmark = pytest.mark.django_db


class Counting(DailyCommand):
    """Walks three items, one of which fails."""

    exit_on_failure = True

    def run(self, day, dry_run, **options):
        self.seen = (day, dry_run)
        for item in self.progress(["a", "b", "c"], "Éléments"):
            if item == "b":
                self.failures += 1
        self.count(ngettext_lazy("%(count)d élément.", "%(count)d éléments.", "count"), 3)


def run(command, *args, exit_on_failure=False):
    out, err = io.StringIO(), io.StringIO()
    command.exit_on_failure = exit_on_failure
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_date_dry_run_count_and_summary():
    command = Counting()
    out, err = run(command, "--date", "2027-03-13", "--dry-run")
    lines = out.splitlines()
    assert lines[0] == "Simulation : rien n’est envoyé ni modifié."
    assert "3 éléments." in lines
    assert str(command.seen[0]) == "2027-03-13" and command.seen[1] is True
    # The last line: the command, the day, simulated, and the failure to take up again.
    assert lines[-1].startswith("test_daily_command du 13/03/2027 : terminé en ")
    assert lines[-1].endswith(" (simulation), 1 échec à reprendre.")
    assert err == ""  # no progress bar outside a terminal


def test_progress_bar_on_demand_and_failure_exit():
    with pytest.raises(CommandError, match="1 échec"):
        run(Counting(), "-v", "2", exit_on_failure=True)
    out, err = io.StringIO(), io.StringIO()
    command = Counting()
    command.exit_on_failure = False
    call_command(command, "-v", "2", stdout=out, stderr=err)
    assert f"Éléments [{'#' * 30}] 3/3" in err.getvalue()
    assert f"Éléments [{'#' * 10}{' ' * 20}] 1/3" in err.getvalue()
    assert "simulation" not in out.getvalue()


def test_a_date_that_is_not_one_is_refused_in_french():
    for command in ("send_jury_reminders", "send_membership_reminders", "purge_search_log"):
        with pytest.raises(CommandError, match="Date invalide « 13/03/2027 » : attendu AAAA-MM-JJ"):
            call_command(command, "--date", "13/03/2027", stdout=io.StringIO())


def test_the_real_commands_end_with_the_summary_line():
    out = io.StringIO()
    call_command("send_jury_reminders", "--date", "2027-03-13", stdout=out)
    last = out.getvalue().splitlines()[-1]
    assert last.startswith("send_jury_reminders du 13/03/2027 : terminé en ")
