"""The register of processing in Wagtail's admin: read it, export it as CSV or PDF."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import personal_data, register
from .models import LegalSettings
from .permissions import can_erase, can_handle_people, can_view_register


class RegisterMixin:
    def dispatch(self, request, *args, **kwargs):
        # First: a refused user learns nothing of the register.
        allowed, _reason = can_view_register(request.user)
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RegisterView(RegisterMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "privacy/admin/register.html"
    page_title = gettext_lazy("Registre des traitements")
    header_icon = "doc-full-inverse"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        from . import register_exports  # reportlab on first use (home/pdf.py)

        legal = LegalSettings.load(request_or_site=self.request)
        context["processings"] = [
            (item, register_exports.processor_names(item, legal)) for item in register.processings()
        ]
        return context


def _attachment(content, content_type, extension, stem="registre-des-traitements"):
    response = HttpResponse(content, content_type=content_type)
    name = f"{stem}-{timezone.localdate().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class RegisterCsvView(RegisterMixin, TemplateView):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        from . import register_exports  # reportlab on first use (home/pdf.py)

        csv_text = register_exports.register_csv()
        return _attachment(csv_text, "text/csv; charset=utf-8", "csv")


class RegisterPdfView(RegisterMixin, TemplateView):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        from . import register_exports  # reportlab on first use (home/pdf.py)

        return _attachment(register_exports.register_pdf(), "application/pdf", "pdf")


# --- One person: find, export, erase ------------------------------------------------------------


class PeopleMixin:
    def dispatch(self, request, *args, **kwargs):
        allowed, _reason = can_handle_people(request.user)
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PersonSearchView(PeopleMixin, WagtailAdminTemplateMixin, TemplateView):
    """Staff type the address a request came from; the account with it is opened."""

    template_name = "privacy/admin/person_search.html"
    page_title = gettext_lazy("Données d’une personne")
    header_icon = "user"

    def get(self, request, *args, **kwargs):
        email = request.GET.get("email", "").strip()
        if email:
            people = list(get_user_model().objects.filter(email__iexact=email)[:2])
            if len(people) == 1:
                return redirect("privacy_admin:person", people[0].pk)
            messages.error(
                request,
                _("Aucun compte n’a l’adresse « %(email)s ».") % {"email": email}
                if not people
                else _("Plusieurs comptes ont cette adresse : écrivez à l’administrateur."),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["email"] = self.request.GET.get("email", "")
        return context


class PersonView(PeopleMixin, WagtailAdminTemplateMixin, TemplateView):
    """What the apps hold about one person, section by section; their export; their erasure."""

    template_name = "privacy/admin/person.html"
    page_title = gettext_lazy("Données d’une personne")
    header_icon = "user"

    def get_page_subtitle(self):
        return self.person.email or self.person.get_username()

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(get_user_model(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        context["sections"] = personal_data.collect(self.person)
        context["can_erase"], context["erase_refusal"] = can_erase(self.request.user, self.person)
        return context

    def post(self, request, *args, **kwargs):
        allowed, reason = can_erase(request.user, self.person)
        if not allowed:
            messages.error(request, reason)
            return redirect("privacy_admin:person", self.person.pk)
        typed = request.POST.get("confirm", "").strip().lower()
        if not typed or typed != (self.person.email or "").lower():
            messages.error(
                request, _("Tapez l’adresse e-mail de la personne pour confirmer l’effacement.")
            )
            return redirect("privacy_admin:person", self.person.pk)
        report = personal_data.erase_person(self.person)
        messages.success(
            request,
            _("Les données de la personne sont effacées (%(count)d élément(s)).")
            % {"count": report.total()},
        )
        return redirect("privacy_admin:people")


class PersonDownloadView(PeopleMixin, TemplateView):
    """The person's data as they would download it themselves: to answer a request by post."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        person = get_object_or_404(get_user_model(), pk=kwargs["pk"])
        return _attachment(
            personal_data.as_json(person), "application/json", "json", f"donnees-{person.pk}"
        )
