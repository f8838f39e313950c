"""The applicants' addresses, under /candidatures/."""

from django.urls import path

from . import application_views as views

urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("<int:year>/nouvelle/", views.application_start, name="application_start"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/etape/<int:step>/", views.application_step, name="application_step"),
    path(
        "<int:pk>/etape/<int:step>/enregistrement-auto/",
        views.autosave,
        name="application_autosave",
    ),
    path(
        "<int:pk>/pieces/<int:attachment_pk>/supprimer/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/inviter-partenaire/", views.partner_invite, name="partner_invite"),
    path("<int:pk>/apercu/", views.application_preview, name="application_preview"),
    path("piece/<int:pk>/", views.attachment_download, name="attachment"),
    path("partenaire/<str:token>/", views.partner_confirm, name="partner_confirm"),
]
