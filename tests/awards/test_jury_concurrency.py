"""A conflict of interest declared while the same assignment's scores are being saved leaves no
score behind: `awards.scoring._locked` makes the two wait for each other.

PostgreSQL only (SQLite serialises writers on its own). As in tests/members/test_concurrency.py,
a control first shows that the harness catches the race when nothing locks.
"""

import time

import pytest
from django.utils import timezone

from awards import scoring
from awards.models import JuryAssignment, Score
from demo.factories.awards import scene_being_scored
from tests.concurrency import run_each

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

WINDOW = 0.4  # seconds the save spends between its checks and its writes


@pytest.fixture
def race(monkeypatch):
    """The saving juror checks, then lingers before writing; the conflict arrives meanwhile."""
    data = scene_being_scored()
    real_validate = scoring.validate_value

    def slow_validate(criterion, value):  # runs after the checks, before the writes
        time.sleep(WINDOW)
        return real_validate(criterion, value)

    monkeypatch.setattr(scoring, "validate_value", slow_validate)
    assignment = data["alice_first"]
    criterion = data["criteria"][0]

    def save():
        try:
            scoring.save_scores(assignment, {criterion: {"value": 4}}, timezone.now())
            return "saved"
        except scoring.AssignmentWithdrawn:
            return "refused"

    def conflict():
        time.sleep(WINDOW / 4)  # let the save take its lock (if any) first
        scoring.declare_conflict(
            assignment, "Je siège au conseil de l’association.", timezone.now()
        )
        return "conflict"

    return assignment, save, conflict


def test_control_without_the_lock_a_score_outlives_the_conflict(race, monkeypatch):
    assignment, save, conflict = race
    monkeypatch.setattr(
        scoring,
        "_locked",
        lambda a: JuryAssignment.objects.select_related("application__edition", "juror").get(
            pk=a.pk
        ),
    )
    run_each(save, conflict)
    assert JuryAssignment.objects.get(pk=assignment.pk).status == JuryAssignment.Status.CONFLICT
    assert Score.objects.filter(assignment=assignment).count() == 1  # the race the lock prevents


def test_with_the_lock_the_conflict_removes_every_score(race):
    assignment, save, conflict = race
    results = run_each(save, conflict)
    assert sorted(results) == ["conflict", "saved"]
    assert JuryAssignment.objects.get(pk=assignment.pk).status == JuryAssignment.Status.CONFLICT
    assert not Score.objects.filter(assignment=assignment).exists()
