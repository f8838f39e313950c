"""The news index and its three news."""

from __future__ import annotations

from home.models import NewsIndexPage, NewsPage

from .images import alt_text
from .text import DaysAgo, ImageRef, PageSpec, call_to_action, heading, p, paragraph, ul


def actualites_spec() -> PageSpec:
    return PageSpec(
        NewsIndexPage,
        "actualites",
        "Actualités",
        {
            "introduction": (
                "Rencontres, webinaires, vie du prix et travaux du réseau : les dernières "
                "nouvelles de Coup de Pousse et de ses adhérents."
            ),
        },
        children=[news_impact_spec(), news_webinaires_spec(), news_prix_spec()],
        show_in_menus=True,
    )


def news_impact_spec() -> PageSpec:
    return PageSpec(
        NewsPage,
        "mesurer-impact-social-ess",
        "Mesurer son impact social : un enjeu devenu stratégique pour l'ESS",
        {
            "date": DaysAgo(12),
            "image": ImageRef("impact"),
            "image_alt": alt_text("impact"),
            "introduction": (
                "L'évaluation de l'impact social n'est plus réservée aux grandes structures. "
                "Encore faut-il que les associations aient les moyens de s'en emparer : c'est "
                "l'un des chantiers que le réseau ouvre cette année."
            ),
            "body": [
                paragraph(
                    p(
                        "En quelques années, l'économie sociale et solidaire est devenue un "
                        "acteur à part entière de l'économie. Sa créativité fait naître sans "
                        "cesse de nouveaux projets, souvent soutenus par les financeurs publics, "
                        "et cette croissance demande des équipes toujours plus "
                        "professionnelles."
                    )
                ),
                heading("Évaluer, pour quoi faire ?"),
                paragraph(
                    p(
                        "Pour une structure dont la finalité est sociale, sociétale ou "
                        "environnementale, savoir montrer ce qu'elle change est devenu "
                        "indispensable. Pas seulement pour convaincre un financeur : "
                        "l'évaluation aide aussi à interroger son projet, à l'améliorer au fil "
                        "du temps, à innover et à dialoguer avec ses parties prenantes."
                    )
                ),
                heading("Le vrai défi : se l'approprier"),
                paragraph(
                    p(
                        "Presque tout le monde s'accorde sur l'intérêt de la démarche. Mais elle "
                        "demande des compétences particulières, du temps et de l'argent ; les "
                        "financements dédiés restent rares, et les méthodes, plus nombreuses "
                        "qu'hier, demeurent difficiles d'accès."
                    ),
                    p("C'est pourquoi nous misons sur des dynamiques collectives, pour :"),
                    ul(
                        "partager un vocabulaire et une vision communs de l'impact social ;",
                        "outiller les structures avec des méthodes à leur mesure ;",
                        "mutualiser les moyens ;",
                        "embarquer largement les acteurs qui exercent les mêmes métiers ou "
                        "agissent dans les mêmes champs.",
                    ),
                ),
                heading("Piloter en mode projet"),
                paragraph(
                    p(
                        "Les financements changent : ils deviennent pluriannuels, mêlent "
                        "plusieurs financeurs publics et européens et s'accompagnent de "
                        "dialogues de gestion exigeants. Il faut pouvoir justifier chaque euro "
                        "et prouver qu'aucun projet n'est financé deux fois. Mal anticipées, ces "
                        "évolutions mettent en danger la trésorerie et la pérennité des projets."
                    ),
                    p(
                        "Suivre le temps passé par projet, tenir des indicateurs qualitatifs et "
                        "quantitatifs, montrer à chaque financeur l'usage de ses fonds, préparer "
                        "des bilans prêts pour un contrôle : ces pratiques nourrissent aussi la "
                        "mesure de l'impact social. Nous leur consacrerons plusieurs ateliers "
                        "dans les prochains mois."
                    ),
                ),
            ],
        },
    )


def news_webinaires_spec() -> PageSpec:
    return PageSpec(
        NewsPage,
        "webinaires-communs-gestion-associative",
        "« Vers des communs de gestion associative » : le cycle de webinaires continue",
        {
            "date": DaysAgo(38),
            "image": ImageRef("webinaires"),
            "image_alt": alt_text("webinaires"),
            "introduction": (
                "Neuf rendez-vous en ligne ont déjà réuni des dirigeantes et des dirigeants "
                "associatifs autour de leurs questions de gestion. Les replays sont ouverts à "
                "toutes et à tous, et de nouveaux thèmes arrivent."
            ),
            "body": [
                paragraph(
                    p(
                        "Lancé en 2022, le projet « Vers des communs de gestion associative » "
                        "part d'une idée simple : les responsables d'associations se posent les "
                        "mêmes questions de gestion, alors autant y réfléchir ensemble. Entraide "
                        "entre pairs, partage de méthodes, conception d'outils pratiques : le but "
                        "est de progresser collectivement et d'alléger la charge qui pèse sur "
                        "les équipes dirigeantes."
                    )
                ),
                heading("Quatre chantiers"),
                paragraph(
                    ul(
                        "Un logiciel libre de prévision budgétaire, avec un accompagnement à sa "
                        "prise en main.",
                        "Une étude de ce qui fragilise les dirigeants associatifs, en "
                        "particulier la pression de la gestion financière.",
                        "Un cycle de rencontres thématiques pour mettre les dirigeants en réseau.",
                        "Un plaidoyer commun adressé aux financeurs et aux têtes de réseau.",
                    )
                ),
                heading("Ce qui a déjà été abordé"),
                paragraph(
                    p(
                        "Les neuf webinaires déjà diffusés ont porté sur des thèmes choisis par "
                        "l'équipe ou proposés par les participants : la place des bénévoles, la "
                        "santé des dirigeants, le changement de statut juridique ou encore la "
                        "recherche de financements privés. Le public grandit à chaque session."
                    )
                ),
                heading("Les prochains rendez-vous"),
                paragraph(
                    p(
                        "Trois thèmes sont en préparation : les règles qui encadrent les aides "
                        "d'État, l'évolution des relations entre bénévoles et salariés, et la "
                        "prise en main de l'outil de prévision budgétaire. Les dates seront "
                        "annoncées ici même."
                    )
                ),
            ],
        },
    )


def news_prix_spec() -> PageSpec:
    return PageSpec(
        NewsPage,
        "prix-la-part-des-autres-nouvelle-edition",
        "Prix « La part des autres » : une nouvelle édition se prépare",
        {
            "date": DaysAgo(71),
            "image": ImageRef("prix"),
            "image_alt": alt_text("prix"),
            "introduction": (
                "Après une édition 2018 qui avait réuni dix-neuf binômes candidats, le prix qui "
                "récompense les partenariats entre associations et entreprises revient. Le "
                "comité de pilotage est déjà au travail."
            ),
            "body": [
                paragraph(
                    p(
                        "En 2018, dix-neuf binômes formés d'une association et d'une entreprise "
                        "avaient tenté leur chance, et le jury avait remis trois prix. Forts de "
                        "cet élan, nous préparons une nouvelle édition."
                    )
                ),
                heading("Ce qui change"),
                paragraph(
                    p(
                        "Le comité de pilotage, qui réunit des membres du réseau et des "
                        "représentants du monde de l'entreprise, a tiré le bilan de l'édition "
                        "précédente. Le règlement, le dossier de candidature et la grille "
                        "d'évaluation ont été revus pour gagner en clarté, et la candidature se "
                        "fera désormais entièrement en ligne."
                    )
                ),
                heading("Les lauréats à l'honneur"),
                paragraph(
                    p(
                        "Les partenariats primés lors des éditions précédentes feront l'objet de "
                        "courts reportages, pour montrer concrètement ce qu'une alliance durable "
                        "entre une association et une entreprise peut apporter à un territoire."
                    )
                ),
                heading("Comment se préparer ?"),
                paragraph(
                    p(
                        "Si votre association travaille déjà avec une entreprise, ou si votre "
                        "entreprise soutient une association, c'est le moment d'en parler "
                        "ensemble. Le calendrier et le règlement seront publiés sur la page du "
                        "prix."
                    )
                ),
                call_to_action(
                    "Tout savoir sur le prix",
                    "Son histoire, ses critères et le déroulement de la sélection.",
                    "Découvrir le prix « La part des autres »",
                    "prix-la-part-des-autres",
                ),
            ],
        },
    )
