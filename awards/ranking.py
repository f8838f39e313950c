"""The ranking of an edition's applications, from the jury's submitted scores.

Everything is read in three queries whatever the edition's size (its criteria, its applications,
the values of its submitted scores) and computed in Python:

- a juror's total for an application, on 0–100: the weighted total of awards/totals.py, the one
  the scoring page shows (a « sans objet » neither helps nor harms);
- the application's mean: the mean of its jurors' totals (each juror counts once);
- the mean per criterion, on the criterion's own scale (« sans objet » left out);
- the spread: the population standard deviation of the jurors' totals, flagged as a
  disagreement above the edition's threshold;
- the normalised mean (optional): each juror's totals standardised across the applications they
  scored, z = (t − mean_j) / sd_j (0 when the juror gave everyone the same total), then averaged;
- ranks, raw and normalised, in competition ranking: equal means share a rank (1, 2, 2, 4).

Only SUBMITTED assignments count: a juror's partial scores, or a withdrawn (conflict)
assignment, never reach the ranking.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from .models import Application, EvaluationCriterion, JuryAssignment, Score
from .totals import Mark, weighted_total

# Statuses that are ranked: submitted and beyond, but neither drafts nor ineligible ones.
RANKED_STATUSES = (
    Application.Status.SUBMITTED,
    Application.Status.ELIGIBLE,
    Application.Status.SHORTLISTED,
    Application.Status.LAUREATE,
    Application.Status.NOT_SELECTED,
)
# Means are compared at this precision for ties: floating-point noise never splits a tie.
TIE_DIGITS = 9
# A juror whose totals are all equal has no spread (only floating-point noise): z = 0.
SD_EPSILON = 1e-9


@dataclass(frozen=True)
class Criterion:
    id: int
    label: str
    weight: int
    scale_min: int
    scale_max: int


@dataclass
class RankedApplication:
    application_id: int
    title: str
    organisation_name: str
    company_name: str
    status: str
    juror_count: int = 0
    mean: float | None = None
    criterion_means: list[float | None] = field(default_factory=list)  # in criteria order
    spread: float | None = None
    disagreement: bool = False
    juror_totals: dict[int, float] = field(default_factory=dict)  # juror id → total
    normalised_mean: float | None = None
    rank: int | None = None
    normalised_rank: int | None = None

    @property
    def status_label(self) -> str:
        return Application.Status(self.status).label


@dataclass
class Ranking:
    threshold: float
    criteria: list[Criterion]
    rows: list[RankedApplication]  # by raw rank; unscored applications last

    @property
    def disagreements(self) -> int:
        return sum(1 for row in self.rows if row.disagreement)


def juror_total(criteria: dict[int, Criterion], values: dict[int, int | None]) -> float | None:
    """A juror's weighted total on 0–100, or None when nothing was scored (all « sans objet »).

    `values` maps criterion ids to the juror's values (None: « sans objet »).
    """
    return weighted_total(
        Mark(criterion.weight, criterion.scale_min, criterion.scale_max, value)
        for criterion_id, value in values.items()
        if (criterion := criteria.get(criterion_id)) is not None
    )


def competition_ranks(values: dict[int, float | None]) -> dict[int, int | None]:
    """Ranks of the keys by descending value, equal values sharing a rank (1, 2, 2, 4);
    None for a key without a value."""
    ordered = sorted(
        ((key, round(value, TIE_DIGITS)) for key, value in values.items() if value is not None),
        key=lambda item: -item[1],
    )
    ranks: dict[int, int | None] = {key: None for key in values}
    previous = None
    for position, (key, value) in enumerate(ordered, start=1):
        if previous is None or value != previous[1]:
            previous = (position, value)
        ranks[key] = previous[0]
    return ranks


def _pstdev(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def rank_edition(edition, normalise: bool = True) -> Ranking:
    """The edition's ranking (see the module's docstring), in three queries."""
    criteria = [
        Criterion(*row)
        for row in EvaluationCriterion.objects.filter(edition=edition)
        .order_by(
            "sort_order",
            "pk",  # pragma: no mutate (only makes equal sort orders come out the same each time)
        )
        .values_list("pk", "label", "weight", "scale_min", "scale_max")
    ]
    by_id = {criterion.id: criterion for criterion in criteria}

    rows = {
        pk: RankedApplication(
            application_id=pk,
            title=title or organisation_name,
            organisation_name=organisation_name,
            company_name=company_name,
            status=status,
        )
        for pk, title, organisation_name, company_name, status in Application.objects.filter(
            edition=edition, status__in=RANKED_STATUSES
        )
        .order_by("pk")
        .values_list("pk", "title", "organisation__name", "company_name", "status")
    }

    # (application, juror) → {criterion: value}
    sheets: dict[tuple[int, int], dict[int, int | None]] = defaultdict(dict)
    scores = Score.objects.filter(
        # Other editions' scores would be dropped below (not in `rows`): this keeps the query small.
        assignment__application__edition=edition,  # pragma: no mutate
        assignment__status=JuryAssignment.Status.SUBMITTED,
    ).values_list("assignment__application_id", "assignment__juror_id", "criterion_id", "value")
    for application_id, juror_id, criterion_id, value in scores:
        if application_id in rows:
            sheets[(application_id, juror_id)][criterion_id] = value

    # Each juror's totals.
    for (application_id, juror_id), values in sheets.items():
        total = juror_total(by_id, values)
        if total is not None:
            rows[application_id].juror_totals[juror_id] = total

    threshold = float(edition.disagreement_threshold)
    per_criterion: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for (application_id, _juror_id), values in sheets.items():
        for criterion_id, value in values.items():
            if value is not None and criterion_id in by_id:
                per_criterion[application_id][criterion_id].append(value)

    for row in rows.values():
        totals = list(row.juror_totals.values())
        row.juror_count = len(totals)
        if totals:
            row.mean = sum(totals) / len(totals)
            row.spread = _pstdev(totals)
            row.disagreement = round(row.spread, TIE_DIGITS) > threshold
        values = per_criterion.get(row.application_id, {})
        row.criterion_means = [
            (sum(values[c.id]) / len(values[c.id])) if values.get(c.id) else None for c in criteria
        ]

    if normalise:
        _normalise(rows)

    raw_ranks = competition_ranks({pk: row.mean for pk, row in rows.items()})
    normalised_ranks = competition_ranks({pk: row.normalised_mean for pk, row in rows.items()})
    for pk, row in rows.items():
        row.rank = raw_ranks[pk]
        row.normalised_rank = normalised_ranks[pk]

    ordered = sorted(
        rows.values(),
        key=lambda row: (
            row.rank is None,
            row.rank or 0,  # pragma: no mutate (stands in for None, already sorted last)
            row.application_id,
        ),
    )
    return Ranking(threshold=threshold, criteria=criteria, rows=ordered)


def _normalise(rows: dict[int, RankedApplication]) -> None:
    """Per-juror z-scores, averaged per application into `normalised_mean`."""
    by_juror: dict[int, list[float]] = defaultdict(list)
    for row in rows.values():
        for juror_id, total in row.juror_totals.items():
            by_juror[juror_id].append(total)
    stats = {}
    for juror_id, totals in by_juror.items():
        mean = sum(totals) / len(totals)
        stats[juror_id] = (mean, _pstdev(totals))
    for row in rows.values():
        if not row.juror_totals:
            continue
        zs = []
        for juror_id, total in row.juror_totals.items():
            mean, sd = stats[juror_id]
            # > or >=: a spread of exactly SD_EPSILON does not happen with totals on 0–100.
            spread = sd > SD_EPSILON  # pragma: no mutate
            zs.append((total - mean) / sd if spread else 0.0)
        row.normalised_mean = sum(zs) / len(zs)
