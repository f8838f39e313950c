"""The matching score (hand-computed), the ranked suggestions and their exclusions, the
départements' neighbours, and the fixed number of queries whatever the data's size."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.factories.forms import (
    BoardNeedFactory,
    CompanyFactory,
    MatchFactory,
    SkillFactory,
    VolunteerOfferFactory,
)
from demo.factories.members import OrganisationFactory
from forms import matching
from forms.departements import ADJACENCY, neighbours
from forms.models import BoardNeed, Match, VolunteerOffer
from members.models import Contact, Sector
from members.validators import validate_departement

pytestmark = pytest.mark.django_db


# --- départements -----------------------------------------------------------------------------


def test_adjacency_is_symmetric_and_uses_valid_codes():
    for code, others in ADJACENCY.items():
        validate_departement(code)
        assert code not in others
        for other in others:
            validate_departement(other)
            assert code in ADJACENCY[other], f"{other} lacks its neighbour {code}"


def test_adjacency_covers_every_departement():
    # 96 metropolitan (01–95 without 20, plus 2A and 2B) and the overseas codes the validator
    # accepts (971–976).
    metropolitan = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
    overseas = [f"97{n}" for n in range(1, 7)]
    assert sorted(ADJACENCY) == sorted(metropolitan + overseas)
    assert all(ADJACENCY[code] for code in metropolitan)


@pytest.mark.parametrize(
    "code, other",
    [("44", "49"), ("44", "35"), ("75", "92"), ("2A", "2B"), ("13", "84"), ("67", "68")],
)
def test_known_neighbours(code, other):
    assert other in neighbours(code)
    assert code in neighbours(other)


def test_not_neighbours():
    assert "13" not in neighbours("44")
    assert "2A" not in neighbours("06")  # the sea is no border
    assert neighbours("974") == frozenset()
    assert neighbours("2a") == {"2B"}
    assert neighbours("99") == frozenset()


# --- the score --------------------------------------------------------------------------------


@pytest.fixture
def world():
    """One need and five offers whose scores are computed by hand below."""
    finance = SkillFactory(name="Finance", slug="finance")
    legal = SkillFactory(name="Juridique", slug="juridique")
    hr = SkillFactory(name="RH", slug="rh")
    social = Sector.objects.create(name="Solidarité (essai)", slug="essai-solidarite")
    culture = Sector.objects.create(name="Culture (essai)", slug="essai-culture")
    organisation = OrganisationFactory(departement="44")
    organisation.sectors.add(social)
    need = BoardNeedFactory(
        organisation=organisation,
        departement="44",
        hours_per_month=6,
        with_skills={finance: 3, legal: 1},
    )
    # Σ importance = 3 + 1 = 4 for every offer below.
    # 1: skills 60 × (3 × 2/3) / 4 = 30; 49 borders 44: 20 × 0.5 = 10; no preference: 10;
    #    10 × 4/6 = 6.667 → 56.667 → 56.7
    neighbour = VolunteerOfferFactory(
        departements=["49"], hours_per_month=4, with_skills={finance: 2}
    )
    # 2: skills 60 × (3 × 3/3 + 1 × 3/3) / 4 = 60; 44: 20; prefers culture only: 0;
    #    8 ≥ 6: 10 → 90.0
    expert = VolunteerOfferFactory(
        departements=["44"], hours_per_month=8, with_skills={finance: 3, legal: 3}
    )
    expert.preferred_sectors.add(culture)
    # 3: skills 60 × (1 × 1/3) / 4 = 5; 13 is far: 0; prefers solidarité: 10; 6 ≥ 6: 10 → 25.0
    far = VolunteerOfferFactory(departements=["13"], hours_per_month=6, with_skills={legal: 1})
    far.preferred_sectors.add(social)
    # 4: no skill asked for (RH only): skills 0, 44: 20, 10, 10 → 40.0, but never suggested
    unrelated = VolunteerOfferFactory(departements=["44"], hours_per_month=10, with_skills={hr: 3})
    # 5: skills 60 × (3 × 1/3 + 1 × 2/3) / 4 = 60 × (5/3) / 4 = 25; 35 borders 44 (75 does
    #    not matter): 10; prefers both sectors, solidarité among them: 10; 10 × 3/6 = 5 → 50.0
    mixed = VolunteerOfferFactory(
        departements=["75", "35"], hours_per_month=3, with_skills={finance: 1, legal: 2}
    )
    mixed.preferred_sectors.add(social, culture)
    return {
        "need": need,
        "organisation": organisation,
        "neighbour": neighbour,
        "expert": expert,
        "far": far,
        "unrelated": unrelated,
        "mixed": mixed,
        "skills": (finance, legal, hr),
        "sectors": (social, culture),
    }


@pytest.mark.parametrize(
    "offer, expected",
    [
        ("neighbour", "56.7"),
        ("expert", "90.0"),
        ("far", "25.0"),
        ("unrelated", "40.0"),
        ("mixed", "50.0"),
    ],
)
def test_score_pair_equals_hand_computed_value(world, offer, expected):
    assert matching.score_pair(world["need"], world[offer]) == Decimal(expected)


def test_breakdown_gives_each_component_in_points(world):
    breakdown = matching.score_breakdown(world["need"], world["neighbour"])
    assert breakdown["skills"] == Decimal("30.0")
    assert breakdown["territory"] == Decimal("10.0")
    assert breakdown["sector"] == Decimal("10.0")
    assert breakdown["availability"] == Decimal("6.7")  # 10 × 4/6
    assert breakdown["score"] == Decimal("56.7")
    assert breakdown["weights"] == {"skills": 60, "territory": 20, "sector": 10, "availability": 10}
    assert breakdown["shares_a_skill"] is True
    assert matching.score_breakdown(world["need"], world["unrelated"])["shares_a_skill"] is False


def test_score_rounds_half_up_overseas_and_organisation_without_sector(world):
    finance = world["skills"][0]
    social = world["sectors"][0]
    organisation = OrganisationFactory(departement="974")  # no sector
    need = BoardNeedFactory(
        organisation=organisation, departement="974", hours_per_month=8, with_skills={finance: 2}
    )
    offer = VolunteerOfferFactory(departements=["974"], hours_per_month=1, with_skills={finance: 3})
    offer.preferred_sectors.add(social)
    # skills 60 × (2 × 3/3) / 2 = 60; same département: 20; the organisation has no sector and
    # the volunteer has preferences: 0; 10 × 1/8 = 1.25 → 81.25 → 81.3 (half up)
    assert matching.score_pair(need, offer) == Decimal("81.3")
    # La Réunion borders nothing: an offer in Mayotte earns no territory point.
    # 60 + 0 + 0 + 1.25 = 61.25 → 61.3
    offer.departements = ["976"]
    offer.save()
    assert matching.score_pair(need, offer) == Decimal("61.3")


def test_departements_stored_loosely_still_count(world):
    """A code stored as a number or a bare string (edited by hand) still counts: 49 borders 44."""
    offer = world["neighbour"]
    for stored in ("49", [49], [" 49 "]):
        offer.departements = stored
        offer.save()
        assert matching.score_breakdown(world["need"], offer)["territory"] == Decimal("10.0")
    offer.departements = ["99", "ailleurs"]
    offer.save()
    assert matching.score_breakdown(world["need"], offer)["territory"] == Decimal("0.0")


def test_score_ignores_statuses_and_conflicts(world):
    """Staff may score any pair they propose; suggestions are what filter."""
    need, offer = world["need"], world["expert"]
    need.status = BoardNeed.Status.CLOSED
    need.save()
    offer.status = VolunteerOffer.Status.WITHDRAWN
    offer.save()
    assert matching.score_pair(need, offer) == Decimal("90.0")


def test_score_pair_equals_the_matrix_value(world):
    """One computation behind both: every pair scored alone equals its batch score."""
    batch = dict(matching.all_suggestions(per_need=10)[world["need"].pk])
    assert len(batch) == 4
    for offer_id, score in batch.items():
        offer = VolunteerOffer.objects.get(pk=offer_id)
        assert matching.score_pair(world["need"], offer) == score
    for suggestion in matching.suggestions_for_need(world["need"]):
        assert suggestion.score == matching.score_pair(suggestion.need, suggestion.offer)
        breakdown = matching.score_breakdown(suggestion.need, suggestion.offer)
        assert suggestion.components == {name: breakdown[name] for name in matching.COMPONENTS}


# --- ranking and exclusions --------------------------------------------------------------------


def ranked(need):
    return [(s.offer.pk, s.score) for s in matching.suggestions_for_need(need)]


def test_suggestions_for_need_are_ranked_and_skip_offers_without_a_shared_skill(world):
    assert ranked(world["need"]) == [
        (world["expert"].pk, Decimal("90.0")),
        (world["neighbour"].pk, Decimal("56.7")),
        (world["mixed"].pk, Decimal("50.0")),
        (world["far"].pk, Decimal("25.0")),
    ]
    first = matching.suggestions_for_need(world["need"])[0]
    assert first.need == world["need"]
    assert (first.skills, first.territory, first.sector, first.availability) == (
        Decimal("60.0"),
        Decimal("20.0"),
        Decimal("0.0"),
        Decimal("10.0"),
    )


def test_limit_keeps_the_best(world):
    suggestions = matching.suggestions_for_need(world["need"], limit=2)
    assert [s.offer for s in suggestions] == [world["expert"], world["neighbour"]]


def test_ties_rank_the_older_offer_first(world):
    finance = world["skills"][0]
    twin = VolunteerOfferFactory(departements=["49"], hours_per_month=4, with_skills={finance: 2})
    offers = [s.offer for s in matching.suggestions_for_need(world["need"])]
    assert offers.index(world["neighbour"]) + 1 == offers.index(twin)


def test_suggestions_for_offer_rank_needs(world):
    finance, legal, _ = world["skills"]
    other = BoardNeedFactory(departement="49", hours_per_month=2, with_skills={finance: 1})
    # For the expert: skills 60 × (1 × 3/3) / 1 = 60; 44 borders 49: 10; the organisation has
    # no sector, the offer prefers culture: 0; 8 ≥ 2: 10 → 80.0 (below the first need's 90.0)
    suggestions = matching.suggestions_for_offer(world["expert"])
    assert [(s.need, s.score) for s in suggestions] == [
        (world["need"], Decimal("90.0")),
        (other, Decimal("80.0")),
    ]
    assert all(s.offer == world["expert"] for s in suggestions)
    assert matching.suggestions_for_offer(world["unrelated"]) == []


def test_closed_need_gets_no_suggestion(world):
    for status in (BoardNeed.Status.CLOSED, BoardNeed.Status.FILLED, BoardNeed.Status.IN_PROGRESS):
        BoardNeed.objects.filter(pk=world["need"].pk).update(status=status)
        assert matching.suggestions_for_need(world["need"]) == []
        assert matching.suggestions_for_offer(world["expert"]) == []
        assert world["need"].pk not in matching.all_suggestions()


def test_withdrawn_or_engaged_offer_is_not_suggested(world):
    VolunteerOffer.objects.filter(pk=world["expert"].pk).update(
        status=VolunteerOffer.Status.WITHDRAWN
    )
    VolunteerOffer.objects.filter(pk=world["far"].pk).update(status=VolunteerOffer.Status.ENGAGED)
    assert ranked(world["need"]) == [
        (world["neighbour"].pk, Decimal("56.7")),
        (world["mixed"].pk, Decimal("50.0")),
    ]
    assert matching.suggestions_for_offer(world["expert"]) == []


def test_offer_from_a_partner_company_is_excluded(world):
    company = CompanyFactory()
    company.partner_organisations.add(world["organisation"])
    other_company = CompanyFactory()
    other_company.partner_organisations.add(OrganisationFactory())
    world["expert"].company = company
    world["expert"].save()
    world["neighbour"].company = other_company
    world["neighbour"].save()
    offers = [offer for offer, _ in ranked(world["need"])]
    assert world["expert"].pk not in offers
    assert world["neighbour"].pk in offers
    assert world["expert"].pk not in dict(matching.all_suggestions(10)[world["need"].pk])
    assert world["need"] not in [s.need for s in matching.suggestions_for_offer(world["expert"])]
    # Scoring the pair by hand still works (staff decide).
    assert matching.score_pair(world["need"], world["expert"]) == Decimal("90.0")


def test_volunteer_who_is_a_contact_of_the_association_is_excluded(world):
    Contact.objects.create(
        organisation=world["organisation"], user=world["expert"].user, role="treasurer"
    )
    Contact.objects.create(organisation=OrganisationFactory(), user=world["far"].user, role="other")
    offers = [offer for offer, _ in ranked(world["need"])]
    assert world["expert"].pk not in offers
    assert world["far"].pk in offers
    assert world["expert"].pk not in dict(matching.all_suggestions(10)[world["need"].pk])


def test_pair_with_a_match_is_not_suggested_again(world):
    MatchFactory(need=world["need"], offer=world["expert"], status=Match.Status.DECLINED)
    MatchFactory(need=world["need"], offer=world["far"], status=Match.Status.PROPOSED)
    assert ranked(world["need"]) == [
        (world["neighbour"].pk, Decimal("56.7")),
        (world["mixed"].pk, Decimal("50.0")),
    ]
    # The same volunteer stays suggested for other needs.
    other = BoardNeedFactory(with_skills={world["skills"][0]: 2})
    assert world["expert"].pk in [offer for offer, _ in ranked(other)]


def test_exclusions_hold_when_loaded_from_the_offers_side(world):
    """With more needs than offers the conflicts are read from the offers' side: same rules."""
    finance = world["skills"][0]
    expert = world["expert"]
    company = CompanyFactory()
    expert.company = company
    expert.save()
    partner, contact, matched, free, free_too = (
        BoardNeedFactory(with_skills={finance: 2}) for _ in range(5)
    )
    company.partner_organisations.add(partner.organisation)
    Contact.objects.create(organisation=contact.organisation, user=expert.user, role="other")
    MatchFactory(need=matched, offer=expert, status=Match.Status.ENDED)
    # 6 open needs, 5 available offers: all_suggestions reads from the offers' side too.
    expected = {world["need"], free, free_too}
    assert {s.need for s in matching.suggestions_for_offer(expert)} == expected
    batch = matching.all_suggestions(per_need=10)
    assert {need for need, offers in batch.items() if expert.pk in dict(offers)} == {
        need.pk for need in expected
    }


def test_need_without_skills_gets_no_suggestion(world):
    lonely = BoardNeedFactory()
    assert matching.suggestions_for_need(lonely) == []
    assert matching.all_suggestions()[lonely.pk] == []


def test_all_suggestions_keeps_per_need_best_first(world):
    finance = world["skills"][0]
    other = BoardNeedFactory(departement="13", hours_per_month=6, with_skills={finance: 2})
    result = matching.all_suggestions(per_need=2)
    assert result[world["need"].pk] == [
        (world["expert"].pk, Decimal("90.0")),
        (world["neighbour"].pk, Decimal("56.7")),
    ]
    # For the other need (finance, importance 2, in the 13, no sector):
    # expert: 60 × 3/3 = 60, 0, 0 (prefers culture), 10 → 70.0
    # neighbour: 60 × 2/3 = 40, 0, 10 (no preference), 10 × 4/6 = 6.667 → 56.7
    # mixed: 60 × 1/3 = 20, 0, 0, 10 × 3/6 = 5 → 25.0
    assert result[other.pk] == [
        (world["expert"].pk, Decimal("70.0")),
        (world["neighbour"].pk, Decimal("56.7")),
    ]


def test_nothing_to_match():
    assert matching.all_suggestions() == {}
    need = BoardNeedFactory(with_skills={SkillFactory(): 2})
    assert matching.suggestions_for_need(need) == []
    assert matching.all_suggestions() == {need.pk: []}


# --- queries -----------------------------------------------------------------------------------


def grow(world, size):
    """`size` more needs and offers, each with skills and sectors, some conflicts and matches."""
    finance, legal, hr = world["skills"]
    social, culture = world["sectors"]
    company = CompanyFactory()
    for i in range(size):
        organisation = OrganisationFactory(departement="49")
        organisation.sectors.add(social if i % 2 else culture)
        company.partner_organisations.add(organisation)
        need = BoardNeedFactory(
            organisation=organisation, departement="49", with_skills={finance: 2, hr: 1}
        )
        offer = VolunteerOfferFactory(
            company=company if i % 3 == 0 else None,
            departements=["44", "85"],
            with_skills={legal: 2, hr: 3},
        )
        offer.preferred_sectors.add(culture)
        Contact.objects.create(organisation=organisation, user=offer.user, role="other")
        MatchFactory(need=need, offer=world["far"])


def count_queries(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_query_counts_do_not_grow_with_the_data(world):
    need, offer = world["need"], world["expert"]
    calls = {
        "all": lambda: matching.all_suggestions(),
        "need": lambda: matching.suggestions_for_need(need),
        "offer": lambda: matching.suggestions_for_offer(offer),
        "pair": lambda: matching.score_pair(need, offer),
        "breakdown": lambda: matching.score_breakdown(need, offer),
    }
    small = {name: count_queries(call) for name, call in calls.items()}
    grow(world, 12)
    large = {name: count_queries(call) for name, call in calls.items()}
    assert small == large
    assert large == {"all": 9, "need": 10, "offer": 10, "pair": 6, "breakdown": 6}


def test_suggestions_query_budget(world, django_assert_max_num_queries):
    grow(world, 8)
    with django_assert_max_num_queries(10):
        suggestions = matching.suggestions_for_need(world["need"], limit=20)
        # Reading what staff's page shows costs nothing more.
        [(s.offer.company, s.offer.public_label, s.score) for s in suggestions]
    with django_assert_max_num_queries(10):
        suggestions = matching.suggestions_for_offer(world["expert"], limit=20)
        [(s.need.organisation.name, s.need.get_role_display()) for s in suggestions]
    with django_assert_max_num_queries(9):
        matching.all_suggestions(per_need=5)


# --- the benchmark's data, small -------------------------------------------------------------


def rules_for(need, matched):
    """The suggestion rules for this need, written plainly (one offer at a time)."""
    partners = set(need.organisation.partner_companies.values_list("pk", flat=True))
    contacts = set(need.organisation.contacts.values_list("user_id", flat=True))
    skills = set(need.need_skills.values_list("skill_id", flat=True))

    def eligible(offer):
        return bool(
            offer.status == VolunteerOffer.Status.AVAILABLE
            and offer.company_id not in partners
            and offer.user_id not in contacts
            and (need.pk, offer.pk) not in matched
            and skills & set(offer.offer_skills.values_list("skill_id", flat=True))
        )

    return eligible


def test_batch_on_a_small_copy_of_the_benchmark_data():
    """The benchmark's builder at 2 % (40 open needs, 100 available offers, conflicts and
    matches): every suggestion obeys the rules, scores as score_pair does, and two needs’ lists
    are the best of all their eligible offers, checked pair by pair."""
    from bench.matching import build

    made = build(scale=0.02)
    result = matching.all_suggestions(per_need=3)
    assert len(result) == made["open_needs"] == 40
    matched = set(Match.objects.values_list("need_id", "offer_id"))
    checked = 0
    for need_id, pairs in result.items():
        need = BoardNeed.objects.select_related("organisation").get(pk=need_id)
        assert need.status == BoardNeed.Status.OPEN
        eligible = rules_for(need, matched)
        for offer_id, score in pairs:
            offer = VolunteerOffer.objects.get(pk=offer_id)
            assert eligible(offer)
            assert score == matching.score_pair(need, offer)
        if pairs and checked < 2:
            # Every offer scored one by one: the batch kept the 3 best (ties: older first).
            ranked = sorted(
                (
                    (-matching.score_pair(need, offer), offer.pk)
                    for offer in VolunteerOffer.objects.all()
                    if eligible(offer)
                ),
            )
            assert [(pk, -score) for score, pk in ranked[:3]] == pairs
            checked += 1
    assert checked == 2
