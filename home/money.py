"""Money, written one way: amounts are kept as integer cents everywhere (no float ever holds
one), shown the French way on pages, documents and e-mails, and exported as decimal numbers."""

from decimal import Decimal

NARROW_NO_BREAK_SPACE = "\u202f"
NO_BREAK_SPACE = "\u00a0"


def format_euros(cents: int, plain: bool = False) -> str:
    """1234567 → « 12 345,67 € », 12000 → « 120 € »: thousands grouped by a narrow no-break
    space and the sign after a no-break space, as French typography wants. `plain` groups with
    an ordinary space instead, for plain-text e-mails that some readers show badly otherwise."""
    euros, rest = divmod(cents, 100)
    grouped = f"{euros:,}".replace(",", " " if plain else NARROW_NO_BREAK_SPACE)
    return f"{grouped},{rest:02d}{NO_BREAK_SPACE}€" if rest else f"{grouped}{NO_BREAK_SPACE}€"


def euros_decimal(cents: int | None) -> Decimal | None:
    """Cents as a decimal number of euros, for exports: 12000 → Decimal("120.00")."""
    return None if cents is None else Decimal(cents).scaleb(-2)
