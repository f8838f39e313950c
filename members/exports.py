"""An organisation's own data, as its contacts download it: JSON (complete, for machines) and
CSV (for a treasurer's spreadsheet).

Both read the same few queries: the organisation with its sectors, its contacts with their
accounts, its memberships with their tiers, and their payments with their receipts.
"""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from home.spreadsheet import spreadsheet_safe

from .models import Payment

ORGANISATION_FIELDS = [
    "name", "legal_form", "rna", "siret", "address", "postal_code", "city", "departement",
    "employees", "volunteers", "budget_bracket",
]  # fmt: skip


def _contacts(organisation):
    return organisation.contacts.select_related("user").order_by("-is_primary", "pk")


def _memberships(organisation):
    payments = Payment.objects.select_related("receipt").order_by("created_at")
    return (
        organisation.memberships.select_related("tier")
        .prefetch_related(Prefetch("payments", queryset=payments))
        .order_by("-year", "-created_at")
    )


def receipt_of(payment):
    """The payment's receipt, or None (read from select_related: no query)."""
    try:
        return payment.receipt
    except Payment.receipt.RelatedObjectDoesNotExist:
        return None


def _local(value):
    return timezone.localtime(value) if value else None


def organisation_data(organisation):
    """Everything the organisation's contacts may take away, as plain Python values."""
    data = {field: getattr(organisation, field) for field in ORGANISATION_FIELDS}
    data["legal_form_label"] = organisation.get_legal_form_display()
    data["budget_bracket_label"] = organisation.get_budget_bracket_display()
    data["sectors"] = [sector.name for sector in organisation.sectors.all()]
    data["created_at"] = _local(organisation.created_at)
    data["updated_at"] = _local(organisation.updated_at)
    contacts = [
        {
            "first_name": contact.user.first_name,
            "last_name": contact.user.last_name,
            "email": contact.user.email,
            "role": contact.role,
            "role_label": contact.get_role_display(),
            "phone": contact.phone,
            "is_primary": contact.is_primary,
        }
        for contact in _contacts(organisation)
    ]
    memberships = []
    for membership in _memberships(organisation):
        payments = []
        for payment in membership.payments.all():
            receipt = receipt_of(payment)
            payments.append(
                {
                    "method": payment.method,
                    "method_label": payment.get_method_display(),
                    "amount_cents": payment.amount_cents,
                    "status": payment.status,
                    "status_label": payment.get_status_display(),
                    "reference": payment.reference,
                    "created_at": _local(payment.created_at),
                    "received_at": _local(payment.received_at),
                    "receipt": (
                        {"number": receipt.number, "issued_at": _local(receipt.issued_at)}
                        if receipt
                        else None
                    ),
                }
            )
        memberships.append(
            {
                "year": membership.year,
                "period_start": membership.period_start,
                "period_end": membership.period_end,
                "tier": membership.tier.label,
                "amount_cents": membership.amount_cents,
                "status": membership.status,
                "status_label": membership.get_status_display(),
                "activated_at": _local(membership.activated_at),
                "payments": payments,
            }
        )
    return {
        "exported_at": timezone.localtime(),
        "organisation": data,
        "contacts": contacts,
        "memberships": memberships,
    }


def as_json(organisation):
    data = organisation_data(organisation)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n"


# --- CSV ---------------------------------------------------------------------------------------
# Made for a spreadsheet in a French locale. Excel there expects `;` between cells (the comma is
# the decimal separator) and reads a CSV file as Windows-1252 unless it starts with a UTF-8 byte
# order mark: with the BOM, « Trésorier·ère » stays readable. Amounts are euros with a decimal
# comma (« 120,00 ») so that they are numbers there, dates are ISO (2027-01-31), read as dates.
# One file, several tables one under the other, each under its title row and a blank row apart.

BOM = "\ufeff"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "hour"):  # a datetime
        return value.strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat"):  # a date
        return value.isoformat()
    return spreadsheet_safe(str(value))


def _euros(cents):
    euros, rest = divmod(cents, 100)
    return f"{euros},{rest:02d}"


def as_csv(organisation):
    data = organisation_data(organisation)
    org = data["organisation"]
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def rows(title, header, lines):
        writer.writerow([title])
        writer.writerow(header)
        for line in lines:
            writer.writerow([_cell(value) for value in line])
        writer.writerow([])

    rows(
        _("Organisation"),
        [_("Champ"), _("Valeur")],
        [
            (_("Nom"), org["name"]),
            (_("Forme juridique"), org["legal_form_label"]),
            (_("Numéro RNA"), org["rna"]),
            (_("SIRET"), org["siret"]),
            (_("Adresse"), org["address"]),
            (_("Code postal"), org["postal_code"]),
            (_("Commune"), org["city"]),
            (_("Département"), org["departement"]),
            (_("Secteurs"), ", ".join(org["sectors"])),
            (_("Salariés (ETP)"), org["employees"]),
            (_("Bénévoles"), org["volunteers"]),
            (_("Budget annuel"), org["budget_bracket_label"]),
            (_("Exporté le"), data["exported_at"]),
        ],
    )
    rows(
        _("Contacts"),
        [
            _("Prénom"),
            _("Nom"),
            _("Adresse e-mail"),
            _("Fonction"),
            _("Téléphone"),
            _("Contact principal"),
        ],
        [
            (
                c["first_name"],
                c["last_name"],
                c["email"],
                c["role_label"],
                c["phone"],
                c["is_primary"],
            )
            for c in data["contacts"]
        ],
    )
    rows(
        _("Adhésions"),
        [
            _("Année"),
            _("Début"),
            _("Fin"),
            _("Tranche"),
            _("Montant (€)"),
            _("Statut"),
            _("Activée le"),
        ],
        [
            (
                m["year"],
                m["period_start"],
                m["period_end"],
                m["tier"],
                _euros(m["amount_cents"]),
                m["status_label"],
                m["activated_at"],
            )
            for m in data["memberships"]
        ],
    )
    rows(
        _("Paiements"),
        [
            _("Année d’adhésion"),
            _("Moyen de paiement"),
            _("Montant (€)"),
            _("Statut"),
            _("Référence"),
            _("Reçu le"),
            _("Numéro de reçu"),
        ],
        [
            (
                m["year"],
                p["method_label"],
                _euros(p["amount_cents"]),
                p["status_label"],
                p["reference"],
                p["received_at"],
                p["receipt"]["number"] if p["receipt"] else "",
            )
            for m in data["memberships"]
            for p in m["payments"]
        ],
    )
    return out.getvalue()
