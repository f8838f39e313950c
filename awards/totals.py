"""The weighted total of a score sheet: written once, for the scoring page, the ranking, the
exports, and mirrored line for line by site/static/awards/scoring.js (the live preview), which
tests/awards/test_totals.py runs under node on the same cases.

Each scored criterion counts weight × (value − min) / (max − min); the sum is divided by the
sum of the weights of the scored criteria and brought to 0–100. « Sans objet » (None) counts
neither above nor below the line.

The sum is kept exact, in integers: every criterion's share is brought to the least common
multiple of the scales' spans, so that one division makes the float at the end. Python and
JavaScript both round that one division of two exact integers correctly (IEEE 754), so the
page's preview, the saved total and the ranking agree to the last bit, and 62.5 stays 62.5.
"""

from decimal import ROUND_HALF_UP, Decimal
from math import lcm
from typing import NamedTuple


class Mark(NamedTuple):
    """One criterion's value on one sheet, with what the total needs of the criterion."""

    weight: int
    scale_min: int
    scale_max: int
    value: int | None  # None: « sans objet », or not scored yet


def weighted_total(marks) -> float | None:
    """The weighted total on 0–100 of `marks` (Mark or 4-tuples), or None if nothing counts."""
    scored = [mark for mark in marks if mark[3] is not None]
    weights = sum(weight for weight, *_ in scored)
    if not weights:
        return None
    common = lcm(*(high - low for _, low, high, _ in scored))
    numerator = sum(
        weight * (value - low) * (common // (high - low)) for weight, low, high, value in scored
    )
    return 100 * numerator / (weights * common)


def tenths(total: float) -> Decimal:
    """A total as people read it, to one decimal, halves rounded up from its shortest decimal
    form: what Django's floatformat shows and scoring.js's preview writes (62.25 → 62.3)."""
    return Decimal(repr(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
