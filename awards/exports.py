"""The CSV of every score of an edition: one row per juror and criterion.

Text cells that a spreadsheet would run as a formula (« =… », « +… », « -… », « @… », a tab or a
carriage return first) get a leading `'`, as the members' exports do. Numbers stay numbers.
"""

import csv
import io

from django.utils.translation import gettext as _

from home.spreadsheet import spreadsheet_safe

from .models import JuryAssignment, Score


def score_rows(edition):
    """The header, then one row per score of a submitted or pending sheet (conflicts left
    out), in one query."""
    yield [
        _("Édition"),
        _("Dossier n°"),
        _("Dossier"),
        _("Association"),
        _("Juré"),
        _("Statut de la notation"),
        _("Critère"),
        _("Poids"),
        _("Note"),
        _("Commentaire"),
    ]
    statuses = dict(JuryAssignment.Status.choices)
    scores = (
        Score.objects.filter(assignment__application__edition=edition)
        .exclude(assignment__status=JuryAssignment.Status.CONFLICT)
        .order_by("assignment__application_id", "assignment__juror_id", "criterion__sort_order")
        .values_list(
            "assignment__application_id",
            "assignment__application__title",
            "assignment__application__organisation__name",
            "assignment__juror__user__first_name",
            "assignment__juror__user__last_name",
            "assignment__juror__user__email",
            "assignment__status",
            "criterion__label",
            "criterion__weight",
            "value",
            "comment",
        )
    )
    not_applicable = _("sans objet")
    for (
        app_id, title, organisation, first, last, email, status, label, weight, value, comment,
    ) in scores:  # fmt: skip
        juror = f"{first} {last}".strip() or email
        yield [
            edition.year,
            app_id,
            spreadsheet_safe(title),
            spreadsheet_safe(organisation),
            spreadsheet_safe(juror),
            str(statuses.get(status, status)),
            spreadsheet_safe(label),
            weight,
            not_applicable if value is None else value,
            spreadsheet_safe(comment),
        ]


def scores_csv(edition) -> str:
    """The CSV text (UTF-8 with a BOM is added by the view, for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in score_rows(edition):
        writer.writerow(row)
    return out.getvalue()
