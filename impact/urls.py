"""Social utility: the member's reports and their review, under /espace-membre/utilite-sociale/;
the network's figures as open data, under /donnees/utilite-sociale/. The public page « L'impact
du réseau » is a Wagtail page (impact/pages.py), placed by the editors."""

from django.urls import path

from . import views

app_name = "impact"

PORTAL = "espace-membre/utilite-sociale/"
DATA = "donnees/utilite-sociale/"

urlpatterns = [
    path(PORTAL, views.portal, name="portal"),
    path(f"{PORTAL}relecture/", views.review_list, name="review_list"),
    path(f"{PORTAL}relecture/<int:pk>/", views.review, name="review"),
    path(f"{PORTAL}<int:organisation_pk>/", views.own, name="own"),
    path(f"{PORTAL}<int:organisation_pk>/bilan.pdf", views.own_pdf, name="own_pdf"),
    path(f"{PORTAL}<int:organisation_pk>/bilan.csv", views.own_csv, name="own_csv"),
    path(f"{PORTAL}<int:organisation_pk>/<int:year>/", views.report, name="report"),
    path(
        f"{PORTAL}<int:organisation_pk>/<int:year>/enregistrement-auto/",
        views.autosave,
        name="report_autosave",
    ),
    path(f"{DATA}donnees.csv", views.open_data_csv, name="open_data_csv"),
    path(f"{DATA}donnees.json", views.open_data_json, name="open_data_json"),
    path(f"{DATA}dictionnaire.csv", views.data_dictionary, name="data_dictionary"),
]
