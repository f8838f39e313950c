"""Database rules of the volunteer matching hold whatever the entry point."""

import pytest
from django.db import IntegrityError, transaction

from demo.factories.forms import (
    BoardNeedFactory,
    MatchFactory,
    SkillFactory,
    VolunteerOfferFactory,
)
from forms.models import Match, NeedSkill, OfferSkill

pytestmark = pytest.mark.django_db


def test_one_match_per_need_and_offer():
    match = MatchFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.create(need=match.need, offer=match.offer)
    assert Match.objects.count() == 1


def test_skill_weights_stay_within_their_scale():
    skill = SkillFactory()
    need = BoardNeedFactory()
    offer = VolunteerOfferFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        NeedSkill.objects.create(need=need, skill=skill, importance=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferSkill.objects.create(offer=offer, skill=skill, level=0)
    NeedSkill.objects.create(need=need, skill=skill, importance=3)
    assert list(need.skills.all()) == [skill]


def test_a_need_asks_for_some_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardNeedFactory(hours_per_month=0)


def test_an_anonymous_volunteer_is_named_by_number_only():
    offer = VolunteerOfferFactory(first_name="Camille", last_name="Durand")
    assert "Camille" not in str(offer) and "Durand" not in str(offer)
    assert str(offer.pk) in str(offer)
