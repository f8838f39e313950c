"""home/numbers.py writes numbers exactly as Django's floatformat filter does, in French and in
English: the ranking's table relies on it instead of the filter, for speed."""

from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from home.numbers import decimal_formatter

VALUES = [
    0, 0.0, 1, 62.25, 62.35, 2.675, 70.0, 81, 99.95, 100, 33.333333, 66.666666, 0.05, 0.005,
    -0.004, -0.5, -1.25, -2.675, 12.0000001, Decimal("62.3"), Decimal("70.0"), Decimal("0.25"),
    1 / 3, 2 / 3, 7.5, 8.45, 8.55,
]  # fmt: skip


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("places,trim", [(1, False), (2, False), (1, True), (2, True)])
def test_as_the_filter_writes_them(language, places, trim):
    with translation.override(language):
        write = decimal_formatter(places, trim=trim)
        argument = -places if trim else places
        for value in VALUES:
            assert write(value) == floatformat(value, argument), (value, argument)


def test_none_stays_none_and_the_separator_is_the_languages():
    with translation.override("fr"):
        assert decimal_formatter(1)(None) is None
        assert decimal_formatter(1)(62.25) == "62,3"
    with translation.override("en"):
        assert decimal_formatter(1)(62.25) == "62.3"
