"""Submission addresses, included by forms/urls.py under /benevolat/: the two public forms,
the thank-you page and the e-mailed verification link."""

from django.urls import path

from . import submission_views as views

urlpatterns = [
    path("besoins/deposer/", views.need_submit, name="need_submit"),
    path("proposer/", views.offer_submit, name="offer_submit"),
    path("verifier/<str:token>/", views.verify, name="verify"),
    path("merci/", views.submitted, name="submitted"),
]
