"""Cells that a spreadsheet shows as text and never runs as a formula (OWASP's CSV injection
advice), for every CSV export of the site."""

# What a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell starting like a formula (« =HYPERLINK(…) », « @SUM(…) ») gets a leading `'`;
    numbers and dates stay what they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
