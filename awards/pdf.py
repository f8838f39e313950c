"""The jury meeting's summary as a PDF (reportlab, in the members' documents' style): the
edition's ranking, raw and normalised, with the spread and its disagreement flag.

Written in the site's language (French) whatever the request's language.
"""

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from home.identity import site_identity
from home.pdf import LIGHT, build, plain
from home.pdf import styles as styles_of_documents
from members import pdf as documents

from .ranking import rank_edition


def _number(value, digits=1):
    if value is None:
        return "—"
    return formats.number_format(value, digits)


def render_ranking_pdf(edition, ranking=None) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return _ranking_pdf(edition, ranking or rank_edition(edition))


def _ranking_pdf(edition, ranking):
    identity = site_identity()
    styles = styles_of_documents()
    small = styles["small"]
    cell = styles["value"].clone("cell", fontSize=8, leading=10)
    head = styles["label"].clone("head", fontSize=8, leading=10)

    title = _("Synthèse du jury — %(edition)s") % {"edition": edition}
    story = documents._header(identity, styles)
    story += [
        Paragraph(plain(title), styles["title"]),
        Paragraph(
            plain(
                _(
                    "Moyenne pondérée sur 100 des totaux des jurés (« sans objet » exclu), "
                    "écart-type entre jurés (signalé au-delà de %(threshold)s), moyenne "
                    "normalisée par juré (z-score)."
                )
                % {"threshold": _number(ranking.threshold)}
            ),
            small,
        ),
    ]
    headers = [_("Rang"), _("Dossier"), _("Jurés"), _("Moyenne")]
    headers += [c.label for c in ranking.criteria]
    headers += [_("Écart"), _("Norm."), _("Rang norm.")]
    data = [[Paragraph(plain(h), head) for h in headers]]
    flagged = []
    for i, row in enumerate(ranking.rows, start=1):
        spread = _number(row.spread)
        if row.disagreement:
            spread += " !"
            flagged.append(i)
        values = [
            row.rank or "—",
            f"{row.title}\n{row.organisation_name}",
            row.juror_count,
            _number(row.mean),
            *[_number(m) for m in row.criterion_means],
            spread,
            _number(row.normalised_mean, 2),
            row.normalised_rank or "—",
        ]
        data.append([Paragraph(plain(str(v)), cell) for v in values])
    width = landscape(A4)[0] - 40 * mm
    fixed = [12 * mm, 60 * mm, 12 * mm, 16 * mm]
    tail = [16 * mm, 16 * mm, 14 * mm]
    rest = width - sum(fixed) - sum(tail)
    per_criterion = rest / max(len(ranking.criteria), 1)
    table = Table(
        data,
        colWidths=fixed + [per_criterion] * len(ranking.criteria) + tail,
        repeatRows=1,
        hAlign="LEFT",
    )
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
    ]
    for i in flagged:
        style.append(("BACKGROUND", (-3, i), (-3, i), colors.HexColor("#fde2e1")))
    table.setStyle(TableStyle(style))
    story.append(table)
    story.append(
        Paragraph(
            plain(
                _("%(count)s dossier(s) en désaccord (marqués « ! »).")
                % {"count": ranking.disagreements}
            ),
            small,
        )
    )
    return build(story, title=title, subject=title, identity=identity, wide=True)
