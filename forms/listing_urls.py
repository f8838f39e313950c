"""Listing addresses, included by forms/urls.py under /benevolat/: the open needs, a need's page,
a volunteer's interest, and the company dashboard."""

from django.urls import path

from . import listing_views

urlpatterns = [
    path("besoins/", listing_views.needs, name="needs"),
    path("besoins/<int:pk>/", listing_views.need_detail, name="need_detail"),
    path("besoins/<int:pk>/interet/", listing_views.need_interest, name="need_interest"),
    path("entreprise/", listing_views.company_dashboard, name="company_dashboard"),
]
