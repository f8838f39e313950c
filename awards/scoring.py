"""The jury's scoring rules, as plain functions: totals, saving, submitting, conflicts, progress.

Vocabulary and decisions:

- a *score* is one row per (assignment, criterion). Its value is an integer on the criterion's
  scale, or NULL for « sans objet » (only where the criterion allows it). A criterion without a
  row is *not scored yet*. Since NULL means « sans objet », a comment can only be kept with a
  value or « sans objet » (the form says so).
- the *weighted total* is on 0–100: each scored criterion's value is brought to 0–1 on its scale,
  weighted; « sans objet » and not-yet-scored criteria count neither above nor below the line.
- a juror may save partial scores, submit them once complete, and change them until the
  edition's scoring deadline (a change after submission keeps the assignment submitted).
- a *conflict of interest* withdraws the assignment: its status becomes « conflict » and its
  scores are DELETED (a withdrawn juror's opinion must not weigh in the ranking, and nothing
  else needs to filter them out). Staff are e-mailed after the commit. A conflict may be
  declared at any time, even after the deadline: integrity comes first.

Services take plain arguments (no request) and raise `ScoringError` subclasses carrying a
translated message for the juror.
"""

from functools import partial

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import totals
from .emails import notify_conflict
from .models import Application, EvaluationCriterion, JuryAssignment, Score
from .totals import Mark

NOT_APPLICABLE = None


class ScoringError(Exception):
    """A refused action; str(error) is the message to show the juror."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ScoringClosed(ScoringError):
    pass


class AssignmentWithdrawn(ScoringError):
    pass


class InvalidScore(ScoringError):
    pass


class IncompleteScores(ScoringError):
    pass


# --- Totals ------------------------------------------------------------------------------------


def _values_by_criterion(scores):
    """{criterion_id: value} from a mapping (criterion id or object → value) or Score objects."""
    if isinstance(scores, dict):
        return {getattr(key, "pk", key): value for key, value in scores.items()}
    return {score.criterion_id: score.value for score in scores}


def weighted_total(scores, criteria):
    """The weighted total on 0–100 of `scores` over `criteria`, or None if nothing is scored
    (awards/totals.py). « Sans objet » (None) and criteria without a score count for nothing."""
    values = _values_by_criterion(scores)
    return totals.weighted_total(
        Mark(criterion.weight, criterion.scale_min, criterion.scale_max, values.get(criterion.pk))
        for criterion in criteria
    )


def assignment_total(assignment, criteria=None):
    """The weighted total of one assignment's saved scores."""
    if criteria is None:
        criteria = list(EvaluationCriterion.objects.filter(edition_id=_edition_id(assignment)))
    return weighted_total(list(assignment.scores.all()), criteria)


def _edition_id(assignment):
    return assignment.application.edition_id


# --- Checks ------------------------------------------------------------------------------------


def _check_open(assignment, now):
    edition = assignment.application.edition
    if assignment.status == JuryAssignment.Status.CONFLICT:
        raise AssignmentWithdrawn(
            _(
                "Vous avez déclaré un conflit d’intérêts pour ce dossier : vous ne pouvez plus "
                "le noter."
            )
        )
    if now > edition.scoring_deadline:
        raise ScoringClosed(
            _("La notation est close depuis le %(date)s : vos notes ne peuvent plus changer.")
            % {"date": _format_date(edition.scoring_deadline)}
        )


def _format_date(moment):

    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# Not mutated: the lock only exists on PostgreSQL (tests/awards/test_jury_concurrency.py proves
# it there) and select_related only saves queries; `make mutate` runs on SQLite.
def _locked(assignment):  # pragma: no mutate block
    """The assignment again, locked for the transaction, with its application and edition."""
    return (
        JuryAssignment.objects.select_for_update(of=("self",))
        .select_related("application__edition", "juror")
        .get(pk=assignment.pk)
    )


def validate_value(criterion, value):
    """Raise InvalidScore unless `value` is on the criterion's scale (or None where allowed)."""
    if value is NOT_APPLICABLE:
        if not criterion.allow_not_applicable:
            raise InvalidScore(
                _("« %(label)s » ne peut pas être « sans objet » : choisissez une note.")
                % {"label": criterion.label}
            )
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not criterion.scale_min <= value <= criterion.scale_max
    ):
        raise InvalidScore(
            _("La note de « %(label)s » doit être un entier de %(min)s à %(max)s.")
            % {"label": criterion.label, "min": criterion.scale_min, "max": criterion.scale_max}
        )


# --- Saving, submitting ------------------------------------------------------------------------


def save_scores(assignment, data, now):
    """Save (create or update) some of an assignment's scores; returns the assignment.

    `data` maps a criterion (object or id) to `{"value": int or None, "comment": str}`; None is
    « sans objet ». Criteria left out of `data` keep what they had: partial saves are the rule.
    Everything is checked before anything is written: one wrong value saves nothing.
    """
    with transaction.atomic():
        assignment = _locked(assignment)
        _check_open(assignment, now)
        criteria = {
            c.pk: c for c in EvaluationCriterion.objects.filter(edition_id=_edition_id(assignment))
        }
        rows = []
        for key, entry in data.items():
            criterion = criteria.get(getattr(key, "pk", key))
            if criterion is None:
                raise InvalidScore(_("Ce critère n’appartient pas à la grille de cette édition."))
            value = entry.get("value", NOT_APPLICABLE)  # pragma: no mutate (it is None)
            validate_value(criterion, value)
            rows.append(
                Score(
                    assignment=assignment,
                    criterion=criterion,
                    value=value,
                    comment=(entry.get("comment") or "").strip(),
                )
            )
        if rows:
            # One statement, and the unique (assignment, criterion) constraint as the arbiter.
            Score.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["assignment", "criterion"],
                update_fields=["value", "comment", "updated_at"],
            )
    return assignment


def missing_criteria(assignment):
    """The criteria of the grid this assignment has not scored yet (nor marked « sans objet »)."""
    scored = Score.objects.filter(assignment=assignment).values("criterion_id")
    return list(
        EvaluationCriterion.objects.filter(edition_id=_edition_id(assignment)).exclude(
            pk__in=scored
        )
    )


def submit_scores(assignment, now):
    """Submit an assignment's scores: every criterion scored or « sans objet ». Submitting again
    changes nothing (the first submission's date is kept)."""
    with transaction.atomic():
        assignment = _locked(assignment)
        _check_open(assignment, now)
        missing = missing_criteria(assignment)
        if missing:
            raise IncompleteScores(
                _("Notez d’abord tous les critères. Il manque : %(labels)s.")
                % {"labels": ", ".join(f"« {c.label} »" for c in missing)}
            )
        if assignment.status != JuryAssignment.Status.SUBMITTED:
            assignment.status = JuryAssignment.Status.SUBMITTED
            assignment.submitted_at = now
            # The row is locked: saving every field would write the same values.
            assignment.save(update_fields=["status", "submitted_at"])  # pragma: no mutate
    return assignment


# --- Conflicts of interest ---------------------------------------------------------------------


def declare_conflict(assignment, reason, now):
    """Withdraw the juror from this application for a conflict of interest; staff are told."""

    reason = (reason or "").strip()
    if not reason:
        raise ScoringError(_("Indiquez le motif du conflit d’intérêts."))
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.status == JuryAssignment.Status.CONFLICT:
            raise AssignmentWithdrawn(
                _("Vous avez déjà déclaré un conflit d’intérêts pour ce dossier.")
            )
        assignment.scores.all().delete()
        assignment.status = JuryAssignment.Status.CONFLICT
        assignment.conflict_reason = reason
        assignment.conflict_declared_at = now
        assignment.submitted_at = None
        # The row is locked: saving every field would write the same values.
        # pragma: no mutate start
        assignment.save(
            update_fields=["status", "conflict_reason", "conflict_declared_at", "submitted_at"]
        )
        # pragma: no mutate end
        transaction.on_commit(partial(notify_conflict.enqueue, assignment.pk))
    return assignment


# --- Progress ----------------------------------------------------------------------------------


def progress(juror):
    """(done, assigned) for a juror: submitted assignments against all but the withdrawn ones,
    leaving out applications gone back to draft (the juror no longer sees them), as the jury's
    home page and staff's progress page do."""
    statuses = list(
        juror.assignments.exclude(status=JuryAssignment.Status.CONFLICT)
        .exclude(application__status=Application.Status.DRAFT)
        .values_list("status", flat=True)
    )
    done = sum(1 for status in statuses if status == JuryAssignment.Status.SUBMITTED)
    return done, len(statuses)
