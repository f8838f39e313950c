"""Public addresses of the volunteer matching, under /benevolat/ (namespace « volunteering »).

Each subject keeps its own urls module: submissions (the two public forms and the e-mail
verification), listing (open needs, interest, the company dashboard) and introductions (answers
to a match, the volunteer's and the association's space, confirming a need is still open).
"""

from django.urls import include, path

app_name = "volunteering"

urlpatterns = [
    path("benevolat/", include("forms.submission_urls")),
    path("benevolat/", include("forms.listing_urls")),
    path("benevolat/", include("forms.introduction_urls")),
]
