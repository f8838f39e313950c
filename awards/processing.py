"""What this app does with personal data, for the register of processing activities (RGPD art.
30): the award's applications, the jury's work and the publication of the laureates.

Each text says what the models really keep (awards/models/, awards/pages.py) and what the code
really does: change it with them. The retention rules are the ones the deletion command applies.
"""

from django.utils.translation import gettext_lazy as _

from privacy.consents import ConsentKind, consent_withdrawn, register_kind
from privacy.register import (
    APPLICANT,
    CONSENT,
    CONTRACT,
    HOST,
    JUROR,
    LEGITIMATE_INTEREST,
    MAIL,
    VISITOR,
    Processing,
    register,
)

from .laureates import withdraw_publication

register(
    Processing(
        slug="awards-applications",
        name=_("Dossiers de candidature au prix « La part des autres »"),
        purpose=_(
            "Recevoir et instruire les candidatures au prix selon son règlement : rédaction du "
            "dossier en plusieurs fois, confirmation du partenariat par l’entreprise, examen de "
            "la recevabilité, décision et information des candidats."
        ),
        legal_basis=CONTRACT,
        audiences=(APPLICANT,),
        people=_(
            "Les contacts des associations candidates, la personne de contact de l’entreprise "
            "partenaire, et les personnes que les textes ou les pièces jointes du dossier "
            "mentionnent ou montrent."
        ),
        data=_(
            "Association candidate et compte de la personne qui dépose le dossier ; description "
            "du partenariat (titre, résumé, dates, territoire, bénéficiaires, apports de chacun, "
            "résultats, perspectives) ; entreprise partenaire (nom, SIRET, secteur, effectif) et "
            "son contact (nom, e-mail, téléphone), dates d’invitation et de confirmation ; "
            "pièces jointes (PDF, PNG ou JPEG : lettres, photos…) avec leur nom et leur "
            "description ; statut, motif de non-recevabilité, prix obtenu, notes de "
            "délibération ; accord de publication."
        ),
        recipients=_(
            "Les membres de l’équipe habilités ; les contacts de l’association ; le contact de "
            "l’entreprise, pour confirmer le partenariat ; les jurés à qui le dossier est "
            "affecté (sans les coordonnées du contact de l’entreprise, et sans les noms en cas "
            "de notation à l’aveugle) ; les prestataires techniques (hébergement, envoi des "
            "e-mails)."
        ),
        retention=_(
            "Les dossiers non lauréats (brouillons compris) et leurs pièces jointes sont effacés "
            "3 ans après leur édition. Les dossiers lauréats sont conservés comme historique "
            "public du prix tant que tient leur accord de publication."
        ),
        security=_(
            "Pièces jointes vérifiées (type reconnu à leur contenu, taille limitée), "
            "enregistrées dans un stockage privé sans adresse publique et servies seulement "
            "après contrôle : contacts de l’association, équipe habilitée après double "
            "authentification, jurés affectés qui n’ont pas déclaré de conflit d’intérêts ; "
            "lien de confirmation de l’entreprise signé ; notation à l’aveugle possible ; HTTPS."
        ),
        processors=(HOST, MAIL),
        order=20,
    ),
    Processing(
        slug="awards-jury",
        name=_("Travail du jury du prix"),
        purpose=_(
            "Composer le jury de chaque édition, affecter les dossiers aux jurés en écartant "
            "les conflits d’intérêts, recueillir leurs notes et commentaires, les relancer, "
            "établir le classement et présenter le jury sur la page du prix."
        ),
        legal_basis=LEGITIMATE_INTEREST,
        audiences=(JUROR,),
        people=_("Les membres du jury de chaque édition."),
        data=_(
            "Prénom, nom et adresse e-mail du compte ; employeur et son SIRET (pour écarter les "
            "conflits d’intérêts) ; présentation publique et choix de l’afficher ; dossiers "
            "affectés, dates et statut de la notation ; déclarations de conflit d’intérêts et "
            "leur motif ; note et commentaire pour chaque critère ; relances envoyées."
        ),
        recipients=_(
            "Les membres de l’équipe habilités (suivi, classement, export des notes) ; les "
            "autres jurés d’un même dossier, si l’édition le prévoit et seulement après avoir "
            "soumis leurs propres notes ; le public, pour le nom et la présentation des jurés "
            "affichés sur la page du prix ; le prestataire d’envoi des e-mails."
        ),
        retention=_(
            "Les notes, commentaires et déclarations de conflit d’intérêts suivent leur dossier "
            "et sont effacés avec lui (3 ans après l’édition pour un dossier non lauréat). La "
            "fiche du juré (employeur, présentation, relances) est effacée 3 ans après son "
            "édition."
        ),
        security=_(
            "Chaque juré ne voit que les dossiers déposés qui lui sont affectés et perd l’accès "
            "aux pièces jointes dès qu’il déclare un conflit d’intérêts ; l’équipe n’accède aux "
            "notes qu’avec une permission explicite et après une double authentification ; "
            "HTTPS."
        ),
        processors=(HOST, MAIL),
        order=21,
    ),
    Processing(
        slug="awards-laureates",
        name=_("Publication des lauréats du prix"),
        purpose=_(
            "Faire connaître les partenariats primés : une page par lauréat sur le site, "
            "présentant l’association, l’entreprise partenaire et leur action."
        ),
        legal_basis=CONSENT,
        audiences=(APPLICANT, VISITOR),
        people=_(
            "Les associations lauréates, leurs entreprises partenaires et les personnes que les "
            "textes ou les photos publiés mentionnent ou montrent."
        ),
        data=_(
            "Nom de l’association et de l’entreprise, prix reçu ; titre, résumé, apports de "
            "chacun, bénéficiaires, résultats et perspectives du partenariat, repris du dossier ; "
            "photos et vidéos que l’équipe ajoute à la page."
        ),
        recipients=_(
            "Le public : les pages des lauréats sont en ligne, trouvées par la recherche du site "
            "et par les moteurs de recherche."
        ),
        retention=_(
            "Les pages des lauréats restent en ligne comme historique public du prix tant que "
            "tient l’accord de publication ; s’il est retiré, l’équipe dépublie la page."
        ),
        security=_(
            "Rien n’est publié sans l’accord donné dans le dossier ; les pages ne reprennent que "
            "les textes du partenariat, jamais les coordonnées, les pièces jointes, les notes du "
            "jury ni les délibérations ; seule l’équipe habilitée les publie ou les modifie."
        ),
        processors=(HOST,),
        order=22,
    ),
    app_label="awards",
)


# --- The consent this app asks for, and what its withdrawal does -----------------------------

PUBLICATION = "award-publication"
PUBLICATION_CONSENT_LABEL = _(
    "Nous acceptons que le dossier (titre, résumé, partenaires, résultats) soit publié sur le "
    "site s’il est lauréat."
)

register_kind(
    ConsentKind(
        PUBLICATION,
        _("Publication du dossier au prix « La part des autres » s’il est lauréat"),
        processing="awards-laureates",
        effect=_(
            "Le dossier ne sera pas publié s’il est lauréat ; s’il l’est déjà, sa page est "
            "retirée du site aussitôt."
        ),
    )
)


def _publication_withdrawn(sender, consent, **kwargs):
    if consent.kind != PUBLICATION or consent.object_model != "awards.application":
        return

    withdraw_publication(int(consent.object_id), user=consent.user)


consent_withdrawn.connect(_publication_withdrawn, dispatch_uid="awards-publication-withdrawn")
