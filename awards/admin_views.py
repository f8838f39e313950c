"""The award's staff views in Wagtail's admin: the ranking, the exports (CSV of scores, PDF
summary), the jury's progress with its reminder, the automatic assignment, the decision on an
application (with its e-mail to the applicant) and the publication of laureates.

Each view checks its own permission first; business rules stay in `ranking`, `assignment`,
`laureates` and `exports`: these views only ask and report.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import exports, laureates
from .admin_forms import NOTIFIED, DecisionForm
from .assignment import auto_assign
from .models import Application, AwardEdition, Juror, JuryAssignment
from .pdf import render_ranking_pdf
from .ranking import rank_edition

logger = logging.getLogger(__name__)

VIEW_PERMISSION = "awards.view_application"
CHANGE_PERMISSION = "awards.change_application"
ASSIGN_PERMISSION = "awards.add_juryassignment"


def index_url(model, **filters):
    from django.utils.http import urlencode

    url = reverse(f"awards_{model._meta.model_name}_modeladmin_index")
    return f"{url}?{urlencode(filters)}" if filters else url


def site_name():
    from members.pdf import site_identity

    return site_identity().name


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
            rows=rows,
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
        .annotate(
            done=Count(
                "assignments", filter=Q(assignments__status=JuryAssignment.Status.SUBMITTED)
            ),
            assigned=Count(
                "assignments", filter=~Q(assignments__status=JuryAssignment.Status.CONFLICT)
            ),
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )


def send_reminders(edition):
    """E-mail every juror with applications left to score. Through the jury's task when it
    exists (its own template and rules), else directly. Returns the number of e-mails sent, or
    None when the task was only enqueued."""
    try:
        from .jury_tasks import remind_jurors
    except ImportError:  # the jury's e-mails are not installed: send from here
        remind_jurors = None
    if remind_jurors is not None:
        result = remind_jurors.enqueue(edition.pk, force=True)
        return getattr(result, "return_value", None) if result.is_finished else None
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for juror in juror_progress(edition):
            if juror.done >= juror.assigned or not juror.user.email:
                continue
            body = render_to_string(
                "awards/admin/reminder_email.txt",
                {"juror": juror, "edition": edition, "site_name": site_name()},
            )
            subject = _("Prix %(year)s : des dossiers vous attendent") % {"year": edition.year}
            sent += send_mail(subject, body, None, [juror.user.email])
    return sent


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


# --- Decisions and their e-mails ----------------------------------------------------------------


def send_decision_email(application):
    """Tell the applicant of an eligibility decision or of the jury's verdict."""
    if application.status not in NOTIFIED or not application.created_by.email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            f"awards/email/decision_{application.status}.txt",
            {"application": application, "site_name": site_name()},
        )
        subjects = {
            Application.Status.ELIGIBLE: _("Votre dossier est recevable"),
            Application.Status.INELIGIBLE: _("Votre dossier n’est pas recevable"),
            Application.Status.LAUREATE: _("Votre dossier est lauréat"),
            Application.Status.NOT_SELECTED: _("Résultat du prix"),
        }
        subject = _("%(edition)s : %(decision)s") % {
            "edition": application.edition,
            "decision": subjects[application.status],
        }
    return send_mail(subject, body, None, [application.created_by.email])


class DecisionView(AwardsAdminMixin, FormView):
    permission_required = CHANGE_PERMISSION
    template_name = "awards/admin/decision.html"
    form_class = DecisionForm
    list_model = Application
    page_title = gettext_lazy("Décision sur un dossier")

    def load(self, kwargs):
        self.application = get_object_or_404(
            Application.objects.select_related("edition", "organisation", "created_by", "prize"),
            pk=kwargs["pk"],
        )
        self.edition = self.application.edition

    def get(self, request, *args, **kwargs):
        if self.application.is_draft:
            return self.refuse_draft()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.application.is_draft:
            return self.refuse_draft()
        return super().post(request, *args, **kwargs)

    def refuse_draft(self):
        messages.error(
            self.request, _("Un brouillon n’a pas été déposé : aucune décision n’est possible.")
        )
        return redirect(index_url(Application))

    def get_page_subtitle(self):
        return str(self.application)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["application"] = self.application
        return kwargs

    def get_initial(self):
        app = self.application
        wanted = self.request.GET.get("statut")
        return {
            "status": wanted if wanted in Application.Status.values else app.status,
            "ineligibility_reason": app.ineligibility_reason,
            "prize": app.prize,
            "deliberation_notes": app.deliberation_notes,
            "notify": True,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            application=self.application,
            action_url=self.request.get_full_path(),
            cancel_url=index_url(Application),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        with transaction.atomic():
            app = Application.objects.select_for_update().get(pk=self.application.pk)
            previous = app.status
            app.status = data["status"]
            app.ineligibility_reason = (
                data["ineligibility_reason"].strip()
                if app.status == Application.Status.INELIGIBLE
                else ""
            )
            app.prize = data["prize"] if app.status == Application.Status.LAUREATE else None
            app.deliberation_notes = data["deliberation_notes"]
            app.save(
                update_fields=[
                    "status", "ineligibility_reason", "prize", "deliberation_notes", "updated_at",
                ]
            )  # fmt: skip
        sent = 0
        if data["notify"] and app.status in NOTIFIED and app.status != previous:
            try:
                sent = send_decision_email(app)
            except Exception:  # SMTP down, refused address…: the decision stands.
                logger.exception("Decision e-mail for application %s not sent", app.pk)
                messages.warning(
                    self.request,
                    _("La décision est enregistrée, mais l’e-mail n’a pas pu partir."),
                )
        messages.success(
            self.request,
            _("« %(application)s » : %(status)s.")
            % {"application": app, "status": app.get_status_display().lower()}
            + (" " + _("Le candidat est prévenu par e-mail.") if sent else ""),
        )
        return redirect(index_url(Application, edition__id__exact=app.edition_id))


# --- Publishing laureates -----------------------------------------------------------------------


class PublishLaureatesView(AwardsAdminMixin, TemplateView):
    permission_required = CHANGE_PERMISSION
    template_name = "awards/admin/publish_laureates.html"
    page_title = gettext_lazy("Publier les lauréats")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        candidates = list(laureates.laureates_of(self.edition).select_related("laureate_page"))
        context.update(
            self.edition_links(),
            edition=self.edition,
            award_page=laureates.award_page_of(self.edition),
            laureates=candidates,
            action_url=self.request.path,
        )
        return context

    def post(self, request, *args, **kwargs):
        parent = laureates.award_page_of(self.edition)
        if (
            parent is not None
            and not parent.permissions_for_user(request.user).can_publish_subpage()
        ):
            raise PermissionDenied
        try:
            # The pages are written in the site's language, whatever the admin's.
            with translation.override(settings.LANGUAGE_CODE):
                report = laureates.publish_laureates(self.edition, user=request.user)
        except laureates.NoAwardPage:
            messages.error(
                request,
                _(
                    "Cette édition n’a pas encore de page : créez d’abord sa page « édition du "
                    "prix » dans l’arborescence, puis publiez les lauréats."
                ),
            )
            return redirect(request.path)
        if report.published:
            messages.success(
                request,
                _("%(count)s page(s) de lauréat publiée(s) : %(names)s.")
                % {
                    "count": len(report.published),
                    "names": ", ".join(page.title for page in report.published),
                },
            )
        if report.already:
            messages.info(
                request,
                _("Déjà publiés (inchangés) : %(names)s.")
                % {"names": ", ".join(str(app) for app in report.already)},
            )
        if report.without_consent:
            messages.warning(
                request,
                _("Non publiés, faute d’accord de publication : %(names)s.")
                % {"names": ", ".join(str(app) for app in report.without_consent)},
            )
        for application, reason in report.incomplete:
            messages.error(
                request,
                _("« %(application)s » n’est pas publié : %(reason)s")
                % {"application": application, "reason": reason},
            )
        if not (report.published or report.already or report.without_consent or report.incomplete):
            messages.info(request, _("Aucun dossier lauréat dans cette édition."))
        return redirect(request.path)
