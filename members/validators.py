"""Format checks for the identifiers French organisations carry."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RNA_RE = re.compile(r"^W\d{9}$")
SIRET_RE = re.compile(r"^\d{14}$")
DEPARTEMENT_RE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$")
# La Poste's SIRETs (SIREN 356 000 000) follow another rule: the digits add up to a multiple of 5.
LA_POSTE_SIREN = "356000000"


def luhn_ok(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_identifier(value):
    """What people type (« 842 310 674 00010 », « w443004512 ») in its stored form."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def validate_siret(value):
    value = normalise_identifier(value)
    if not SIRET_RE.match(value):
        raise ValidationError(_("Un numéro SIRET compte 14 chiffres."), code="siret_format")
    if value.startswith(LA_POSTE_SIREN):
        valid = sum(int(c) for c in value) % 5 == 0
    else:
        valid = luhn_ok(value)
    if not valid:
        raise ValidationError(
            _("Ce numéro SIRET n’existe pas : vérifiez les chiffres (clé de contrôle)."),
            code="siret_checksum",
        )


def validate_rna(value):
    if not RNA_RE.match(normalise_identifier(value)):
        raise ValidationError(
            _("Un numéro RNA commence par W suivi de 9 chiffres (par ex. W442001234)."),
            code="rna_format",
        )


def validate_departement(value):
    if not DEPARTEMENT_RE.match((value or "").upper()):
        raise ValidationError(
            _("Indiquez un numéro de département : 44, 2A, 974…"), code="departement_format"
        )
