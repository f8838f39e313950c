"""The member portal's addresses (under /espace-membre/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.portal, name="portal"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("organisation/<int:pk>/", views.organisation_detail, name="organisation"),
]
