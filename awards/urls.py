"""The award's addresses: applications (/candidatures/) and the jury area (/jury/)."""

from django.urls import path

from .views import applications, jury

app_name = "awards"

urlpatterns = [
    # An applicant's dossiers, their steps and attachments; the partner company's confirmation.
    path("candidatures/", applications.application_list, name="application_list"),
    path(
        "candidatures/<int:year>/nouvelle/",
        applications.application_start,
        name="application_start",
    ),
    path("candidatures/<int:pk>/", applications.application_detail, name="application_detail"),
    path(
        "candidatures/<int:pk>/etape/<int:step>/",
        applications.application_step,
        name="application_step",
    ),
    path(
        "candidatures/<int:pk>/etape/<int:step>/enregistrement-auto/",
        applications.autosave,
        name="application_autosave",
    ),
    path(
        "candidatures/<int:pk>/pieces/<int:attachment_pk>/supprimer/",
        applications.attachment_delete,
        name="attachment_delete",
    ),
    path(
        "candidatures/<int:pk>/inviter-partenaire/",
        applications.partner_invite,
        name="partner_invite",
    ),
    path(
        "candidatures/<int:pk>/apercu/",
        applications.application_preview,
        name="application_preview",
    ),
    path("candidatures/piece/<int:pk>/", applications.attachment_download, name="attachment"),
    path(
        "candidatures/partenaire/<str:token>/",
        applications.partner_confirm,
        name="partner_confirm",
    ),
    # The jury area: a juror's assigned dossiers, scoring, declaring a conflict of interest.
    path("jury/", jury.home, name="jury_home"),
    path("jury/dossiers/<int:pk>/", jury.application, name="jury_application"),
    path("jury/dossiers/<int:pk>/notes/", jury.score, name="jury_score"),
    path("jury/dossiers/<int:pk>/conflit/", jury.conflict, name="jury_conflict"),
]
