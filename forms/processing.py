"""What this app does with personal data, for the register of processing activities (RGPD art.
30): the matching of volunteers with associations' boards, the partner companies, and the forms
editors build in Wagtail.

Each text says what the models really keep (forms/models/, forms/pages.py) and what the code
really does: change it with them. The retention rules are the ones the deletion command applies.
"""

from django.utils.translation import gettext_lazy as _

from privacy.consents import ConsentKind, consent_withdrawn, register_kind
from privacy.register import (
    CONSENT,
    HOST,
    LEGITIMATE_INTEREST,
    MAIL,
    VISITOR,
    VOLUNTEER,
    Processing,
    register,
)

from . import availability

register(
    Processing(
        slug="forms-volunteering",
        name=_("Mise en relation de bénévoles et d’associations"),
        purpose=_(
            "Recueillir les offres de bénévoles prêts à rejoindre un conseil d’administration et "
            "les besoins d’administrateurs des associations, publier les besoins ouverts, "
            "proposer des rapprochements (score de correspondance calculé à partir des "
            "compétences, du territoire et de la disponibilité, la décision restant à "
            "l’équipe), mettre les deux parties en relation et suivre la suite donnée."
        ),
        legal_basis=CONSENT,
        audiences=(VOLUNTEER,),
        people=_(
            "Les bénévoles qui proposent leurs compétences, les contacts des associations qui "
            "déposent un besoin, et les personnes qui ont rempli l’un de ces formulaires sans "
            "encore confirmer leur adresse e-mail."
        ),
        data=_(
            "Bénévoles : prénom, nom, adresse e-mail, téléphone, entreprise, métier, compétences "
            "et niveaux, disponibilité (heures par mois), départements, secteurs préférés, "
            "motivation, choix d’un profil anonyme, statut, date du consentement. Besoins : "
            "association, personne qui le dépose (prénom, nom, e-mail, fonction, téléphone), "
            "fonction recherchée, compétences, temps demandé, durée du mandat, département, "
            "commune, description, visibilité, statut, dates de confirmation et date du "
            "consentement. Mises en relation : score, origine, message du bénévole, réponses de "
            "chaque partie et leurs dates, relances, notes de suivi de l’équipe. Dépôts en "
            "attente de confirmation : adresse e-mail, données saisies, langue."
        ),
        recipients=_(
            "Les membres de l’équipe habilités ; le public, pour les besoins ouverts et publics "
            "(association, fonction, compétences, territoire, description, jamais le nom d’une "
            "personne) ; l’association mise en relation, qui voit les compétences, la "
            "disponibilité et les départements du bénévole, puis ses nom, e-mail, téléphone, "
            "entreprise, métier et motivation une fois que les deux parties ont accepté (dès la "
            "mise en relation s’il a choisi un profil non anonyme) ; le bénévole, qui reçoit "
            "alors l’adresse de l’association et les coordonnées de ses contacts ; l’entreprise "
            "du bénévole, qui ne voit que des chiffres agrégés, jamais de nom ; le prestataire "
            "d’envoi des e-mails."
        ),
        retention=_(
            "Les offres et les besoins dont l’adresse e-mail n’a jamais été confirmée sont "
            "effacés au plus tard 30 jours après leur envoi. Les offres et les besoins clos "
            "(offres retirées ; besoins pourvus, fermés ou expirés) sont effacés, avec leurs "
            "mises en relation, 2 ans après leur dernière activité. Les autres sont conservés "
            "tant qu’ils sont actifs ; le consentement peut être retiré à tout moment."
        ),
        security=_(
            "Confirmation de l’adresse e-mail par un lien signé, valable 48 heures et utilisable "
            "une fois, avant toute création ; formulaires protégés contre les robots et limités "
            "en nombre d’envois ; profil anonyme jusqu’à l’accord des deux parties ; réponses "
            "par liens signés ; jamais de mise en relation avec une association dont le "
            "bénévole est contact ou que son entreprise soutient déjà ; tableau de bord des "
            "entreprises en chiffres agrégés, les petits effectifs masqués ; accès de l’équipe "
            "sur permission et après double authentification ; HTTPS."
        ),
        processors=(HOST, MAIL),
        order=30,
    ),
    Processing(
        slug="forms-companies",
        name=_("Entreprises partenaires du bénévolat de compétences"),
        purpose=_(
            "Suivre les entreprises dont les salariés deviennent bénévoles (programme RSE ou "
            "mécénat de compétences), leurs contacts, et leur donner accès au tableau de bord "
            "de leur programme."
        ),
        legal_basis=LEGITIMATE_INTEREST,
        audiences=(VOLUNTEER,),
        people=_(
            "Les personnes de contact des entreprises partenaires et les salariés qui ont accès "
            "au tableau de bord de leur entreprise."
        ),
        data=_(
            "Entreprise (nom, SIRET, secteur, taille, programme RSE, associations déjà "
            "partenaires) ; nom, adresse e-mail et téléphone du contact ; comptes ayant accès au "
            "tableau de bord."
        ),
        recipients=_(
            "Les membres de l’équipe habilités ; les prestataires techniques (hébergement, envoi "
            "des e-mails)."
        ),
        retention=_(
            "Pendant le partenariat avec l’entreprise, puis 2 ans après sa dernière activité "
            "(dernière offre de bénévole ou mise en relation)."
        ),
        security=_(
            "Le tableau de bord ne montre que des chiffres agrégés, jamais de nom ; il n’est "
            "ouvert qu’aux comptes désignés par l’équipe ; accès de l’équipe sur permission et "
            "après double authentification ; HTTPS."
        ),
        processors=(HOST, MAIL),
        order=31,
    ),
    Processing(
        slug="forms-form-pages",
        name=_("Formulaires du site"),
        purpose=_(
            "Recevoir les messages et les inscriptions envoyés par les formulaires que l’équipe "
            "publie sur le site (contact, inscription à une journée d’étude ou à un webinaire), "
            "y répondre et confirmer leur réception."
        ),
        legal_basis=LEGITIMATE_INTEREST,
        audiences=(VISITOR,),
        people=_("Les personnes qui remplissent un formulaire du site."),
        data=_(
            "Les réponses aux champs que l’équipe a prévus pour chaque formulaire (le plus "
            "souvent nom, adresse e-mail, organisation, message ou choix d’inscription) et la "
            "date d’envoi."
        ),
        recipients=_(
            "Les membres de l’équipe qui gèrent le formulaire dans l’administration et les "
            "adresses de l’équipe auxquelles il envoie les réponses ; la personne elle-même, "
            "qui reçoit une confirmation ; le prestataire d’envoi des e-mails."
        ),
        retention=_("2 ans après leur envoi."),
        security=_(
            "Formulaires protégés contre les robots et limités en nombre d’envois par adresse ; "
            "pages jamais mises en cache ; réponses consultables seulement dans "
            "l’administration, par les personnes habilitées ; HTTPS."
        ),
        processors=(HOST, MAIL),
        order=32,
    ),
    app_label="forms",
)


# --- The consents this app asks for, and what their withdrawal does ---------------------------

OFFER = "volunteering-offer"
NEED = "volunteering-need"

register_kind(
    ConsentKind(
        OFFER,
        _("Utilisation de mon offre de bénévolat pour des mises en relation"),
        processing="forms-volunteering",
        effect=_(
            "Votre offre est retirée : elle n’est plus proposée aux associations, et les mises "
            "en relation en attente s’arrêtent."
        ),
    ),
    ConsentKind(
        NEED,
        _("Utilisation du besoin d’administrateur pour des mises en relation"),
        processing="forms-volunteering",
        effect=_(
            "Le besoin est fermé : il quitte la liste publique et n’est plus proposé aux bénévoles."
        ),
    ),
)


def _volunteering_withdrawn(sender, consent, **kwargs):

    if consent.kind == OFFER and consent.object_model == "forms.volunteeroffer":
        availability.withdraw_offer(int(consent.object_id))
    elif consent.kind == NEED and consent.object_model == "forms.boardneed":
        availability.withdraw_need(int(consent.object_id))


consent_withdrawn.connect(_volunteering_withdrawn, dispatch_uid="forms-consent-withdrawn")
