"""The matching score between an open board need and an available volunteer offer, and the
ranked suggestions staff see per need and per offer.

The score, 0 to 100, one decimal (Match.score):

    skills        60 × Σ over the need's skills of importance × level / 3, ÷ Σ importance
                  (level: the offer's level in that skill, 1 to 3, or 0 if it lacks it; a skill
                  the need does not ask for earns nothing)
    territory     20 × 1 if the need's département is one of the offer's, 0.5 if it borders one
                  of them (forms.departements), 0 otherwise
    sector        10 × 1 if one of the need's organisation's sectors is among the offer's
                  preferred sectors, or if the offer states no preference (no preference means
                  any sector suits the volunteer); 0 otherwise, also when the organisation
                  has no sector while the offer has preferences
    availability  10 × min(1, offer's hours a month ÷ need's hours a month)

The total is rounded half up to one decimal (35.25 → 35.3). Example: a need asking finance
(importance 3) and juridique (1), 6 h a month in the 44; an offer with finance at level 2,
4 h a month in the 49 (next to the 44), no sector preference:
skills 60 × (3 × 2/3 + 1 × 0) / 4 = 30; territory 20 × 0.5 = 10; sector 10; availability
10 × 4/6 = 6.667; total 56.667 → 56.7.

Suggestions are made only between OPEN needs and AVAILABLE offers sharing at least one skill,
never for a conflict of interest (the offer's company already partners the need's association,
or the volunteer is one of its contacts), nor for a pair that already has a Match, whatever its
status. score_pair() and score_breakdown() ignore statuses and conflicts: staff may score any
pair they are about to propose, and a volunteer's interest is scored the same way.

Suggestions rank by score, then the older record first (smaller id), so equal scores keep a
stable order.

Everything is loaded in a fixed number of queries, whatever the number of needs and offers
(all_suggestions 9, suggestions_for_need / _offer 10 with the model objects they return,
score_pair 6), then computed with numpy matrices: one row per need, one column per offer, by
blocks of needs so the memory stays bounded. score_pair() goes through the very same code with
a 1 × 1 matrix, so a pair's score is the same wherever it is shown. bench/matching.py times
2,000 needs × 5,000 offers (target: under 10 s).
"""

import time
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .matching_data import COMPONENTS, WEIGHTS, Data, load
from .models import BoardNeed, NeedSkill, OfferSkill, VolunteerOffer

__all__ = [
    "COMPONENTS",
    "WEIGHTS",
    "Suggestion",
    "all_suggestions",
    "score_breakdown",
    "score_pair",
    "suggestions_for_need",
    "suggestions_for_offer",
]

# Needs scored at once: blocks of 256 × 5,000 offers keep each matrix near 10 MB.
BLOCK = 256


@dataclass
class Suggestion:
    """One ranked pair; the components are points out of their weight (skills out of 60…)."""

    need: BoardNeed
    offer: VolunteerOffer
    score: Decimal
    skills: Decimal
    territory: Decimal
    sector: Decimal
    availability: Decimal

    @property
    def components(self):
        return {name: getattr(self, name) for name in COMPONENTS}


def _round(tenths):
    """Half up, in place. The exact sums are fractions whose denominator divides Σ importance ×
    the need's hours, so they are never within 1e-9 of a half without being one (that would
    take Σ importance × hours above 500 million): the epsilon only absorbs float noise (566.5
    computed as 566.4999…), which stays near 1e-12."""
    tenths += 0.5 + 1e-9
    return np.floor(tenths, out=tenths)


def _evaluate(data: Data, start: int, stop: int, components: bool = True) -> dict:
    """Needs [start, stop) against every offer, as (stop - start) × offers arrays: the score in
    tenths of a point, rounded (`tenths`), whether the pair may be suggested (`eligible`) and,
    with `components`, each component in tenths of a point, unrounded."""
    rows = slice(start, stop)
    skills = data.need_skill_weights[rows] @ data.offer_levels.T
    # Any skill shared: every weight and level is positive, so a positive product sum.
    eligible = skills > 0
    low, high = np.searchsorted(data.blocked_rows, [start, stop])
    if high > low:
        eligible[data.blocked_rows[low:high] - start, data.blocked_columns[low:high]] = False
    territory = data.territory_by_departement[data.need_departements[rows]]
    sector = data.need_sectors[rows] @ data.offer_sectors.T  # shared sectors, + 1 if no preference
    np.minimum(sector, 1.0, out=sector)
    sector *= 10.0 * WEIGHTS["sector"]
    availability = data.offer_hours_tenths[np.newaxis, :] / data.need_hours[rows, np.newaxis]
    np.minimum(availability, 10.0 * WEIGHTS["availability"], out=availability)
    if components:
        total = skills + territory
    else:
        total = skills  # the component is not needed afterwards: add in place
        total += territory
    total += sector
    total += availability
    result = {"tenths": _round(total), "eligible": eligible}
    if components:
        result.update(skills=skills, territory=territory, sector=sector, availability=availability)
    return result


def _decimal(tenths) -> Decimal:
    return Decimal(int(tenths)).scaleb(-1)


def _points(tenths) -> Decimal:
    return _decimal(_round(np.array(tenths, dtype=np.float64)))


def _pair(need, offer) -> dict:
    data = load(
        BoardNeed.objects.filter(pk=need.pk),
        VolunteerOffer.objects.filter(pk=offer.pk),
        with_exclusions=False,
    )
    if not len(data.need_ids) or not len(data.offer_ids):
        raise ValueError("score_pair needs a saved need and a saved offer")
    return _evaluate(data, 0, 1)


def score_pair(need: BoardNeed, offer: VolunteerOffer) -> Decimal:
    """The pair's score, 0 to 100 with one decimal, whatever their statuses or conflicts."""
    return _decimal(_pair(need, offer)["tenths"][0, 0])


def score_breakdown(need: BoardNeed, offer: VolunteerOffer) -> dict:
    """Each component in points out of its weight, the total (`score`) and the weights, for
    staff to read why a pair ranks where it does. The total is rounded from the exact sum, so
    it may differ by 0.1 from the sum of the rounded components."""
    result = _pair(need, offer)
    breakdown = {name: _points(result[name][0, 0]) for name in COMPONENTS}
    breakdown["score"] = _decimal(result["tenths"][0, 0])
    breakdown["weights"] = dict(WEIGHTS)
    breakdown["shares_a_skill"] = bool(result["eligible"][0, 0])
    return breakdown


def _open_needs():
    return BoardNeed.objects.filter(status=BoardNeed.Status.OPEN)


def _available_offers():
    return VolunteerOffer.objects.filter(status=VolunteerOffer.Status.AVAILABLE)


def _rank_key(tenths, eligible, in_place=False):
    """A key that sorts by score, then by the older record (smaller id: rows and columns are
    loaded in pk order), with ineligible pairs at -1, below every other; unique along the last
    axis, so the ranking is stable. The score is (key - (count - index)) ÷ (count + 1)."""
    count = tenths.shape[-1]
    key = tenths if in_place else tenths.copy()
    key *= count + 1
    key += np.arange(count, 0, -1, dtype=np.float64)
    key[~eligible] = -1
    return key


def _top(keys, limit):
    """Indices of the `limit` largest keys (the last axis), best first, eligible ones only."""
    limit = min(limit, keys.shape[-1])
    if limit <= 0:
        return np.zeros(keys.shape[:-1] + (0,), dtype=np.int64)
    part = np.argpartition(keys, -limit, axis=-1)[..., -limit:]
    chosen = np.take_along_axis(keys, part, axis=-1)
    order = np.argsort(-chosen, axis=-1, kind="stable")
    return np.take_along_axis(part, order, axis=-1)


def _suggestion(need, offer, result, i, j) -> Suggestion:
    return Suggestion(
        need=need,
        offer=offer,
        score=_decimal(result["tenths"][i, j]),
        **{name: _points(result[name][i, j]) for name in COMPONENTS},
    )


def suggestions_for_need(need: BoardNeed, limit: int = 10) -> list[Suggestion]:
    """The best available offers for this need, best first (none if it is not open)."""
    # Only offers sharing a skill can be suggested: the others are not even loaded.
    shared = OfferSkill.objects.filter(
        skill_id__in=NeedSkill.objects.filter(need_id=need.pk).values("skill_id")
    )
    offers = _available_offers().filter(pk__in=shared.values("offer_id"))
    data = load(_open_needs().filter(pk=need.pk), offers, with_exclusions=True)
    if not len(data.need_ids) or not len(data.offer_ids):
        return []
    result = _evaluate(data, 0, 1)
    keys = _rank_key(result["tenths"][0], result["eligible"][0])
    columns = [j for j in _top(keys, limit).tolist() if keys[j] >= 0]
    offers = VolunteerOffer.objects.select_related("company").in_bulk(
        data.offer_ids[columns].tolist()
    )
    return [
        _suggestion(need, offers[int(data.offer_ids[j])], result, 0, j)
        for j in columns
        if int(data.offer_ids[j]) in offers
    ]


def suggestions_for_offer(offer: VolunteerOffer, limit: int = 10) -> list[Suggestion]:
    """The open needs this offer suits best, best first (none if it is not available)."""
    # Only needs sharing a skill can be suggested: the others are not even loaded.
    shared = NeedSkill.objects.filter(
        skill_id__in=OfferSkill.objects.filter(offer_id=offer.pk).values("skill_id")
    )
    needs = _open_needs().filter(pk__in=shared.values("need_id"))
    data = load(needs, _available_offers().filter(pk=offer.pk), with_exclusions=True)
    if not len(data.need_ids) or not len(data.offer_ids):
        return []
    result = _evaluate(data, 0, len(data.need_ids))
    keys = _rank_key(result["tenths"][:, 0], result["eligible"][:, 0])
    rows = [i for i in _top(keys, limit).tolist() if keys[i] >= 0]
    needs = BoardNeed.objects.select_related("organisation").in_bulk(data.need_ids[rows].tolist())
    return [
        _suggestion(needs[int(data.need_ids[i])], offer, result, i, 0)
        for i in rows
        if int(data.need_ids[i]) in needs
    ]


def all_suggestions(per_need: int = 5, timings: dict | None = None) -> dict:
    """For every open need, its best `per_need` available offers, best first:
    {need_id: [(offer_id, score), …]} (an empty list when nothing fits). `timings`, if given,
    receives the seconds spent loading and computing (for the benchmark)."""
    started = time.perf_counter()
    data = load(_open_needs(), _available_offers(), with_exclusions=True)
    loaded = time.perf_counter()
    suggestions = {}
    count = len(data.offer_ids)
    for start in range(0, len(data.need_ids), BLOCK):
        stop = min(start + BLOCK, len(data.need_ids))
        result = _evaluate(data, start, stop, components=False)
        keys = _rank_key(result["tenths"], result["eligible"], in_place=True)
        best = _top(keys, per_need)
        chosen = np.take_along_axis(keys, best, axis=-1)
        tenths = (chosen - (count - best)) // (count + 1)
        for i, need_id in enumerate(data.need_ids[start:stop].tolist()):
            suggestions[need_id] = [
                (offer_id, _decimal(score))
                for offer_id, score, key in zip(
                    data.offer_ids[best[i]].tolist(),
                    tenths[i].tolist(),
                    chosen[i].tolist(),
                    strict=True,
                )
                if key >= 0
            ]
    if timings is not None:
        timings["load"] = loaded - started
        timings["compute"] = time.perf_counter() - loaded
    return suggestions
