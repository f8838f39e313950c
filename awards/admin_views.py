"""The award's staff views in Wagtail's admin: the ranking, the exports (CSV of scores, PDF
summary), the jury's progress with its reminder and the automatic assignment (the decisions and
the publication of laureates are in `admin_decisions`).

Each view checks its own permission first; business rules stay in `ranking`, `assignment`,
`laureates` and `exports`: these views only ask and report.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from home.admin_lists import index_url
from home.charts import dot_plot, dot_plot_svg
from home.numbers import decimal_formatter

from . import exports
from .assignment import auto_assign
from .emails import remind_jurors
from .models import AwardEdition, Juror, juror_workload
from .ranking import rank_edition
from .totals import tenths

logger = logging.getLogger(__name__)

VIEW_PERMISSION = "awards.view_application"
CHANGE_PERMISSION = "awards.change_application"
ASSIGN_PERMISSION = "awards.add_juryassignment"


class AwardsAdminMixin(WagtailAdminTemplateMixin):
    permission_required = VIEW_PERMISSION
    header_icon = "pick"
    list_model = AwardEdition

    def dispatch(self, request, *args, **kwargs):
        # First of all: a refused user learns nothing, not even whether the object exists.
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        self.load(kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, kwargs):
        self.edition = get_object_or_404(AwardEdition, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.edition)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": index_url(self.list_model), "label": self.list_model._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title()},
        ]

    def edition_links(self):
        pk = self.edition.pk
        return {
            "ranking_url": reverse("awards_admin:ranking", args=[pk]),
            "progress_url": reverse("awards_admin:progress", args=[pk]),
            "csv_url": reverse("awards_admin:scores_csv", args=[pk]),
            "pdf_url": reverse("awards_admin:summary_pdf", args=[pk]),
            "assign_url": reverse("awards_admin:auto_assign", args=[pk]),
            "publish_url": reverse("awards_admin:publish_laureates", args=[pk]),
        }


# --- The ranking and its exports ------------------------------------------------------------


@dataclass
class RankingLine:
    """A row of the ranking as the page writes it: its numbers in the language's format, as
    `floatformat` would (done once per page: 16 numbers a row), and its dot plot."""

    row: object
    mean: str | None
    criterion_means: list
    spread: str | None
    normalised_mean: str | None
    juror_totals: str
    dot_plot: str


def ranking_lines(rows):
    one, two, tenth = decimal_formatter(1), decimal_formatter(2), decimal_formatter(1, trim=True)
    lines = []
    for row in rows:
        # In tenths, as the scoring page shows the totals (62.25 reads 62,3 there, and here too).
        plot = dot_plot([tenths(t) for t in row.juror_totals.values()], row.mean)
        lines.append(
            RankingLine(
                row=row,
                mean=one(row.mean),
                criterion_means=[two(mean) for mean in row.criterion_means],
                spread=one(row.spread),
                normalised_mean=two(row.normalised_mean),
                juror_totals=" · ".join(tenth(dot.value) for dot in plot["dots"]),
                dot_plot=dot_plot_svg(plot, "#cd4444" if row.disagreement else "#0b5d4b")
                if plot["dots"]
                else "",
            )
        )
    return lines


class RankingView(AwardsAdminMixin, TemplateView):
    template_name = "awards/admin/ranking.html"
    page_title = gettext_lazy("Classement")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ranking = rank_edition(self.edition)
        order = self.request.GET.get("ordre")
        rows = ranking.rows
        if order == "normalise":
            rows = sorted(
                rows,
                key=lambda r: (
                    r.normalised_rank is None,
                    r.normalised_rank or 0,
                    r.application_id,
                ),
            )
        context.update(
            self.edition_links(),
            edition=self.edition,
            ranking=ranking,
            rows=ranking_lines(rows),
            order=order,
        )
        return context


class ScoresCsvView(AwardsAdminMixin, TemplateView):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            "\ufeff" + exports.scores_csv(self.edition), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="notes-prix-{self.edition.year}.csv"'
        )
        return response


class SummaryPdfView(AwardsAdminMixin, TemplateView):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        from .pdf import render_ranking_pdf  # reportlab on first use (home/pdf.py)

        response = HttpResponse(render_ranking_pdf(self.edition), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="synthese-jury-{self.edition.year}.pdf"'
        )
        return response


# --- The jury's progress, and the reminder ------------------------------------------------------


def juror_progress(edition):
    """Each juror of the edition with `done` (submitted) and `assigned` (conflicts excluded)."""
    return (
        Juror.objects.filter(edition=edition)
        .select_related("user")
        .annotate(**juror_workload())
        .order_by("user__last_name", "user__first_name", "pk")
    )


def send_reminders(edition):
    """E-mail every juror with applications left to score, at once (the jury's task, forced).
    Returns the number of e-mails sent, or None when the task was only enqueued."""
    result = remind_jurors.enqueue(edition.pk, force=True)
    return getattr(result, "return_value", None) if result.is_finished else None


class ProgressView(AwardsAdminMixin, TemplateView):
    template_name = "awards/admin/progress.html"
    page_title = gettext_lazy("Avancement du jury")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        jurors = list(juror_progress(self.edition))
        for juror in jurors:
            juror.percent = round(100 * juror.done / juror.assigned) if juror.assigned else 0
        context.update(
            self.edition_links(),
            edition=self.edition,
            jurors=jurors,
            unfinished=sum(1 for j in jurors if j.done < j.assigned),
            can_remind=self.request.user.has_perm(ASSIGN_PERMISSION),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(ASSIGN_PERMISSION):
            raise PermissionDenied
        sent = send_reminders(self.edition)
        if sent is None:
            messages.success(request, _("Les relances sont en cours d’envoi."))
        elif sent == 0:
            messages.warning(
                request,
                _(
                    "Aucun juré relancé : tous ont fini, n’ont pas d’adresse e-mail, ou la "
                    "notation est close."
                ),
            )
        else:
            messages.success(
                request, _("%(count)s juré(s) relancé(s) par e-mail.") % {"count": sent}
            )
        return redirect(request.path)


# --- Automatic assignment -----------------------------------------------------------------------


class AutoAssignView(AwardsAdminMixin, TemplateView):
    permission_required = ASSIGN_PERMISSION
    template_name = "awards/admin/auto_assign.html"
    page_title = gettext_lazy("Affectation automatique des jurés")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.edition_links(), edition=self.edition, action_url=self.request.path)
        return context

    def post(self, request, *args, **kwargs):
        report = auto_assign(self.edition)
        messages.success(
            request,
            _("%(count)s affectation(s) créée(s).") % {"count": report.created_count},
        )
        for short in report.short:
            messages.warning(
                request,
                _(
                    "« %(application)s » n’a que %(assigned)s juré(s) sur %(wanted)s : "
                    "pas assez de jurés sans conflit."
                )
                % {
                    "application": short.application,
                    "assigned": short.assigned,
                    "wanted": short.wanted,
                },
            )
        return redirect(reverse("awards_admin:progress", args=[self.edition.pk]))
