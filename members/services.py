"""Membership rules as plain functions: views, the admin, tasks and commands all call these."""

import datetime

from django.utils.translation import gettext as _

from .models import FeeGrid, FeeTier


class NoMatchingTier(Exception):
    """The grid has no tier for this organisation: staff must complete the grid."""


def membership_period(year, start_month=1):
    """The membership year that starts in `year` (calendar year by default)."""
    start = datetime.date(year, start_month, 1)
    end = datetime.date(year + 1, start_month, 1) - datetime.timedelta(days=1)
    return start, end


def tier_for(grid: FeeGrid, organisation) -> FeeTier:
    """The computed tier of an organisation: the first of the grid's tiers whose rule applies.

    Free-amount tiers (membre bienfaiteur) are never computed; a member chooses them.
    """
    for tier in grid.tiers.filter(free_amount=False).order_by("order", "minimum"):
        if tier.applies_to(organisation):
            return tier
    raise NoMatchingTier(
        _("La grille %(year)s n’a pas de tranche pour « %(name)s ».")
        % {"year": grid.year, "name": organisation.name}
    )


def amount_for(tier: FeeTier, chosen_cents=None) -> int:
    """The amount due in cents, computed on the server: a fixed tier ignores what was sent; a
    free tier takes the member's amount if it reaches the minimum."""
    if not tier.free_amount:
        return tier.amount_cents
    if chosen_cents is None or chosen_cents < tier.minimum_cents:
        raise ValueError(
            _("Le montant libre doit être d’au moins %(minimum)s.")
            % {"minimum": format_euros(tier.minimum_cents)}
        )
    return chosen_cents


def format_euros(cents: int) -> str:
    """1234567 -> « 12 345,67 € » (French grouping with a narrow no-break space)."""
    euros, rest = divmod(cents, 100)
    grouped = f"{euros:,}".replace(",", "\u202f")
    return f"{grouped},{rest:02d}\u00a0€" if rest else f"{grouped}\u00a0€"
