"""The award's addresses: applications (/candidatures/) and the jury area (/jury/)."""

from django.urls import include, path

from . import application_urls, jury_urls

app_name = "awards"

urlpatterns = [
    path("candidatures/", include(application_urls)),
    path("jury/", include(jury_urls)),
]
