"""Retention enforced: each app declares, in its own `retention.py`, the rules that delete or
pseudonymise what has been kept long enough, and the daily `apply_retention` command runs them
all (with `--dry-run`, it only counts). The durations are those the register of processing
states (each app's `processing.py`); a rule names the processing it enforces, so that the
register and the clean-up cannot drift apart.

A rule is a function `apply(now, dry_run) -> int`: the number of things it deleted or
pseudonymised (or, on a dry run, would have), computed from `now` only, never from the clock,
so that a test with a frozen date proves it. Rules must be safe to run twice: the second run
finds nothing left to do. Most rules count and delete querysets (`delete_counted`); those whose
rows carry files delete them once the rows' deletion commits (`delete_files_on_commit`).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionRule:
    slug: str
    label: str  # what it removes, as the summary line says it (French first)
    processing: str  # the slug of the processing (register.py) whose retention it enforces
    apply: Callable[[datetime, bool], int]
    order: int = 100


def years_before(value, years):
    """The same calendar day (and, for a moment, the same local time) `years` years earlier:
    « 3 ans » in the register is counted on the calendar of the site's time zone, 29 February
    becoming the 28th."""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    try:
        return value.replace(year=value.year - years)
    except ValueError:
        return value.replace(year=value.year - years, day=28)


def delete_counted(dry_run, *querysets):
    """The body most rules share: the number of rows of `querysets`, deleted (in this order, so
    that one whose rows another PROTECTs comes first) unless `dry_run`."""
    count = sum(queryset.count() for queryset in querysets)
    if dry_run or not count:
        return count
    for queryset in querysets:
        queryset.delete()
    return count


def _delete_files(field, names):
    for name in names:
        try:
            field.storage.delete(name)
        except OSError:  # already gone, or a disk error: the row is gone, log it
            logger.exception("%s file %s not deleted by the retention.", field.model.__name__, name)


def delete_files_on_commit(field, names):
    """Delete the files `names` of the file `field` once the rule's transaction commits: a
    rolled-back rule keeps both its rows and their files."""
    transaction.on_commit(partial(_delete_files, field, names))


_RULES: dict[str, RetentionRule] = {}


def register_rule(*rules):
    for rule in rules:
        if rule.slug in _RULES:
            raise ImproperlyConfigured(f"Retention rule {rule.slug!r} is declared twice.")
        _RULES[rule.slug] = rule


def rules():
    return sorted(_RULES.values(), key=lambda rule: (rule.order, rule.slug))


@dataclass(frozen=True)
class Outcome:
    rule: RetentionRule
    count: int
    error: str = ""


def apply_all(now, *, dry_run=False, only=None):
    """Run every rule (or those named in `only`), each in its own transaction: one rule that
    fails is reported and rolled back, and the others still run."""
    outcomes = []
    for rule in rules():
        if only and rule.slug not in only:
            continue
        try:
            with transaction.atomic():
                count = rule.apply(now, dry_run)
        except Exception as error:  # noqa: BLE001 (reported in the summary, the others go on)
            outcomes.append(Outcome(rule, 0, f"{type(error).__name__}: {error}"))
        else:
            outcomes.append(Outcome(rule, count))
    return outcomes
