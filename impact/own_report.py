"""« Notre utilité sociale »: one organisation's answers over the years, beside the network's
medians, as a page, a PDF to hand to a funder (the organisation's identity, each indicator's
definition, the years) and a CSV for its own spreadsheet.

Only the organisation's submitted or reviewed reports count (a draft is still being written);
the network's median is the published one (impact/aggregates.py): none for a slice of fewer
than 5 organisations."""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from home.identity import site_identity
from home.pdf import LIGHT, build, plain
from home.pdf import styles as document_styles
from home.spreadsheet import spreadsheet_safe

from .aggregates import network_figures
from .models import Answer, Indicator, Report

Kind = Indicator.Kind
COUNTED = (Report.Status.SUBMITTED, Report.Status.REVIEWED)


@dataclass
class Line:
    indicator: Indicator
    cells: list  # [(ours, network median)] per year, as text


def _number(value, digits=1):
    return "" if value is None else formats.number_format(value, digits, force_grouping=True)


def answer_text(answer):
    """An answer in words: « 30 personnes », « 25,0 % », « oui », « non applicable »."""
    if answer is None:
        return ""
    if answer.not_applicable:
        return _("non applicable")
    kind = answer.indicator.kind
    if kind == Kind.PERCENTAGE:
        return f"{_number(answer.percentage)} %" if answer.percentage is not None else ""
    if kind == Kind.YES_NO:
        return {True: _("oui"), False: _("non")}.get(answer.yes_no, "")
    if kind == Kind.TEXT:
        return answer.text
    if answer.value is None:
        return ""
    digits = 0 if kind in (Kind.COUNT, Kind.SCALE) else 1
    unit = f" {answer.indicator.unit}" if answer.indicator.unit else ""
    return f"{_number(answer.value, digits)}{unit}"


def _median_text(indicator, figure):
    if figure is None or not figure.published:
        return ""
    if indicator.kind == Kind.YES_NO:
        return _("%(share)s %% de oui") % {"share": _number(figure.share_yes, 0)}
    if indicator.kind == Kind.PERCENTAGE:
        return f"{_number(figure.median)} %"
    if figure.median is None:
        return ""
    return _number(figure.median, 0 if indicator.kind in (Kind.COUNT, Kind.SCALE) else 1)


def own_report(organisation, figures=None):
    """(years, [(dimension, [Line])]) for this organisation, in one query, beside the network's
    `figures` (the cached ones the views pass; computed here when not given)."""
    answers = list(
        Answer.objects.filter(report__organisation=organisation, report__status__in=COUNTED)
        .select_related("indicator__dimension", "report__campaign")
        .order_by("indicator__dimension__sort_order", "indicator__sort_order", "indicator__pk")
    )
    years = sorted({a.report.campaign.year for a in answers})
    figures = figures or network_figures()
    figures = {item["indicator"].pk: item for item in figures["indicators"]}
    by_indicator = {}
    for answer in answers:
        by_indicator.setdefault(answer.indicator, {})[answer.report.campaign.year] = answer
    sections = []
    for indicator, per_year in by_indicator.items():
        network = figures.get(indicator.pk, {}).get("by_year", {})
        cells = [
            (answer_text(per_year.get(year)), _median_text(indicator, network.get(year)))
            for year in years
        ]
        if not sections or sections[-1][0] != indicator.dimension:
            sections.append((indicator.dimension, []))
        sections[-1][1].append(Line(indicator, cells))
    return years, sections


def as_csv(organisation, figures=None):
    years, sections = own_report(organisation, figures)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [_("Dimension"), _("Indicateur"), _("Définition"), _("Année"), _("Notre réponse"),
         _("Médiane du réseau")]
    )  # fmt: skip
    for dimension, lines in sections:
        for line in lines:
            for year, (ours, median) in zip(years, line.cells, strict=True):
                writer.writerow(
                    [spreadsheet_safe(v) for v in (dimension.name, line.indicator.name,
                     line.indicator.definition, year, ours, median)]
                )  # fmt: skip
    return buffer.getvalue()


# The PDF's table keeps readable columns: the latest years only (the CSV has them all).
PDF_YEARS = 4


def _figures_table(lines, years, shown, cell, head):
    """Per indicator, our answer and the network's median for each year `shown`. A text answer
    is printed below the table (it may be long): its cell says so."""
    header = [Paragraph(plain(_("Indicateur")), head)]
    for year in shown:
        header += [Paragraph(plain(str(year)), head), Paragraph(plain(_("réseau")), head)]
    data = [header]
    for line in lines:
        row = [Paragraph(plain(line.indicator.name), cell)]
        for year, (ours, median) in zip(years, line.cells, strict=True):
            if year not in shown:
                continue
            if line.indicator.kind == Kind.TEXT and ours:
                ours = _("ci-dessous")
            row += [Paragraph(plain(ours or "—"), cell), Paragraph(plain(median or "—"), cell)]
        data.append(row)
    width, first = 170 * mm, 50 * mm
    rest = (width - first) / max(2 * len(shown), 1)
    table = Table(data, colWidths=[first] + [rest] * 2 * len(shown), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
            ]
        )
    )
    return table


def as_pdf(organisation, figures=None):
    with translation.override(settings.LANGUAGE_CODE):
        return _pdf(organisation, figures)


def _pdf(organisation, figures):
    styles = document_styles()
    years, sections = own_report(organisation, figures)
    title = _("Notre utilité sociale — %(name)s") % {"name": organisation.name}
    identity = site_identity()
    address = ", ".join(
        part for part in (organisation.address, organisation.postal_code, organisation.city) if part
    )
    numbers = " · ".join(
        f"{label} {value}"
        for label, value in (("RNA", organisation.rna), ("SIRET", organisation.siret))
        if value
    )
    story = [
        Paragraph(plain(organisation.name), styles["association"]),
        Paragraph(plain(address), styles["small"]),
        Paragraph(plain(numbers), styles["small"]),
        Paragraph(plain(title), styles["title"]),
        Paragraph(
            plain(
                _(
                    "Nos réponses aux indicateurs d’utilité sociale partagés par les adhérents "
                    "de %(network)s, et, à côté, la médiane des organisations du réseau (donnée "
                    "seulement quand au moins 5 organisations ont répondu)."
                )
                % {"network": identity.name}
            ),
            styles["small"],
        ),
    ]
    cell = styles["value"].clone("cell", fontSize=8, leading=10)
    head = styles["label"].clone("head", fontSize=8, leading=10)
    shown = years[-PDF_YEARS:]
    if len(years) > len(shown):
        story.append(
            Paragraph(
                plain(
                    _("Les %(count)s dernières années ; toutes sont dans l’export CSV.")
                    % {"count": len(shown)}
                ),
                styles["small"],
            )
        )
    for dimension, lines in sections:
        story.append(Paragraph(plain(dimension.name), styles["heading"]))
        story.append(_figures_table(lines, years, shown, cell, head))
        # Below the table, where a paragraph may run onto the next page (a table's row cannot):
        # each indicator's definition, and the answers written as text.
        for line in lines:
            story.append(
                Paragraph(
                    f"<b>{plain(line.indicator.name)}</b> : {plain(line.indicator.definition)}",
                    styles["small"],
                )
            )
            if line.indicator.kind == Kind.TEXT:
                for year, (ours, _median) in zip(years, line.cells, strict=True):
                    if year in shown and ours:
                        story.append(Paragraph(f"{year} : {plain(ours)}", styles["small"]))
    return build(story, title=title, subject=_("Rapport d’utilité sociale"), identity=identity)
