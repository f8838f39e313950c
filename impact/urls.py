"""The member's social-utility reports, under /espace-membre/utilite-sociale/."""

from django.urls import path

from . import views

app_name = "impact"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("relecture/", views.review_list, name="review_list"),
    path("relecture/<int:pk>/", views.review, name="review"),
    path("<int:organisation_pk>/<int:year>/", views.report, name="report"),
    path(
        "<int:organisation_pk>/<int:year>/enregistrement-auto/",
        views.autosave,
        name="report_autosave",
    ),
]
