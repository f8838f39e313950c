"""Public addresses of the volunteer matching, under /benevolat/ (namespace « volunteering »)."""

from django.urls import path

from .views import introductions, listing, submissions

app_name = "volunteering"

urlpatterns = [
    # The two public forms, the thank-you page and the e-mailed verification link.
    path("benevolat/besoins/deposer/", submissions.need_submit, name="need_submit"),
    path("benevolat/proposer/", submissions.offer_submit, name="offer_submit"),
    path("benevolat/verifier/<str:token>/", submissions.verify, name="verify"),
    path("benevolat/merci/", submissions.submitted, name="submitted"),
    # The open needs, a volunteer's interest, the company dashboard.
    path("benevolat/besoins/", listing.needs, name="needs"),
    path("benevolat/besoins/<int:pk>/", listing.need_detail, name="need_detail"),
    path("benevolat/besoins/<int:pk>/interet/", listing.need_interest, name="need_interest"),
    path("benevolat/entreprise/", listing.company_dashboard, name="company_dashboard"),
    # Answering an introduction, one's own space, confirming a need is still open.
    path(
        "benevolat/mise-en-relation/<str:token>/", introductions.match_answer, name="match_answer"
    ),
    path("benevolat/mon-espace/", introductions.my_space, name="my_space"),
    path(
        "benevolat/mon-espace/mise-en-relation/<int:pk>/<str:side>/",
        introductions.my_space_answer,
        name="my_space_answer",
    ),
    path(
        "benevolat/besoins/<int:pk>/confirmer/<str:token>/",
        introductions.need_confirm,
        name="need_confirm",
    ),
]
