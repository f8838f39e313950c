"""The jury area, under /jury/."""

from django.urls import path

from . import jury_views

urlpatterns = [
    path("", jury_views.home, name="jury_home"),
    path("dossiers/<int:pk>/", jury_views.application, name="jury_application"),
    path("dossiers/<int:pk>/notes/", jury_views.score, name="jury_score"),
    path("dossiers/<int:pk>/conflit/", jury_views.conflict, name="jury_conflict"),
]
