"""The home page and the pages that present the network: the association and its axes."""

from __future__ import annotations

from home.models import HomePage, StandardPage

from .images import alt_text
from .news import actualites_spec
from .participation import adherer_spec, benevolat_spec, prix_spec
from .text import (
    HOME_SLUG,
    ImageRef,
    PageSpec,
    call_to_action,
    card,
    heading,
    image,
    key_figures,
    p,
    paragraph,
    quote,
    ul,
)


def home_page_spec() -> PageSpec:
    return PageSpec(
        HomePage,
        HOME_SLUG,
        "Accueil",
        {
            "hero_title": "Faire grandir les petites associations, ensemble",
            "hero_text": (
                "Conseil, mise en réseau, partenariats avec les entreprises : nous aidons les "
                "associations de solidarité des Pays de la Loire à consolider leur projet."
            ),
            "hero_image": ImageRef("hero"),
            "hero_image_alt": "",  # abstract shapes: decorative
            "introduction": (
                "Coup de Pousse rassemble des associations de petite et moyenne taille engagées "
                "dans l'économie sociale et solidaire. Nous les aidons à gagner en solidité sans "
                "rien perdre de ce qui fait leur singularité."
            ),
            "highlights": [
                card(
                    "Adhérer",
                    "Rejoignez un réseau de pairs, profitez de nos accompagnements et faites "
                    "entendre la voix des petites structures.",
                    "Devenir adhérent",
                    "adherer",
                ),
                card(
                    "Prix « La part des autres »",
                    "Un prix qui distingue les partenariats durables entre une association et "
                    "une entreprise de son territoire.",
                    "Découvrir le prix",
                    "prix-la-part-des-autres",
                ),
                card(
                    "Bénévolat de gouvernance",
                    "Des salariés d'entreprise rejoignent le conseil d'administration d'une "
                    "association : nous organisons la rencontre.",
                    "Proposer ou chercher un administrateur",
                    "benevolat-gouvernance",
                ),
                card(
                    "Actualités",
                    "Webinaires, impact social, vie du prix : suivez ce qui se passe dans le "
                    "réseau et chez nos adhérents.",
                    "Lire les actualités",
                    "actualites",
                ),
            ],
            "body": [
                key_figures(
                    "Le réseau en quelques chiffres",
                    ("4", "axes d'innovation", "pour renforcer le modèle associatif"),
                    ("19", "binômes candidats", "à l'édition 2018 du prix"),
                    ("3", "prix remis", "lors de l'édition 2018"),
                    ("9", "webinaires", "sur la gestion associative, en replay"),
                ),
                call_to_action(
                    "Votre association cherche un second souffle ?",
                    "Gouvernance, financements, évaluation : parlons-en. L'adhésion vous ouvre "
                    "nos ateliers, nos rencontres et l'appui de toute l'équipe.",
                    "Adhérer au réseau",
                    "adherer",
                ),
            ],
        },
        children=[
            association_spec(),
            axes_spec(),
            adherer_spec(),
            prix_spec(),
            benevolat_spec(),
            actualites_spec(),
        ],
    )


def association_spec() -> PageSpec:
    return PageSpec(
        StandardPage,
        "association",
        "L'association",
        {
            "introduction": (
                "Coup de Pousse est né d'un constat que partagent beaucoup de responsables "
                "associatifs : les petites structures portent des missions essentielles avec des "
                "moyens trop limités. Voici d'où nous venons et ce qui nous anime."
            ),
            "body": [
                heading("Comment l'idée a germé"),
                paragraph(
                    p(
                        "Tout est parti d'observations de terrain. Les associations de petite "
                        "taille manquent souvent de bras, de trésorerie, d'outils et surtout de "
                        "temps. Pourtant, quand elles remplissent une mission d'utilité sociale, "
                        "elles ne peuvent pas se permettre de s'arrêter : les besoins auxquels "
                        "elles répondent, eux, n'attendent pas."
                    ),
                    p(
                        "Nous avons fait l'hypothèse que chacune invente sa propre manière de "
                        "tenir : certaines innovent, d'autres saisissent les occasions, d'autres "
                        "encore subissent. À l'heure des regroupements et des mutualisations, ce "
                        "sont elles qui sont les plus exposées. Or un tissu associatif varié est "
                        "une condition de l'innovation sociale et de services accessibles et de "
                        "qualité."
                    ),
                    p(
                        "Pour éprouver cette intuition, nous avons mené une étude auprès "
                        "d'acteurs de secteurs très différents (solidarité, médico-social, "
                        "éducation populaire, économie sociale), tous engagés dans des "
                        "organisations de taille modeste. Elle a fait ressortir les services qui "
                        "leur seraient le plus utiles et qu'elles trouvent rarement près de chez "
                        "elles."
                    ),
                ),
                image(
                    "network",
                    alt_text("network"),
                    "Un réseau, c'est d'abord des liens entre des structures qui se ressemblent.",
                ),
                heading("Les leviers que nous avons repérés"),
                paragraph(
                    p("L'étude a mis en lumière plusieurs leviers pour renforcer les structures :"),
                    ul(
                        "associer davantage bénévoles, salariés, partenaires et personnes "
                        "accompagnées aux décisions ;",
                        "nouer des alliances avec d'autres acteurs pour mieux répondre aux "
                        "besoins sociaux d'un territoire ;",
                        "installer une culture de l'évaluation, pour rendre visibles les effets "
                        "de l'action qui échappent aux chiffres ;",
                        "choisir des outils de gestion qui rendent compte de l'utilité sociale et "
                        "de la valeur immatérielle créée ;",
                        "penser les partenariats avec les entreprises comme une innovation "
                        "partagée plutôt que comme un simple don ;",
                        "ouvrir la gouvernance pour que chaque partie prenante y soit "
                        "représentée ;",
                        "diversifier les sources de financement, même lorsque l'on répond à une "
                        "politique publique.",
                    ),
                ),
                heading("Le cœur de notre projet"),
                paragraph(
                    p(
                        "Notre raison d'être : aider les petites et moyennes organisations de la "
                        "solidarité, et plus largement de l'économie sociale et solidaire, à "
                        "renforcer leurs capacités. Concrètement, nous les accompagnons pour "
                        "qu'elles se professionnalisent et adoptent les pratiques qui leur "
                        "permettront de durer."
                    ),
                    p(
                        "Nous travaillons à leurs côtés, jamais à leur place. Prendre du recul, "
                        "comprendre ce qui coince, voir dans chaque difficulté une occasion "
                        "d'apprendre : c'est ainsi que le changement devient possible et que les "
                        "équipes se remobilisent."
                    ),
                ),
                quote(
                    "Avancer main dans la main : ni à la place des associations, ni loin d'elles.",
                    "Notre principe d'accompagnement",
                ),
                heading("Nos enjeux"),
                paragraph(
                    p(
                        "Pour notre premier programme, de 2016 à 2018, nous nous étions donné "
                        "quatre priorités :"
                    ),
                    ul(
                        "ouvrir le conseil aux plus petites structures, qui y ont rarement accès ;",
                        "faire évoluer le regard que le monde associatif porte sur les "
                        "entreprises, et réciproquement ;",
                        "expérimenter des services de recherche de financements pensés pour les "
                        "très petites associations ;",
                        "rendre plus lisibles les dispositifs d'appui qui leur sont destinés.",
                    ),
                ),
                heading("Les défis qui nous attendent"),
                paragraph(
                    ul(
                        "Bâtir des stratégies de collecte de fonds qui mobilisent toutes les "
                        "forces de l'association : il n'existe pas de modèle économique unique, "
                        "chacun reste à inventer.",
                        "Montrer les ressources dont disposent les associations, pour mieux "
                        "faire comprendre leurs besoins.",
                        "Construire les services avec celles et ceux qui en bénéficient, avec "
                        "les partenaires et avec les personnes qui les pilotent.",
                    ),
                ),
            ],
        },
        show_in_menus=True,
    )


def axes_spec() -> PageSpec:
    return PageSpec(
        StandardPage,
        "axes-innovation",
        "Nos axes d'innovation",
        {
            "introduction": (
                "Repérer les innovations du territoire, les faciliter et en lancer de nouvelles : "
                "notre action s'organise autour de quatre axes, construits avec et pour les "
                "associations de solidarité des Pays de la Loire."
            ),
            "body": [
                paragraph(
                    p(
                        "Tête de réseau régionale, nous sommes à la fois témoins des initiatives "
                        "de nos adhérents, facilitateurs de leurs projets et porteurs de nos "
                        "propres expérimentations. Les actions ci-dessous, conduites dans le "
                        "cadre d'une convention avec la Région, se veulent innovantes à trois "
                        "titres : elles répondent à des besoins nouveaux comme à des besoins "
                        "anciens restés sans réponse, elles sont conçues avec les membres "
                        "eux-mêmes, et d'autres peuvent s'en saisir."
                    )
                ),
                image("axes", alt_text("axes")),
                heading("Axe 1 – Faire vivre le modèle associatif et renouveler la gouvernance"),
                paragraph(
                    p(
                        "Beaucoup d'associations peinent à renouveler leur conseil "
                        "d'administration. Nous réunissons des présidentes et des présidents "
                        "pour analyser ensemble leurs pratiques, avec une méthode d'atelier "
                        "volontiers décalée : chercher d'abord tout ce qui aggraverait la "
                        "situation, pour mieux voir ce qui peut la débloquer. Il en sortira un "
                        "guide des bonnes pratiques pour attirer des bénévoles, une réflexion "
                        "sur ce qui permet de « faire équipe » au sein d'un conseil et une "
                        "journée d'étude sur les équipes dirigeantes de demain."
                    ),
                    p(
                        "Second volet : rapprocher les associations des entreprises engagées "
                        "dans une démarche de responsabilité sociétale, dont les salariés "
                        "peuvent devenir administrateurs bénévoles. C'est notre programme de "
                        "bénévolat de gouvernance."
                    ),
                ),
                heading("Axe 2 – Développer la participation des personnes accompagnées"),
                paragraph(
                    p(
                        "Un groupe ressource d'une quinzaine de personnes, issues d'associations "
                        "de lutte contre les exclusions et de protection de l'enfance, travaille "
                        "sur le pouvoir d'agir des personnes accueillies. Il recense les "
                        "pratiques prometteuses, aide les équipes qui veulent en lancer de "
                        "nouvelles et prépare un forum ouvert pour les faire connaître."
                    ),
                    p(
                        "Chaque association y puise ce dont elle a besoin : appui à la "
                        "direction, formation, échanges de pratiques. Un exemple parmi "
                        "d'autres : réunir professionnels et parents autour de la parentalité "
                        "en situation de précarité."
                    ),
                ),
                heading("Axe 3 – Rapprocher entreprises et associations sur les territoires"),
                paragraph(
                    p(
                        "C'est tout le sens du prix « La part des autres », qui distingue des "
                        "partenariats durables entre une association et une entreprise. Nous "
                        "faisons connaître les lauréats, revoyons à chaque édition le règlement, "
                        "le dossier de candidature et la grille d'évaluation, et mobilisons les "
                        "réseaux du territoire autour du prix, avec un comité de pilotage où "
                        "siègent aussi des représentants du monde de l'entreprise."
                    )
                ),
                heading("Axe 4 – Rendre visible l'utilité sociale"),
                paragraph(
                    p(
                        "Avec un partenaire universitaire, nous construisons une méthode "
                        "d'évaluation de l'utilité sociale propre à notre réseau. Un groupe "
                        "pilote, où se retrouvent adhérents, partenaires et financeurs, commence "
                        "par se forger une culture commune : qu'entend-on par utilité sociale, "
                        "qu'a-t-on à gagner à la mesurer, et par quelles étapes passer ?"
                    )
                ),
            ],
        },
        show_in_menus=True,
    )
