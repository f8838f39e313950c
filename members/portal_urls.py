"""The member portal's addresses (under /espace-membre/)."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.decorators.cache import never_cache

from . import views
from .permissions import member_view

urlpatterns = [
    path("", views.portal, name="portal"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    # Forgotten password; the same pages let an invited contact choose their first one.
    path(
        "mot-de-passe/oublie/",
        never_cache(views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        never_cache(views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        never_cache(views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe/modifier/",
        member_view(views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path("organisation/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisation/<int:pk>/modifier/", views.organisation_edit, name="organisation_edit"),
    path("organisation/<int:pk>/contacts/", views.contacts, name="contacts"),
    path(
        "organisation/<int:pk>/contacts/mes-coordonnees/",
        views.contact_update_self,
        name="contact_update_self",
    ),
    path("organisation/<int:pk>/contacts/ajouter/", views.contact_add, name="contact_add"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path(
        "organisation/<int:pk>/invitations/<int:invitation_pk>/revoquer/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organisation/<int:pk>/contacts/<int:contact_pk>/retirer/",
        views.contact_remove,
        name="contact_remove",
    ),
    path("organisation/<int:pk>/export.json", views.export_json, name="export_json"),
    path("organisation/<int:pk>/export.csv", views.export_csv, name="export_csv"),
]
