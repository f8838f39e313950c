"""Site search, under /recherche/ (namespace « search »): the results page and the header box's
autocomplete."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.results, name="results"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
]
