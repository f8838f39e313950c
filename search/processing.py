"""What this app does with personal data, for the register of processing activities (RGPD art.
30): the statistics and suggestions built from the searches typed on the site.

Each text says what the models really keep (search/models.py, search/query_log.py, Wagtail's
search log) and what the code really does: change it with them. The retention rules are the ones
the deletion command applies.
"""

from django.utils.translation import gettext_lazy as _

from privacy.register import HOST, LEGITIMATE_INTEREST, VISITOR, Processing, register

register(
    Processing(
        slug="search-statistics",
        name=_("Statistiques et suggestions de recherche"),
        purpose=_(
            "Savoir ce que les visiteurs cherchent sur le site pour améliorer les contenus et "
            "les résultats mis en avant, et suggérer des recherches déjà faites par plusieurs "
            "visiteurs."
        ),
        legal_basis=LEGITIMATE_INTEREST,
        audiences=(VISITOR,),
        people=_("Les visiteurs qui utilisent la recherche du site."),
        data=_(
            "Le texte des recherches tapées sur le site (qui peut contenir ce que le visiteur y "
            "a écrit, un nom par exemple) et leur nombre par jour ; pour les recherches qui ont "
            "trouvé des résultats, une empreinte par semaine calculée à partir de l’adresse IP "
            "du visiteur (son réseau, en IPv6) et de la recherche, qui sert seulement à compter "
            "les visiteurs distincts. L’adresse IP elle-même n’est pas enregistrée."
        ),
        recipients=_(
            "Les membres de l’équipe qui gèrent le site ; les autres visiteurs, pour les seules "
            "recherches suggérées (approuvées par l’équipe, ou faites avec des résultats par "
            "plusieurs visiteurs distincts dans la même semaine) ; l’hébergeur."
        ),
        retention=_(
            "Les journaux des recherches sont effacés après 13 mois. Les empreintes des "
            "visiteurs sont effacées après 28 jours (34 au plus, une semaine partant en bloc), "
            "et la clé qui permet de les calculer dès la fin de leur semaine. Les recherches "
            "que l’équipe a approuvées ou bloquées forment une liste éditoriale, détachée de "
            "tout visiteur."
        ),
        security=_(
            "Empreintes calculées avec une clé secrète propre à chaque semaine puis détruite : "
            "ensuite, personne ne peut plus retrouver de quelle adresse elles viennent ; une "
            "recherche n’est jamais suggérée à cause d’un seul visiteur ; seules comptent les "
            "recherches tapées sur le site ; HTTPS."
        ),
        processors=(HOST,),
        order=40,
    ),
    app_label="search",
)
