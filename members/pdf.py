"""The membership's PDF documents, drawn with reportlab: the receipt and the printable bulletin.

Both are real text (selectable, read by screen readers and by pypdf in the tests), in
reportlab's standard Helvetica fonts. Those fonts use the WinAnsi encoding: it has the euro sign,
French accents, guillemets and typographic apostrophes, but not every character a name may hold,
so all text goes through `_plain` first (the narrow no-break space of `format_euros` becomes a
no-break space; other missing letters lose their accent, or become « ? »).

Documents are written in the site's language (French), whatever language a request is in: a
receipt is an accounting document of a French association.
"""

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from home.identity import site_identity
from home.money import format_euros
from home.pdf import ACCENT, LIGHT
from home.pdf import build as _build
from home.pdf import plain as _plain
from home.pdf import styles as _styles

from .models import MembershipSettings, Payment


def _date(value):
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "j F Y")


def _organisation_ids(organisation):
    parts = []
    if organisation.rna:
        parts.append(_("RNA : %(rna)s") % {"rna": organisation.rna})
    if organisation.siret:
        parts.append(_("SIRET : %(siret)s") % {"siret": organisation.siret})
    return " · ".join(parts)


def _identity_lines(identity):
    lines = [identity.address] if identity.address else []
    ids = []
    if identity.siret:
        ids.append(_("SIRET : %(siret)s") % {"siret": identity.siret})
    if identity.rna:
        ids.append(_("RNA : %(rna)s") % {"rna": identity.rna})
    if ids:
        lines.append(" · ".join(ids))
    contact = [value for value in (identity.email, identity.phone) if value]
    if contact:
        lines.append(" · ".join(contact))
    return lines


# --- Layout -------------------------------------------------------------------------------------
def _header(identity, styles):
    lines = [Paragraph(_plain(identity.name), styles["association"])]
    lines += [Paragraph(_plain(line), styles["small"]) for line in _identity_lines(identity)]
    return lines


def _rows(rows, styles, widths=(62 * mm, 108 * mm)):
    """A two-column table of (label, value) rows, values as wrapping paragraphs."""
    data = [
        [Paragraph(_plain(label), styles["label"]), Paragraph(_plain(value), styles["value"])]
        for label, value in rows
        if value not in (None, "")
    ]
    table = Table(data, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


# --- The receipt --------------------------------------------------------------------------------
def render_receipt_pdf(receipt) -> bytes:
    """The reçu de cotisation / attestation d'adhésion of a receipt, as PDF bytes."""
    with translation.override(settings.LANGUAGE_CODE):
        return _receipt_pdf(receipt)


def _receipt_pdf(receipt):
    payment = receipt.payment
    membership = payment.membership
    organisation = membership.organisation
    identity = site_identity()
    styles = _styles()
    amount = format_euros(payment.amount_cents)
    period = _("du %(start)s au %(end)s") % {
        "start": _date(membership.period_start),
        "end": _date(membership.period_end),
    }

    story = _header(identity, styles)
    story += [
        Paragraph(_plain(_("Reçu de cotisation — attestation d’adhésion")), styles["title"]),
        Paragraph(
            _plain(
                _("N° %(number)s, émis le %(date)s")
                % {"number": receipt.number, "date": _date(receipt.issued_at or timezone.now())}
            ),
            styles["subtitle"],
        ),
        Paragraph(_plain(_("Adhérent")), styles["heading"]),
        _rows(
            [
                (_("Organisation"), organisation.name),
                (
                    _("Adresse"),
                    f"{organisation.address}\n{organisation.postal_code} {organisation.city}",
                ),
                (_("Identification"), _organisation_ids(organisation)),
            ],
            styles,
        ),
        Paragraph(_plain(_("Cotisation")), styles["heading"]),
        _rows(
            [
                (_("Année d’adhésion"), str(membership.year)),
                (_("Période"), period),
                (_("Tranche"), membership.tier.label),
                (_("Montant reçu"), amount),
                (_("Moyen de paiement"), payment.get_method_display()),
                (_("Date du paiement"), _date(payment.received_at)),
                (_("Référence"), payment.reference),
            ],
            styles,
        ),
        Spacer(1, 6 * mm),
        Paragraph(
            _plain(
                _(
                    "%(association)s atteste avoir reçu de %(organisation)s la somme de "
                    "%(amount)s au titre de sa cotisation %(year)s, et que %(organisation)s est "
                    "membre de l’association pour la période %(period)s."
                )
                % {
                    "association": identity.name,
                    "organisation": organisation.name,
                    "amount": amount,
                    "year": membership.year,
                    "period": period,
                }
            ),
            styles["body"],
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            _plain(
                _(
                    "Ce reçu ne vaut pas reçu fiscal : la cotisation est la contrepartie de "
                    "l’adhésion, ce n’est pas un don."
                )
            ),
            styles["small"],
        ),
        Spacer(1, 10 * mm),
        Paragraph(
            _plain(_("Pour %(association)s") % {"association": identity.name}), styles["right"]
        ),
    ]
    title = _("Reçu de cotisation %(number)s") % {"number": receipt.number}
    subject = _("Attestation d’adhésion %(year)s de %(organisation)s") % {
        "year": membership.year,
        "organisation": organisation.name,
    }
    return _build(story, title=title, subject=subject, identity=identity)


# --- The printable bulletin ---------------------------------------------------------------------
def render_bulletin_pdf(membership, payment=None) -> bytes:
    """A bulletin d'adhésion filled in from the membership, to print, sign and send with a
    cheque. `payment` is the cheque payment whose reference goes on the back of the cheque; by
    default, the membership's latest pending cheque payment (else its latest pending payment)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _bulletin_pdf(membership, payment or _pending_payment(membership))


def _pending_payment(membership):
    pending = membership.payments.filter(status=Payment.Status.PENDING).order_by("-created_at")
    return pending.filter(method=Payment.Method.CHEQUE).first() or pending.first()


def _primary_contact(organisation):
    return organisation.contacts.select_related("user").order_by("-is_primary", "pk").first()


def _bulletin_pdf(membership, payment):

    organisation = membership.organisation
    identity = site_identity()
    membership_settings = MembershipSettings.load()
    styles = _styles()
    amount = format_euros(payment.amount_cents if payment else membership.amount_cents)
    contact = _primary_contact(organisation)

    story = _header(identity, styles)
    story += [
        Paragraph(
            _plain(_("Bulletin d’adhésion %(year)s") % {"year": membership.year}),
            styles["title"],
        ),
        Paragraph(_plain(_("À joindre à votre chèque de cotisation")), styles["subtitle"]),
        Paragraph(_plain(_("Organisation")), styles["heading"]),
        _rows(
            [
                (_("Nom"), organisation.name),
                (_("Forme juridique"), organisation.get_legal_form_display()),
                (
                    _("Adresse"),
                    f"{organisation.address}\n{organisation.postal_code} {organisation.city}",
                ),
                (_("Identification"), _organisation_ids(organisation)),
                (_("Salariés (ETP)"), str(organisation.employees)),
                (_("Bénévoles"), str(organisation.volunteers)),
                (_("Budget annuel"), organisation.get_budget_bracket_display()),
            ],
            styles,
        ),
    ]
    if contact is not None:
        user = contact.user
        story += [
            Paragraph(_plain(_("Contact")), styles["heading"]),
            _rows(
                [
                    (_("Nom"), user.get_full_name()),
                    (_("Fonction"), contact.get_role_display()),
                    (_("E-mail"), user.email),
                    (_("Téléphone"), contact.phone),
                ],
                styles,
            ),
        ]
    payable_to = membership_settings.cheque_payable_to or identity.name
    cheque_address = membership_settings.cheque_address or identity.address
    story += [
        Paragraph(_plain(_("Adhésion et règlement par chèque")), styles["heading"]),
        _rows(
            [
                (
                    _("Année d’adhésion"),
                    _("%(year)s, du %(start)s au %(end)s")
                    % {
                        "year": membership.year,
                        "start": _date(membership.period_start),
                        "end": _date(membership.period_end),
                    },
                ),
                (_("Tranche"), membership.tier.label),
                (_("Montant du chèque"), amount),
                (_("À l’ordre de"), payable_to),
                (
                    _("Référence à inscrire au dos du chèque"),
                    payment.reference if payment else "____________________",
                ),
                (_("À envoyer, avec ce bulletin, à"), cheque_address),
            ],
            styles,
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            _plain(
                _(
                    "Nous demandons l’adhésion de notre organisation à %(association)s pour "
                    "l’année %(year)s et réglons la cotisation ci-dessus. Le reçu de cotisation "
                    "vous sera envoyé par e-mail à réception du chèque."
                )
                % {"association": identity.name, "year": membership.year}
            ),
            styles["body"],
        ),
        Spacer(1, 5 * mm),
        KeepTogether(_signature_box(styles)),
    ]
    title = _("Bulletin d’adhésion %(year)s — %(organisation)s") % {
        "year": membership.year,
        "organisation": organisation.name,
    }
    subject = _("Bulletin d’adhésion à remplir et à envoyer avec un chèque")
    return _build(story, title=title, subject=subject, identity=identity)


def _signature_box(styles):
    cell = [
        [
            Paragraph(_plain(_("Fait à :")), styles["value"]),
            Paragraph(_plain(_("Le :")), styles["value"]),
        ],
        [
            Paragraph(_plain(_("Nom et fonction du signataire :")), styles["value"]),
            Paragraph(_plain(_("Signature et cachet :")), styles["value"]),
        ],
    ]
    table = Table(cell, colWidths=[85 * mm, 85 * mm], rowHeights=[10 * mm, 30 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.75, ACCENT),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [table]
