"""The daily `apply_retention` command: every rule, a dry run, a given day, a failure isolated."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from privacy import retention
from privacy.retention import RetentionRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls():
    return []


@pytest.fixture
def two_rules(monkeypatch, calls):
    """A rule deleting groups named « old-… » (a real table), and one that fails after writing."""

    def delete_old(now, dry_run):
        calls.append((now, dry_run))
        old = Group.objects.filter(name__startswith="old-")
        count = old.count()
        if not dry_run:
            old.delete()
        return count

    def broken(now, dry_run):
        Group.objects.create(name="written-then-rolled-back")
        raise RuntimeError("storage unreachable")

    monkeypatch.setattr(retention, "_RULES", {})
    retention.register_rule(
        RetentionRule("test-old", "Vieux groupes", "privacy-visits", delete_old, order=2),
        RetentionRule("test-broken", "Règle cassée", "privacy-visits", broken, order=1),
    )


def test_a_dry_run_counts_and_changes_nothing(two_rules, calls, capsys):
    Group.objects.create(name="old-1")
    Group.objects.create(name="old-2")
    with pytest.raises(CommandError, match="1 règle"):
        call_command("apply_retention", "--dry-run")
    out = capsys.readouterr()
    assert "Vieux groupes : 2 à traiter" in out.out
    assert "Simulation : 2 élément(s)" in out.out
    assert "Règle cassée : échec" in out.err
    assert Group.objects.filter(name__startswith="old-").count() == 2
    assert calls[0][1] is True


def test_a_failing_rule_is_rolled_back_and_the_others_still_run(two_rules, calls, capsys):
    Group.objects.create(name="old-1")
    with pytest.raises(CommandError):
        call_command("apply_retention")
    assert not Group.objects.filter(name__startswith="old-").exists()
    assert not Group.objects.filter(name="written-then-rolled-back").exists()
    assert "storage unreachable" in capsys.readouterr().err


def test_the_date_option_runs_as_at_the_end_of_that_day(two_rules, calls):
    call_command("apply_retention", "--date", "2031-03-15", "--rule", "test-old")
    [(now, dry_run)] = calls
    assert dry_run is False
    local = timezone.localtime(now)
    assert (local.date(), local.time()) == (datetime.date(2031, 3, 15), datetime.time.max)


def test_an_unknown_rule_or_date_is_refused_in_french(two_rules):
    with pytest.raises(CommandError, match="Règle inconnue : nope"):
        call_command("apply_retention", "--rule", "nope")
    with pytest.raises(CommandError, match="Date invalide"):
        call_command("apply_retention", "--date", "31/03/2031")


def test_every_declared_rule_enforces_a_declared_processing():
    from privacy.register import processing

    for rule in retention.rules():
        assert processing(rule.processing)  # raises KeyError for an unknown slug
