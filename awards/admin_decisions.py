"""The award's staff decisions in Wagtail's admin: the decision on an application (with its
e-mail to the applicant) and the publication of laureates. The shared admin plumbing (the mixin,
permissions, links) is in `admin_views`.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages

from home.admin_lists import index_url

from . import applications, laureates
from .admin_forms import DecisionForm
from .admin_views import CHANGE_PERMISSION, AwardsAdminMixin
from .models import Application

logger = logging.getLogger(__name__)


# --- Decisions and their e-mails ----------------------------------------------------------------


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
        decided = applications.decide(
            self.application,
            status=data["status"],
            ineligibility_reason=data["ineligibility_reason"],
            prize=data["prize"],
            deliberation_notes=data["deliberation_notes"],
            notify=data["notify"],
        )
        app = decided.application
        if decided.not_sent:
            messages.warning(
                self.request, _("La décision est enregistrée, mais l’e-mail n’a pas pu partir.")
            )
        messages.success(
            self.request,
            _("« %(application)s » : %(status)s.")
            % {"application": app, "status": app.get_status_display().lower()}
            + (" " + _("Le candidat est prévenu par e-mail.") if decided.notified else ""),
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
