"""The register of processing in Wagtail's admin: read it, export it as CSV or PDF."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import register, register_exports
from .models import LegalSettings
from .permissions import can_view_register


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
        legal = LegalSettings.load(request_or_site=self.request)
        context["processings"] = [
            (item, register_exports.processor_names(item, legal)) for item in register.processings()
        ]
        return context


def _attachment(content, content_type, extension):
    response = HttpResponse(content, content_type=content_type)
    name = f"registre-des-traitements-{timezone.localdate().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class RegisterCsvView(RegisterMixin, TemplateView):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        csv_text = register_exports.register_csv()
        return _attachment(csv_text, "text/csv; charset=utf-8", "csv")


class RegisterPdfView(RegisterMixin, TemplateView):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        return _attachment(register_exports.register_pdf(), "application/pdf", "pdf")
