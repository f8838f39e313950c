"""The network's figures: per indicator and year, what the reviewed reports add up to, with the
same figures by département and by sector. Read by the public page « L'impact du réseau » and by
the open data, so that both always agree.

Privacy comes first (k-anonymity): a figure stands for at least MIN_ORGANISATIONS
organisations, or it is not given (a slice with fewer says so, without a number). That alone
would not do: the network's figure minus the départements shown is the figure of those hidden,
so the slices withheld must together stand for MIN_ORGANISATIONS or more, and the smallest
shown ones are withheld too until they do (secondary suppression). A campaign's figures appear
all at once, when staff publish them (`Campaign.figures_public`): appearing one review at a
time, each change would be one report's answer. Free-text answers are never aggregated nor
published. Only reviewed reports count: a figure the network publishes has been read by
someone.

A percentage is the sum of the numerators over the sum of the denominators (not a mean of
percentages); its median is the median of the organisations' own percentages."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .models import Answer, Indicator, Report

MIN_ORGANISATIONS = 5
Kind = Indicator.Kind
PUBLIC_KINDS = (Kind.COUNT, Kind.AMOUNT, Kind.PERCENTAGE, Kind.SCALE, Kind.YES_NO)


@dataclass
class Figure:
    """One indicator, one year, one slice (the whole network, a département, a sector)."""

    organisations: int
    total: Decimal | None = None  # counts and amounts: the sum; a percentage: the pooled one
    median: Decimal | None = None
    share_yes: Decimal | None = None  # yes/no: the share of « oui », in %
    distribution: dict = field(default_factory=dict)  # scale: {1: n, …, 5: n}
    published: bool = True

    def as_dict(self):
        return {
            "organisations": self.organisations,
            "publie": self.published,
            "total": _plain(self.total),
            "mediane": _plain(self.median),
            "part_oui": _plain(self.share_yes),
            "repartition": {str(k): v for k, v in self.distribution.items()} or None,
        }


def _plain(number):
    return None if number is None else float(round(number, 2))


def _median(values):
    return Decimal(str(statistics.median(values))) if values else None


def figure_of(indicator, rows):
    """The Figure of `rows` (one per organisation: value, numerator, denominator, yes_no)."""
    count = len(rows)
    if count < MIN_ORGANISATIONS:
        return Figure(organisations=count, published=False)
    kind = indicator.kind
    if kind in (Kind.COUNT, Kind.AMOUNT):
        values = [r["value"] for r in rows]
        return Figure(count, total=sum(values), median=_median(values))
    if kind == Kind.PERCENTAGE:
        numerators = sum(r["numerator"] for r in rows)
        denominators = sum(r["denominator"] for r in rows)
        pooled = numerators * 100 / denominators if denominators else None
        own = [r["numerator"] * 100 / r["denominator"] for r in rows]
        return Figure(count, total=pooled, median=_median(own))
    if kind == Kind.SCALE:
        values = [int(r["value"]) for r in rows]
        distribution = {score: values.count(score) for score in range(1, 6)}
        return Figure(count, median=_median(values), distribution=distribution)
    yes = sum(1 for r in rows if r["yes_no"])
    return Figure(count, share_yes=Decimal(yes * 100) / count)


def withhold_complements(slices):
    """Secondary suppression over `slices` ({name: Figure}, one partition of a year's figure):
    what is withheld must stand for no organisation or for MIN_ORGANISATIONS or more, else
    the whole minus what is shown would give it away. The smallest shown slices are withheld
    until it does (ties by name, so the same slices each time)."""
    hidden = sum(f.organisations for f in slices.values() if not f.published)
    shown = sorted(
        (name for name, f in slices.items() if f.published),
        key=lambda name: (slices[name].organisations, str(name)),
    )
    for name in shown:
        if hidden == 0 or hidden >= MIN_ORGANISATIONS:
            break
        hidden += slices[name].organisations
        slices[name] = Figure(organisations=slices[name].organisations, published=False)
    return slices


def _answered(row, kind):
    if kind == Kind.PERCENTAGE:
        return row["numerator"] is not None and row["denominator"]
    if kind == Kind.YES_NO:
        return row["yes_no"] is not None
    return row["value"] is not None


def network_figures():
    """{"years": [...], "indicators": [{indicator, by_year: {year: Figure}, by_departement:
    {year: {dep: Figure}}, by_sector: {year: {sector name: Figure}}}]}, in two queries. The
    département and the sectors are those recorded on each report when it was handed in."""
    rows = (
        Answer.objects.filter(
            report__status=Report.Status.REVIEWED,
            report__campaign__figures_public=True,
            not_applicable=False,
            indicator__kind__in=PUBLIC_KINDS,
        )
        .values(
            "indicator_id",
            "report__campaign__year",
            "report__departement",
            "report__sectors",
            "value",
            "numerator",
            "denominator",
            "yes_no",
        )
        .order_by()
    )
    indicators = {
        i.pk: i for i in Indicator.objects.filter(kind__in=PUBLIC_KINDS).select_related("dimension")
    }
    grouped = defaultdict(list)
    for row in rows:
        indicator = indicators.get(row["indicator_id"])
        if indicator is None or not _answered(row, indicator.kind):
            continue
        grouped[(indicator.pk, row["report__campaign__year"])].append(row)
    years = sorted({year for _pk, year in grouped})
    result = []
    for indicator in sorted(
        indicators.values(), key=lambda i: (i.dimension.sort_order, i.sort_order, i.pk)
    ):
        by_year, by_departement, by_sector = {}, {}, {}
        for year in years:
            year_rows = grouped.get((indicator.pk, year), [])
            by_year[year] = figure_of(indicator, year_rows)
            departements, sector_rows = defaultdict(list), defaultdict(list)
            for row in year_rows:
                departements[row["report__departement"]].append(row)
                for name in row["report__sectors"] or []:
                    sector_rows[name].append(row)
            by_departement[year] = withhold_complements(
                {dep: figure_of(indicator, r) for dep, r in sorted(departements.items())}
            )
            # An organisation may have several sectors: they overlap, and the rule protects
            # above all the organisations with one sector (most of them).
            by_sector[year] = withhold_complements(
                {name: figure_of(indicator, r) for name, r in sorted(sector_rows.items())}
            )
        result.append(
            {
                "indicator": indicator,
                "by_year": by_year,
                "by_departement": by_departement,
                "by_sector": by_sector,
            }
        )
    return {"years": years, "indicators": result}
