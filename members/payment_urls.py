"""Paying a membership: online (Stripe), or by transfer or cheque."""

from django.urls import path

from . import payment_views

urlpatterns = [
    path("adhesion/<int:pk>/paiement/", payment_views.pay, name="pay"),
    path("adhesion/<int:pk>/retour/", payment_views.payment_return, name="payment_return"),
    path("adhesion/<int:pk>/statut/", payment_views.payment_status, name="payment_status"),
    path("adhesion/<int:pk>/virement-cheque/", payment_views.offline, name="offline"),
    path("adhesion/<int:pk>/bulletin.pdf", payment_views.bulletin_pdf, name="bulletin_pdf"),
    path("organisation/<int:pk>/renouveler/", payment_views.renew, name="renew"),
]
