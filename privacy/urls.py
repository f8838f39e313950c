from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("telecharger.<str:fmt>", views.download, name="download"),
    path("consentements/<int:pk>/retirer/", views.withdraw, name="withdraw"),
]
