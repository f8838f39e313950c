"""The register of processing in the admin's settings menu, for those who may read it."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .permissions import can_handle_people, can_view_register


class RegisterMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_register(request.user)[0]


class PeopleMenuItem(MenuItem):
    def is_shown(self, request):
        return can_handle_people(request.user)[0]


@hooks.register("register_admin_urls")
def register_privacy_admin_urls():
    urls = [
        path("", admin_views.RegisterView.as_view(), name="register"),
        path("registre.csv", admin_views.RegisterCsvView.as_view(), name="register_csv"),
        path("registre.pdf", admin_views.RegisterPdfView.as_view(), name="register_pdf"),
        path("personnes/", admin_views.PersonSearchView.as_view(), name="people"),
        path("personnes/<int:pk>/", admin_views.PersonView.as_view(), name="person"),
        path(
            "personnes/<int:pk>/donnees.json",
            admin_views.PersonDownloadView.as_view(),
            name="person_download",
        ),
    ]
    return [path("registre/", include((urls, "privacy_admin"), namespace="privacy_admin"))]


@hooks.register("register_settings_menu_item")
def register_register_menu_item():
    return RegisterMenuItem(
        _("Registre des traitements"),
        reverse("privacy_admin:register"),
        icon_name="doc-full-inverse",
        order=900,
    )


@hooks.register("register_settings_menu_item")
def register_people_menu_item():
    return PeopleMenuItem(
        _("Données d’une personne"),
        reverse("privacy_admin:people"),
        icon_name="user",
        order=901,
    )
