"""The register of processing, exported for the CNIL or an auditor: CSV (one row per
processing, the columns of RGPD art. 30.1) and PDF (one section per processing)."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from home.identity import site_identity
from home.pdf import LIGHT, build, plain, styles
from home.spreadsheet import spreadsheet_safe

from .models import LegalSettings
from .register import processings


def processor_names(processing, legal):
    """The processors by the names the association gave them, where it did."""
    names = []
    for processor in processing.processor_list():
        if processor.slug == "host" and legal.host_name:
            names.append(f"{processor.name} : {legal.host_name}")
        elif processor.slug == "mail" and legal.mail_provider:
            names.append(f"{processor.name} : {legal.mail_provider}")
        else:
            names.append(str(processor.name))
    return " ; ".join(names) or _("aucun")


def columns():
    return [
        (_("Traitement"), lambda p, legal: p.name),
        (_("Finalité"), lambda p, legal: p.purpose),
        (_("Base légale"), lambda p, legal: p.legal_basis_label),
        (_("Personnes concernées"), lambda p, legal: p.people),
        (_("Catégories de données"), lambda p, legal: p.data),
        (_("Destinataires"), lambda p, legal: p.recipients),
        (_("Sous-traitants"), processor_names),
        (_("Transferts hors de l’Union européenne"), lambda p, legal: p.transfers_text()),
        (_("Durée de conservation"), lambda p, legal: p.retention),
        (_("Mesures de sécurité"), lambda p, legal: p.security),
    ]


def register_rows():
    legal = LegalSettings.load()
    cols = columns()
    yield [label for label, _value in cols]
    for processing in processings():
        yield [str(value(processing, legal)) for _label, value in cols]


def register_csv() -> str:
    """Semicolons and a byte order mark, as the other exports: French spreadsheets read it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in register_rows():
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return "\ufeff" + out.getvalue()


def register_pdf() -> bytes:
    identity = site_identity()
    legal = LegalSettings.load()
    style = styles()
    title = _("Registre des activités de traitement")
    story = [
        Paragraph(plain(identity.name), style["association"]),
        Paragraph(plain(title), style["title"]),
        Paragraph(
            plain(
                _("Article 30 du RGPD · état au %(date)s")
                % {"date": timezone.localdate().strftime("%d/%m/%Y")}
            ),
            style["subtitle"],
        ),
    ]
    controller = [identity.name, identity.address.replace("\n", ", "), identity.email]
    story.append(
        Paragraph(
            plain(
                _("Responsable de traitement : %(who)s")
                % {"who": " · ".join(filter(None, controller))}
            ),
            style["body"],
        )
    )
    if legal.dpo_name:
        story.append(
            Paragraph(
                plain(_("Délégué à la protection des données : %(dpo)s") % {"dpo": legal.dpo_name}),
                style["body"],
            )
        )
    cols = columns()
    for processing in processings():
        rows = [
            [
                Paragraph(plain(label), style["label"]),
                Paragraph(plain(value(processing, legal)), style["value"]),
            ]
            for label, value in cols[1:]
        ]
        table = Table(rows, colWidths=[50 * mm, 120 * mm])
        table.setStyle(
            TableStyle(
                [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (0, -1), LIGHT)]
            )
        )
        story.append(
            KeepTogether([Paragraph(plain(processing.name), style["heading"]), table, Spacer(1, 6)])
        )
    return build(story, title=title, subject=title, identity=identity)
