"""The matching views in Wagtail's admin, mounted by wagtail_hooks under /admin/benevolat/ in
the namespace « volunteering_admin »."""

from django.urls import path

from . import admin_views

urlpatterns = [
    path(
        "besoin/<int:pk>/suggestions/",
        admin_views.NeedSuggestionsView.as_view(),
        name="need_suggestions",
    ),
    path(
        "offre/<int:pk>/suggestions/",
        admin_views.OfferSuggestionsView.as_view(),
        name="offer_suggestions",
    ),
    path(
        "mise-en-relation/<int:pk>/",
        admin_views.MatchDetailView.as_view(),
        name="match_detail",
    ),
]
