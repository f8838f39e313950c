"""What this app does with personal data, for the register of processing activities (RGPD art.
30): the members' social-utility reports and their review. The reports are about
organisations; what is personal is who filled and reviewed them and what may be typed as free
text. The network's figures are aggregates of 5 organisations or more, with no free text: they
hold no personal data.

Each text says what the models really keep (impact/models/) and what the code really does:
change it with them."""

from django.utils.translation import gettext_lazy as _

from privacy.register import HOST, LEGITIMATE_INTEREST, MAIL, MEMBER, Processing, register

register(
    Processing(
        slug="impact-reports",
        name=_("Rapports d’utilité sociale des adhérents et leur relecture"),
        purpose=_(
            "Recueillir chaque année les indicateurs d’utilité sociale des organisations "
            "adhérentes, les faire relire par l’équipe ou par un adhérent désigné, rendre à "
            "chaque organisation son propre bilan et publier les chiffres du réseau, agrégés."
        ),
        legal_basis=LEGITIMATE_INTEREST,
        audiences=(MEMBER,),
        people=_(
            "Les contacts des organisations adhérentes qui remplissent les rapports ; les "
            "relecteurs (membres de l’équipe ou d’une autre organisation adhérente) ; les "
            "personnes que les réponses en texte libre ou les commentaires mentionneraient."
        ),
        data=_(
            "Par organisation et par campagne : les réponses aux indicateurs (nombres, montants, "
            "pourcentages, échelles, oui/non, texte libre), « non applicable », commentaires et "
            "sources, statut et dates de remise et de relecture ; le relecteur désigné, ses avis "
            "et ses remarques."
        ),
        recipients=_(
            "Les contacts de l’organisation ; son relecteur désigné ; les membres de l’équipe "
            "habilités ; le public, pour les seuls chiffres agrégés du réseau (au moins 5 "
            "organisations par chiffre, jamais de texte libre) ; les prestataires techniques "
            "(hébergement, envoi des e-mails)."
        ),
        retention=_(
            "Les rapports restent attachés à leur organisation. Quand elle est pseudonymisée, 3 "
            "ans après la fin de sa dernière adhésion, les réponses en texte libre, les "
            "commentaires, les sources, les remarques du relecteur et le relecteur désigné sont "
            "effacés ; seuls restent les nombres, qui n’identifient plus personne et gardent "
            "intacts les chiffres des années passées."
        ),
        security=_(
            "Chaque contact ne voit que les rapports de ses organisations, un relecteur que ceux "
            "qui lui sont confiés et jamais celui de sa propre organisation ; l’équipe n’y "
            "accède qu’avec une permission explicite et après une double authentification ; les "
            "chiffres publics sont publiés d’un coup par campagne, et une part trop petite (y "
            "compris par différence) n’est jamais montrée."
        ),
        processors=(HOST, MAIL),
        order=50,
    ),
    app_label="impact",
)
