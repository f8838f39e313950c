"""The pages that invite to take part: membership, the award, board volunteering."""

from __future__ import annotations

from home.models import StandardPage

from .text import PageSpec, call_to_action, faq, heading, key_figures, ol, p, paragraph, ul


def adherer_spec() -> PageSpec:
    return PageSpec(
        StandardPage,
        "adherer",
        "Adhérer",
        {
            "introduction": (
                "Adhérer, c'est rejoindre des associations qui partagent leurs questions et leurs "
                "solutions. L'adhésion vaut pour une année et sa cotisation dépend du type et de "
                "la taille de votre structure."
            ),
            "body": [
                heading("Pourquoi nous rejoindre ?"),
                paragraph(
                    ul(
                        "Être accompagné par une équipe qui connaît les réalités des petites "
                        "structures.",
                        "Échanger avec d'autres dirigeants associatifs lors de nos rencontres et "
                        "de nos webinaires.",
                        "Participer à nos ateliers sur la gouvernance, l'évaluation et le "
                        "financement.",
                        "Peser dans un plaidoyer commun auprès des financeurs et des pouvoirs "
                        "publics.",
                    )
                ),
                heading("Qui peut adhérer ?"),
                paragraph(
                    p(
                        "Toute association ou structure de l'économie sociale et solidaire des "
                        "Pays de la Loire qui partage nos valeurs : coopération, utilité "
                        "sociale, attention portée aux personnes. Les petites et moyennes "
                        "structures sont au cœur de notre projet, mais les plus grandes sont les "
                        "bienvenues pour faire profiter les autres de leur expérience."
                    )
                ),
                heading("Comment ça marche ?"),
                paragraph(
                    ol(
                        "Remplissez le bulletin d'adhésion au nom de votre organisation et "
                        "désignez une ou plusieurs personnes de contact.",
                        "Réglez la cotisation qui correspond à votre catégorie dans la grille "
                        "d'adhésion : en ligne par carte, ou par virement ou chèque.",
                        "Recevez votre attestation d'adhésion et votre reçu, que vous pouvez "
                        "télécharger à tout moment depuis votre espace membre.",
                    )
                ),
                faq(
                    "Questions fréquentes",
                    (
                        "Combien coûte l'adhésion ?",
                        p(
                            "La cotisation suit une grille qui tient compte du type de structure "
                            "et de son budget. Elle est publiée chaque année."
                        ),
                    ),
                    (
                        "Puis-je payer par virement ou par chèque ?",
                        p(
                            "Bien sûr. Indiquez-le en adhérant : votre adhésion est confirmée dès "
                            "que nous avons enregistré votre règlement."
                        ),
                    ),
                    (
                        "Faut-il renouveler l'adhésion chaque année ?",
                        p(
                            "Oui. Nous vous prévenons avant l'échéance, et le renouvellement se "
                            "fait en quelques clics depuis votre espace membre."
                        ),
                    ),
                    (
                        "Plusieurs personnes de notre association peuvent-elles suivre "
                        "l'adhésion ?",
                        p(
                            "Oui : vous pouvez déclarer plusieurs contacts, par exemple la "
                            "présidence et la trésorerie, qui recevront nos informations."
                        ),
                    ),
                ),
                call_to_action(
                    "Envie d'en savoir plus avant de vous engager ?",
                    "Découvrez d'où vient notre réseau, ce qui nous anime et la façon dont nous "
                    "accompagnons les associations.",
                    "Découvrir l'association",
                    "association",
                ),
            ],
        },
        show_in_menus=True,
    )


def prix_spec() -> PageSpec:
    return PageSpec(
        StandardPage,
        "prix-la-part-des-autres",
        "Prix « La part des autres »",
        {
            "introduction": (
                "Depuis 2016, le prix « La part des autres » met à l'honneur des associations et "
                "des entreprises qui construisent ensemble un partenariat durable au service de "
                "leur territoire."
            ),
            "body": [
                heading("Un prix pour les alliances entre associations et entreprises"),
                paragraph(
                    p(
                        "Associations et entreprises se connaissent encore mal. Le prix veut "
                        "montrer qu'elles ont beaucoup à gagner à travailler ensemble, bien "
                        "au-delà du mécénat : partage de compétences, projets menés à deux, "
                        "engagement des salariés, ancrage local."
                    )
                ),
                key_figures(
                    "L'édition 2018 en chiffres",
                    ("19", "binômes candidats", "une association et une entreprise à chaque fois"),
                    ("3", "prix remis", "par un jury mêlant monde associatif et entreprises"),
                    ("2", "éditions", "en 2016 puis en 2018"),
                ),
                heading("Qui peut candidater ?"),
                paragraph(
                    p(
                        "Chaque candidature se présente à deux voix : une association de la "
                        "région et l'entreprise avec laquelle elle a noué une relation suivie. "
                        "Le règlement de chaque édition précise les conditions à remplir."
                    )
                ),
                heading("Comment se déroule la sélection ?"),
                paragraph(
                    p(
                        "Le dossier de candidature se remplit en ligne, en plusieurs fois si "
                        "besoin, jusqu'à la date limite. Un jury formé de personnes issues du "
                        "monde associatif et du monde économique examine chaque dossier à "
                        "l'aide d'une grille d'évaluation connue de tous ; chaque juré signale "
                        "les dossiers pour lesquels il aurait un conflit d'intérêts."
                    )
                ),
                heading("Et après le prix ?"),
                paragraph(
                    p(
                        "Les lauréats ne sont pas oubliés une fois le prix remis : de courts "
                        "reportages font connaître leur démarche, nous les présentons aux "
                        "réseaux d'entreprises et d'associations, et ils témoignent lors de "
                        "l'édition suivante."
                    )
                ),
                call_to_action(
                    "Une nouvelle édition se prépare",
                    "Calendrier, nouveautés du règlement, candidature en ligne : tout ce qu'il "
                    "faut savoir pour vous préparer avec votre partenaire.",
                    "Lire l'annonce",
                    "prix-la-part-des-autres-nouvelle-edition",
                ),
            ],
        },
        show_in_menus=True,
    )


def benevolat_spec() -> PageSpec:
    return PageSpec(
        StandardPage,
        "benevolat-gouvernance",
        "Bénévolat de gouvernance",
        {
            "introduction": (
                "Vous travaillez en entreprise et souhaitez mettre vos compétences au service "
                "d'une association ? Nous vous aidons à trouver le conseil d'administration qui "
                "a besoin de vous."
            ),
            "body": [
                heading("Le constat"),
                paragraph(
                    p(
                        "De nombreuses associations ont du mal à renouveler leur conseil "
                        "d'administration et à préparer le départ des personnes qui portent les "
                        "responsabilités depuis longtemps. De leur côté, des entreprises "
                        "engagées dans une politique de responsabilité sociétale (RSE) "
                        "aimeraient encourager leurs salariés à s'engager bénévolement sur leur "
                        "territoire."
                    )
                ),
                heading("Ce que nous proposons"),
                paragraph(
                    ul(
                        "Mettre en relation associations et entreprises, en nous appuyant sur "
                        "notre connaissance des besoins et du fonctionnement des associations.",
                        "Faire se rencontrer les réseaux, pour que chacun découvre l'univers de "
                        "l'autre.",
                        "Construire la démarche avec les deux parties, à partir de leurs "
                        "contraintes et de leurs atouts.",
                        "Offrir un cadre d'accompagnement rassurant et utile à chacun.",
                    )
                ),
                heading("Comment ça se passe ?"),
                paragraph(
                    ol(
                        "L'association décrit son besoin : compétences recherchées, "
                        "disponibilité attendue, rôle au sein du conseil.",
                        "Le salarié volontaire indique ce qu'il peut apporter et le temps dont "
                        "il dispose.",
                        "Nous organisons la rencontre et suivons les premiers mois de "
                        "l'engagement.",
                        "Nous faisons le point avec tous pour tirer les enseignements et "
                        "améliorer le dispositif.",
                    )
                ),
                faq(
                    "Vos questions",
                    (
                        "Faut-il déjà connaître le monde associatif ?",
                        p(
                            "Non. La curiosité et l'envie de s'engager suffisent : nous vous "
                            "présentons le rôle d'un administrateur avant toute rencontre."
                        ),
                    ),
                    (
                        "Combien de temps cela demande-t-il ?",
                        p(
                            "Cela dépend de l'association : quelques réunions par an pour "
                            "certaines, un suivi plus régulier pour d'autres. Le besoin est "
                            "décrit clairement avant la mise en relation."
                        ),
                    ),
                    (
                        "Mon entreprise doit-elle être partenaire ?",
                        p(
                            "C'est préférable : quand l'employeur soutient la démarche, par "
                            "exemple dans le cadre du mécénat de compétences, l'engagement "
                            "s'inscrit plus facilement dans la durée. Mais vous pouvez aussi "
                            "vous engager à titre personnel."
                        ),
                    ),
                ),
            ],
        },
        show_in_menus=True,
    )
