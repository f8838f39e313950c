"""Cells that a spreadsheet shows as text and never runs as a formula (OWASP's CSV injection
advice), for every CSV export of the site."""

# What a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# What the lists and exports write for an empty cell: a lone dash, which no spreadsheet computes.
EMPTY_CELL = "-"


def spreadsheet_safe(value):
    """A text cell that a spreadsheet shows as text, never runs as a formula: a leading `'` when
    it starts like one (« =HYPERLINK(…) », « @SUM(…) », « -1+1 »).

    Only text is touched: amounts, counts and dates reach the export as numbers and dates (a
    negative Decimal stays a number), so a text cell that starts with « - » or « + » was typed
    by someone, and keeps its quote, even « -12 ». The lone « - » of an empty cell stays as is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and value != EMPTY_CELL:
        return "'" + value
    return value
