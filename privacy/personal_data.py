"""A person's own data: everything the apps hold about a signed-in person, to download
(RGPD art. 15 and 20), and the erasure of one person by staff (art. 17).

Each app declares, in its own `personal_data.py` (autodiscovered), a `Section`: a function that
lists what it holds about a user as rows of plain values, and optionally one that erases it
(deleting what can go, pseudonymising what the accounts must keep). This module knows none of
them; it adds the account itself and the consents.
"""

import csv
import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.users.models import UserProfile

from home.spreadsheet import spreadsheet_safe

from .consents import consents_of
from .models import Consent


@dataclass(frozen=True)
class Section:
    slug: str
    label: str
    # user -> [ {column: value, …}, … ]; values are str, int, bool, Decimal, date or None.
    rows: Callable
    # user -> int (things erased or pseudonymised); None: nothing of this section to erase
    # beyond what the account's own anonymisation does.
    erase: Callable | None = None
    order: int = 100


_SECTIONS: dict[str, Section] = {}


def register_section(*sections):
    for section in sections:
        if section.slug in _SECTIONS:
            raise ImproperlyConfigured(f"Personal data section {section.slug!r} is declared twice.")
        _SECTIONS[section.slug] = section


def sections():
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.slug))


def collect(user):
    """[(section, rows)] for every section, empty ones included (saying « nothing » is an
    answer too)."""
    return [(section, list(section.rows(user))) for section in sections()]


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def as_json(user):
    data = {
        "format": "personal-data/1",
        "exported_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "sections": {
            section.slug: {
                "label": str(section.label),
                "rows": [{key: _plain(value) for key, value in row.items()} for row in rows],
            }
            for section, rows in collect(user)
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_csv(user):
    """One file, each section under its title row, a blank row apart; semicolons and a BOM
    as the site's other exports, text cells safe from formulas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for section, rows in collect(user):
        writer.writerow([str(section.label)])
        if not rows:
            writer.writerow([_("Aucune donnée")])
        else:
            header = list(rows[0])
            writer.writerow(header)
            for row in rows:
                writer.writerow(
                    [
                        spreadsheet_safe(
                            "" if _plain(row.get(key)) is None else str(_plain(row.get(key)))
                        )
                        for key in header
                    ]
                )
        writer.writerow([])
    return "\ufeff" + out.getvalue()


@dataclass
class ErasureReport:
    counts: dict

    def total(self):
        return sum(self.counts.values())


def erase_person(user):
    """Erase one person across the apps, then their account (kept as an empty, disabled row:
    other records point at it). One transaction: all of it, or nothing."""
    counts = {}
    with transaction.atomic():
        # The account goes last: the apps' erasers find the person through it.
        for section in sorted(sections(), key=lambda section: section.slug == "account"):
            if section.erase is not None:
                counts[section.slug] = section.erase(user)
    return ErasureReport(counts)


def _account_rows(user):
    return [
        {
            _("identifiant"): user.get_username(),
            _("prénom"): user.first_name,
            _("nom"): user.last_name,
            _("e-mail"): user.email,
            _("compte actif"): user.is_active,
            _("créé le"): user.date_joined,
            _("dernière connexion"): user.last_login,
        }
    ]


def _consent_rows(user):

    return [
        {
            _("objet"): consent.kind,
            _("texte accepté"): consent.text.text,
            _("version"): consent.text.version,
            _("donné le"): consent.given_at,
            _("retiré le"): consent.withdrawn_at,
        }
        for consent in consents_of(user)
    ]


def anonymise_account(user):
    """An account kept as an empty, disabled row (other records point at it): no name, no
    address, no password, no session left."""
    user.username = f"efface-{user.pk}"
    user.email = f"efface-{user.pk}@invalid"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()  # also ends the sessions still open (their hash changes)
    user.save()

    UserProfile.objects.filter(user=user).delete()  # avatar, admin preferences


def _erase_account(user):
    anonymise_account(user)

    # The consents stay as proof, without the address they were given with.
    Consent.objects.filter(user=user).update(email="")
    return 1


register_section(
    Section("account", gettext_lazy("Compte"), _account_rows, _erase_account, order=0),
    Section("consents", gettext_lazy("Consentements"), _consent_rows, order=1),
)
