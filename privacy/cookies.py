"""The cookies a visitor of the site can receive, each strictly necessary to a service they
asked for (CNIL, délibération 2020-091: such cookies need no consent, so the site shows no
banner). The privacy notice lists them from here, and tests/e2e/test_cookies.py checks that a
browser going through the public pages and the payment page receives no other one: a new
cookie must be added here, with its reason, before it can ship.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Cookie:
    name: str
    provider: str
    purpose: str
    lifetime: str


def necessary_cookies():
    """The list, with the names the settings give Django's own cookies."""
    return [
        Cookie(
            settings.CSRF_COOKIE_NAME,
            _("ce site"),
            _("protège les formulaires contre l’envoi par un autre site (sécurité)"),
            _("un an"),
        ),
        Cookie(
            settings.SESSION_COOKIE_NAME,
            _("ce site"),
            _("garde la session de la personne connectée, ou un formulaire en cours"),
            _("%(hours)d heures, ou la fermeture du navigateur")
            % {"hours": settings.SESSION_COOKIE_AGE // 3600},
        ),
        Cookie(
            "__stripe_mid",
            "Stripe",
            _("prévention de la fraude sur la page de paiement en ligne de la cotisation"),
            _("un an"),
        ),
        Cookie(
            "__stripe_sid",
            "Stripe",
            _("prévention de la fraude sur la page de paiement en ligne de la cotisation"),
            _("30 minutes"),
        ),
    ]


def necessary_cookie_names():
    return {cookie.name for cookie in necessary_cookies()}
