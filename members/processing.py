"""What this app does with personal data, for the register of processing activities (RGPD art.
30): memberships and their contacts, the payment of dues, and the accounting records.

Each text says what the models really keep (members/models/) and what the code really does:
change it with them. The retention rules are the ones the deletion command applies.
"""

from django.utils.translation import gettext_lazy as _

from privacy.consents import ConsentKind, register_kind
from privacy.register import (
    CONTRACT,
    HOST,
    LEGAL_OBLIGATION,
    MAIL,
    MEMBER,
    STRIPE,
    Processing,
    register,
)

register(
    Processing(
        slug="members-memberships",
        name=_("Adhésions et contacts des organisations adhérentes"),
        purpose=_(
            "Recevoir le bulletin d’adhésion, tenir la liste des organisations adhérentes et de "
            "leurs contacts, ouvrir et gérer leur espace membre (comptes, invitations de "
            "nouveaux contacts), suivre les adhésions de chaque année et envoyer les relances "
            "de renouvellement."
        ),
        legal_basis=CONTRACT,
        audiences=(MEMBER,),
        people=_(
            "Les personnes qui agissent pour une organisation adhérente ou candidate à "
            "l’adhésion (président·e, trésorier·ère, secrétaire, directeur·rice…), et les "
            "personnes invitées à devenir contact d’une organisation."
        ),
        data=_(
            "Organisation : nom, forme juridique, numéro RNA, SIRET, adresse, département, "
            "secteurs, nombre de salariés et de bénévoles, tranche de budget. Contacts : prénom, "
            "nom, adresse e-mail (identifiant de connexion), mot de passe (haché, jamais "
            "lisible), fonction, téléphone, contact principal ou non, date de dernière "
            "connexion. Invitations : adresse e-mail, prénom, nom, fonction, téléphone de la "
            "personne invitée, auteur, dates et statut de l’invitation (le lien envoyé n’est "
            "conservé que sous forme d’empreinte). Adhésions : année, période, tranche, montant, "
            "statut, dates ; relances de renouvellement envoyées."
        ),
        recipients=_(
            "Les membres de l’équipe de l’association habilités à suivre les adhérents ; les "
            "autres contacts de la même organisation, dans l’espace membre ; les prestataires "
            "techniques (hébergement, envoi des e-mails), pour le seul compte de l’association."
        ),
        retention=_(
            "Pendant l’adhésion. Les contacts d’une organisation qui n’adhère plus sont effacés "
            "3 ans après la fin de sa dernière adhésion (plus tard si elle a encore un besoin "
            "de bénévole ouvert ou un dossier au prix en cours) ; l’organisation est alors "
            "pseudonymisée (nom, adresse, RNA et SIRET effacés) et ses invitations supprimées. "
            "Seuls restent les faits non identifiants utilisés pour les statistiques "
            "(département, forme juridique, taille, secteurs). Une invitation acceptée, "
            "révoquée ou expirée est effacée 30 jours après."
        ),
        security=_(
            "Site servi uniquement en HTTPS ; mots de passe hachés ; tentatives de connexion "
            "limitées ; chaque contact ne voit que ses propres organisations ; l’équipe n’y "
            "accède qu’avec une permission explicite et après une double authentification ; les "
            "liens d’invitation ne servent qu’une fois, expirent après 7 jours et seule leur "
            "empreinte est enregistrée."
        ),
        processors=(HOST, MAIL),
        order=10,
    ),
    Processing(
        slug="members-dues",
        name=_("Paiement des cotisations"),
        purpose=_(
            "Calculer la cotisation selon la grille de l’année, l’encaisser en ligne (carte "
            "bancaire ou prélèvement SEPA) ou enregistrer un virement ou un chèque, et activer "
            "l’adhésion une fois le paiement reçu."
        ),
        legal_basis=CONTRACT,
        audiences=(MEMBER,),
        people=_(
            "Les contacts des organisations adhérentes qui paient ou déclarent un paiement, les "
            "titulaires des cartes et des comptes débités, les membres de l’équipe qui "
            "enregistrent un paiement reçu."
        ),
        data=_(
            "Montant, moyen de paiement, statut, référence du paiement, dates ; identifiants "
            "Stripe du paiement et du débit ; identifiants et types des notifications reçues de "
            "Stripe ; membre de l’équipe ayant enregistré un virement ou un chèque. Aucun numéro "
            "de carte ni IBAN n’est conservé par le site : ils sont saisis dans le formulaire de "
            "Stripe et ne passent que par Stripe."
        ),
        recipients=_(
            "Les membres de l’équipe habilités à suivre les paiements ; les contacts de "
            "l’organisation ; Stripe, pour les paiements en ligne ; les prestataires techniques "
            "(hébergement, envoi des e-mails)."
        ),
        retention=_(
            "Le temps du paiement et de l’adhésion concernée ; les paiements deviennent ensuite "
            "des pièces comptables conservées 10 ans (voir « Comptabilité des cotisations et "
            "reçus »)."
        ),
        security=_(
            "Paiement en HTTPS sur une page du site avec le formulaire de Stripe : les données "
            "de carte ne transitent pas par nos serveurs ; le montant est calculé par le "
            "serveur ; les notifications de Stripe sont signées, leur signature est vérifiée, "
            "chacune n’est traitée qu’une fois et le paiement est relu chez Stripe avant tout "
            "changement ; accès de l’équipe sur permission et après double authentification."
        ),
        processors=(HOST, MAIL, STRIPE),
        transfers=_(
            "Stripe Payments Europe Ltd (Irlande) peut transférer des données de paiement vers "
            "les États-Unis, encadrés par les clauses contractuelles types de la Commission "
            "européenne et le cadre de protection des données UE–États-Unis."
        ),
        order=11,
    ),
    Processing(
        slug="members-accounting",
        name=_("Comptabilité des cotisations et reçus"),
        purpose=_(
            "Tenir la comptabilité des cotisations reçues, émettre les reçus de cotisation "
            "(attestations d’adhésion) numérotés, les envoyer aux contacts de l’organisation et "
            "les conserver comme pièces justificatives."
        ),
        legal_basis=LEGAL_OBLIGATION,
        audiences=(MEMBER,),
        people=_(
            "Les organisations adhérentes et les contacts qui reçoivent leurs reçus ; les "
            "membres de l’équipe qui enregistrent les paiements."
        ),
        data=_(
            "Paiements reçus (montant, date, moyen, référence, identifiants Stripe) ; reçus : "
            "numéro, date d’émission, date d’envoi et fichier PDF, qui reprend le nom, l’adresse, "
            "le RNA ou le SIRET de l’organisation, l’année, la période, la tranche et le montant "
            "de la cotisation."
        ),
        recipients=_(
            "Les membres de l’équipe habilités ; les contacts de l’organisation, qui reçoivent "
            "et téléchargent ses reçus ; l’administration fiscale en cas de contrôle ; le "
            "prestataire d’envoi des e-mails."
        ),
        retention=_(
            "10 ans à compter de la clôture de l’exercice (obligation comptable, Code de "
            "commerce, art. L123-22). Les personnes qui y figurent sont pseudonymisées dès que "
            "les autres données de leur organisation sont effacées : le montant, la date et le "
            "numéro restent."
        ),
        security=_(
            "Reçus enregistrés dans un stockage privé, sans adresse publique, et servis "
            "seulement après contrôle de la personne qui les demande (contacts de "
            "l’organisation, équipe habilitée après double authentification) ; reçus numérotés "
            "sans trou ni doublon, régénérés seulement pour en retirer une organisation "
            "pseudonymisée (numéro, dates et montants inchangés) ; HTTPS."
        ),
        processors=(HOST, MAIL),
        order=12,
    ),
    app_label="members",
)


# --- What the bulletin has people accept -------------------------------------------------------
# Acceptances rather than consents (the basis is the membership contract): recorded with their
# text like a consent, but ended by leaving the association, not by a click.

STATUTES = "membership-statutes"
PRIVACY_NOTICE = "membership-privacy"

register_kind(
    ConsentKind(
        STATUTES,
        _("Adhésion aux statuts de l’association"),
        processing="members-memberships",
        withdrawable=False,
    ),
    ConsentKind(
        PRIVACY_NOTICE,
        _("Lecture de la politique de confidentialité (adhésion)"),
        processing="members-memberships",
        withdrawable=False,
    ),
)
