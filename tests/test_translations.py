"""The translation catalogues are complete: every English string has its translation."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_catalogue_is_complete(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as po:
        catalogue = read_po(po)
    untranslated = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
    assert len(catalogue) > 50


def test_compiled_catalogues_exist():
    # `make messages` compiles them; without the .mo files, /en/ would silently show French.
    for language in ("fr", "en"):
        assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()
