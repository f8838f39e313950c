"""/espace-membre/: the portal, paying a membership, receipts."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.decorators.cache import never_cache

from .permissions import member_view
from .views import accounts, contacts, invitations, payments, portal, receipts

app_name = "members"

urlpatterns = [
    # The portal, its accounts and contacts.
    path("", portal.portal, name="portal"),
    path("connexion/", accounts.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    # Forgotten password; the same pages let an invited contact choose their first one.
    path(
        "mot-de-passe/oublie/",
        never_cache(accounts.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        never_cache(accounts.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        never_cache(accounts.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe/modifier/",
        member_view(accounts.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path("organisation/<int:pk>/", portal.organisation_detail, name="organisation"),
    path("organisation/<int:pk>/modifier/", portal.organisation_edit, name="organisation_edit"),
    path("organisation/<int:pk>/contacts/", contacts.contacts, name="contacts"),
    path(
        "organisation/<int:pk>/contacts/mes-coordonnees/",
        contacts.contact_update_self,
        name="contact_update_self",
    ),
    path("organisation/<int:pk>/contacts/ajouter/", contacts.contact_add, name="contact_add"),
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path(
        "organisation/<int:pk>/invitations/<int:invitation_pk>/revoquer/",
        contacts.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organisation/<int:pk>/contacts/<int:contact_pk>/retirer/",
        contacts.contact_remove,
        name="contact_remove",
    ),
    path("organisation/<int:pk>/export.json", portal.export_json, name="export_json"),
    path("organisation/<int:pk>/export.csv", portal.export_csv, name="export_csv"),
    # Paying a membership: online (Stripe), or by transfer or cheque.
    path("adhesion/<int:pk>/paiement/", payments.pay, name="pay"),
    path("adhesion/<int:pk>/retour/", payments.payment_return, name="payment_return"),
    path("adhesion/<int:pk>/statut/", payments.payment_status, name="payment_status"),
    path("adhesion/<int:pk>/virement-cheque/", payments.offline, name="offline"),
    path("adhesion/<int:pk>/bulletin.pdf", payments.bulletin_pdf, name="bulletin_pdf"),
    path("organisation/<int:pk>/renouveler/", payments.renew, name="renew"),
    # Receipts, downloaded from the portal.
    path("recu/<int:pk>/", receipts.download_receipt, name="receipt"),
]
