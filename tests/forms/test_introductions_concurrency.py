"""Two changes to the same match at the same moment (forms/introductions.py).

PostgreSQL only (SQLite serialises writers on its own): tests/conftest.py deselects these tests
on other databases. As in tests/members/test_concurrency.py, a control first shows the harness
catches the race when nothing locks, then the real code runs the same way.
"""

import time

import pytest
from django.db import transaction
from django.utils import timezone

from demo.factories.forms import BoardNeedFactory, MatchFactory, VolunteerOfferFactory
from forms import introductions
from forms.introductions import ASSOCIATION, VOLUNTEER
from forms.models import Match
from tests.concurrency import run_each

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

WINDOW = 0.3  # seconds between reading the match and writing it: the race window


@pytest.fixture
def introduced():
    return MatchFactory(status=Match.Status.INTRODUCED, introduced_at=timezone.now())


def test_control_without_a_lock_two_acceptances_never_meet(introduced):
    def accept_unlocked(side):
        def run():
            with transaction.atomic():
                match = Match.objects.get(pk=introduced.pk)  # no select_for_update
                time.sleep(WINDOW)
                setattr(match, f"{side}_answer", Match.Answer.ACCEPTED)
                if match.identities_revealed:
                    match.status = Match.Status.ACCEPTED
                Match.objects.filter(pk=match.pk).update(
                    **{f"{side}_answer": Match.Answer.ACCEPTED, "status": match.status}
                )

        return run

    run_each(accept_unlocked(ASSOCIATION), accept_unlocked(VOLUNTEER))
    match = Match.objects.get(pk=introduced.pk)
    # Both accepted, yet each saw the other undecided: the match is stuck « introduced ».
    assert match.identities_revealed and match.status == Match.Status.INTRODUCED


def test_with_the_lock_two_acceptances_make_an_accepted_match(introduced, monkeypatch):
    real_check = introductions._check_active

    def slow_check(need, offer):  # called inside the locked section: widen the window
        time.sleep(WINDOW)
        return real_check(need, offer)

    monkeypatch.setattr(introductions, "_check_active", slow_check)
    run_each(
        lambda: introductions.answer(introduced, ASSOCIATION, True),
        lambda: introductions.answer(introduced, VOLUNTEER, True),
    )
    match = Match.objects.get(pk=introduced.pk)
    assert match.identities_revealed and match.status == Match.Status.ACCEPTED


def test_two_proposals_of_the_same_pair_make_one_match(monkeypatch):
    need, offer = BoardNeedFactory(), VolunteerOfferFactory()

    def slow_score(need_, offer_):  # between the look-up and the insert: both miss the other
        time.sleep(WINDOW)
        return 10

    monkeypatch.setattr(introductions, "_score", slow_score)
    results = run_each(
        lambda: introductions.propose(need, offer).pk,
        lambda: introductions.propose(need, offer).pk,
    )
    assert Match.objects.count() == 1
    assert results == [Match.objects.get().pk] * 2
