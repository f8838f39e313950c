"""What a juror reads when the scoring rules refuse something (awards/scoring.py): each refusal
says why, in French, with the criterion, the scale or the deadline it is about. Also the edges
of the rules the other jury tests leave out (the bottom of a scale, ids as keys, no comment)."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from awards import scoring
from awards.models import JuryAssignment, Score
from demo.factories.awards import make_grid, scene_being_scored, scoring_edition

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def s():
    return scene_being_scored()


def refusal(call):
    with pytest.raises(scoring.ScoringError) as refused:
        call()
    return refused.value


def test_after_the_deadline_the_juror_reads_when_scoring_closed(s):
    edition = s["edition"]
    deadline = datetime.datetime(2031, 3, 15, 18, 30, tzinfo=PARIS)
    edition.call_opens_at = deadline - datetime.timedelta(days=90)
    edition.call_closes_at = deadline - datetime.timedelta(days=30)
    edition.scoring_deadline = deadline
    edition.results_published_at = deadline + datetime.timedelta(days=30)
    edition.save()
    after = edition.scoring_deadline + datetime.timedelta(days=2)
    a = s["criteria"][0]
    error = refusal(lambda: scoring.save_scores(s["alice_first"], {a: {"value": 3}}, after))
    assert isinstance(error, scoring.ScoringClosed)
    assert str(error) == (
        "La notation est close depuis le 15 mars 2031 18:30 : vos notes ne peuvent plus changer."
    )
    assert error.message == str(error)


def test_a_withdrawn_juror_reads_why_they_cannot_score_or_withdraw_again(s):
    assignment = s["alice_first"]
    a = s["criteria"][0]
    now = timezone.now()
    scoring.declare_conflict(assignment, "Je suis salariée de l’entreprise.", now)
    error = refusal(lambda: scoring.save_scores(assignment, {a: {"value": 3}}, now))
    assert isinstance(error, scoring.AssignmentWithdrawn)
    assert str(error) == (
        "Vous avez déclaré un conflit d’intérêts pour ce dossier : vous ne pouvez plus le noter."
    )
    error = refusal(lambda: scoring.declare_conflict(assignment, "Encore", now))
    assert isinstance(error, scoring.AssignmentWithdrawn)
    assert str(error) == "Vous avez déjà déclaré un conflit d’intérêts pour ce dossier."


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_conflict_needs_a_reason(s, reason):
    assignment = s["alice_first"]
    error = refusal(lambda: scoring.declare_conflict(assignment, reason, timezone.now()))
    assert str(error) == "Indiquez le motif du conflit d’intérêts."
    assignment.refresh_from_db()
    assert assignment.status == JuryAssignment.Status.ASSIGNED


def test_the_conflict_reason_is_kept_without_its_surrounding_spaces(s):
    assignment = scoring.declare_conflict(
        s["alice_first"], "  Ma sœur préside l’association. ", timezone.now()
    )
    assignment.refresh_from_db()
    assert assignment.conflict_reason == "Ma sœur préside l’association."


def test_a_criterion_of_another_grid_is_named_as_such(s):
    foreign = make_grid(scoring_edition(year=2034))[0]
    error = refusal(
        lambda: scoring.save_scores(s["alice_first"], {foreign: {"value": 3}}, timezone.now())
    )
    assert str(error) == "Ce critère n’appartient pas à la grille de cette édition."


def test_a_value_off_the_scale_names_the_criterion_and_its_scale(s):
    b = s["criteria"][1]  # « Utilité sociale », 1 to 10
    error = refusal(
        lambda: scoring.save_scores(s["alice_first"], {b: {"value": 0}}, timezone.now())
    )
    assert str(error) == "La note de « Utilité sociale » doit être un entier de 1 à 10."


def test_sans_objet_where_it_is_not_allowed_names_the_criterion(s):
    a = s["criteria"][0]
    error = refusal(
        lambda: scoring.save_scores(s["alice_first"], {a: {"value": None}}, timezone.now())
    )
    assert str(error) == (
        "« Qualité du partenariat » ne peut pas être « sans objet » : choisissez une note."
    )


def test_submitting_too_early_lists_what_is_missing(s):
    a = s["criteria"][0]
    now = timezone.now()
    scoring.save_scores(s["alice_first"], {a: {"value": 3}}, now)
    error = refusal(lambda: scoring.submit_scores(s["alice_first"], now))
    assert str(error) == (
        "Notez d’abord tous les critères. Il manque : « Utilité sociale », « Essaimage »."
    )


def test_both_ends_of_a_scale_are_accepted(s):
    a, b, _c = s["criteria"]
    now = timezone.now()
    scoring.save_scores(s["alice_first"], {b: {"value": 1}, a: {"value": 5}}, now)
    values = dict(Score.objects.values_list("criterion_id", "value"))
    assert values == {b.pk: 1, a.pk: 5}


def test_totals_accept_criterion_ids_as_keys(s):
    a, b, c = s["criteria"]
    by_object = scoring.weighted_total({a: 4, b: 7, c: 5}, s["criteria"])
    assert scoring.weighted_total({a.pk: 4, b.pk: 7, c.pk: 5}, s["criteria"]) == by_object


def test_a_score_without_comment_keeps_an_empty_comment(s):
    a = s["criteria"][0]
    scoring.save_scores(s["alice_first"], {a: {"value": 2}}, timezone.now())
    scoring.save_scores(s["alice_first"], {a: {"value": 3, "comment": None}}, timezone.now())
    assert Score.objects.get().comment == ""
