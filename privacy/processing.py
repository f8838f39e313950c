"""What the site itself does with personal data, whatever the feature: accounts and their
security, and what any visit leaves (cookies, counters against abuse). Declared like the
apps' own processing (privacy/register.py)."""

from django.utils.translation import gettext_lazy as _

from .register import (
    APPLICANT,
    CONTRACT,
    HOST,
    JUROR,
    LEGITIMATE_INTEREST,
    MAIL,
    MEMBER,
    VISITOR,
    VOLUNTEER,
    Processing,
    register,
)

register(
    Processing(
        slug="privacy-accounts",
        name=_("Comptes et sécurité des connexions"),
        purpose=_(
            "Permettre aux contacts des adhérents, aux candidats, aux jurés, aux bénévoles et à "
            "l’équipe de se connecter à leur espace, et protéger ces comptes contre les "
            "tentatives d’intrusion."
        ),
        legal_basis=CONTRACT,
        audiences=(MEMBER, APPLICANT, JUROR, VOLUNTEER),
        people=_("Toute personne qui a un compte sur le site."),
        data=_(
            "Nom, prénom, adresse e-mail, mot de passe haché (jamais lisible), dates de "
            "connexion ; pour l’équipe, le second facteur d’authentification ; en cas d’échecs "
            "répétés, l’identifiant essayé, l’adresse IP et le navigateur."
        ),
        recipients=_("L’équipe du réseau qui administre le site."),
        retention=_(
            "Tant que la personne garde un rôle sur le site ; les traces des échecs de "
            "connexion, 30 jours."
        ),
        security=_(
            "Mots de passe de 12 caractères au moins, hachés ; blocage après 5 échecs ; second "
            "facteur obligatoire pour l’équipe ; HTTPS ; chaque espace ne montre que les "
            "données de la personne."
        ),
        processors=(HOST, MAIL),
        order=1,
    ),
    Processing(
        slug="privacy-visits",
        name=_("Visites du site et cookies"),
        purpose=_(
            "Faire fonctionner le site (sessions, formulaires) et le protéger contre les abus "
            "(envois en masse, essais de mots de passe)."
        ),
        legal_basis=LEGITIMATE_INTEREST,
        audiences=(VISITOR,),
        people=_("Les visiteurs du site."),
        data=_(
            "Cookies strictement nécessaires (session, protection des formulaires, prévention "
            "de la fraude au paiement) ; adresse IP, comptée sans être gardée en clair pour "
            "limiter le nombre d’envois."
        ),
        recipients=_("Personne : ces données ne quittent pas le site et son hébergeur."),
        retention=_(
            "La durée de chaque cookie (voir le tableau des cookies) ; les compteurs contre "
            "les abus, une heure au plus."
        ),
        security=_("HTTPS ; cookies sécurisés et inaccessibles aux scripts de la page."),
        processors=(HOST,),
        order=2,
    ),
    app_label="privacy",
)
