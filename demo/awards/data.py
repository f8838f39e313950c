"""The award's demo data, written in French: the grid, the prizes, the 2018 pairs and jury, the
laureates' stories."""

from __future__ import annotations

from dataclasses import dataclass

PRIX_SLUG = "prix-la-part-des-autres"
DEMO_DOMAIN = "demo.example.org"

# --------------------------------------------------------------------------------------------
# The grid and the prizes

CRITERIA = [
    # label, guidance, weight, « sans objet » allowed
    (
        "Réciprocité du partenariat",
        "Chacun des deux partenaires donne et reçoit : compétences, temps, moyens, regard.",
        3,
        False,
    ),
    (
        "Utilité sociale pour le territoire",
        "Les besoins auxquels le partenariat répond, et les personnes qui en bénéficient.",
        3,
        False,
    ),
    (
        "Solidité et durée de la relation",
        "Depuis quand les partenaires travaillent ensemble, et comment ils se sont organisés.",
        2,
        False,
    ),
    (
        "Implication des salariés et des bénévoles",
        "Les équipes des deux côtés participent, au-delà des dirigeants.",
        2,
        False,
    ),
    (
        "Caractère innovant",
        "Ce que le partenariat invente par rapport à un soutien financier classique.",
        2,
        False,
    ),
    (
        "Perspectives",
        "Les suites prévues, et la capacité du partenariat à durer sans le prix.",
        2,
        False,
    ),
    (
        "Évaluation des effets",
        "Les partenaires mesurent ou racontent ce qui a changé ; « sans objet » pour un "
        "partenariat de moins d'un an.",
        1,
        True,
    ),
    (
        "Capacité à inspirer d'autres binômes",
        "La démarche peut-elle être reprise ailleurs ? « sans objet » si elle est trop liée à "
        "un lieu.",
        1,
        True,
    ),
]

PRIZES = [
    (
        "Prix du partenariat durable",
        "Pour une alliance installée dans le temps, où chacun a trouvé sa place.",
        200000,
    ),
    (
        "Prix de l'engagement des salariés",
        "Pour un partenariat qui fait participer les équipes de l'entreprise.",
        150000,
    ),
    (
        "Prix coup de cœur du jury",
        "Pour une initiative qui a particulièrement touché le jury.",
        100000,
    ),
]

RULES = (
    "<p>Le prix s'adresse aux binômes formés d'une association de la région et d'une entreprise "
    "qui travaillent ensemble depuis au moins six mois. Le dossier est déposé par l'association ; "
    "l'entreprise confirme le partenariat avant le dépôt.</p>"
    "<p>Chaque dossier est examiné par trois membres du jury, qui notent chaque critère de la "
    "grille. Un juré ne note jamais le dossier de l'entreprise qui l'emploie et signale tout "
    "conflit d'intérêts.</p>"
    "<p>Les lauréats acceptent que leur partenariat soit présenté sur ce site.</p>"
)

# --------------------------------------------------------------------------------------------
# The 2018 pairs: association, RNA, city, postal code, company, sector, employees, title.
# The first three are the laureates, in the order of PRIZES.

PAIRS_2018 = [
    ("Répar'Toit", "W722018103", "Le Mans", "72000", "Bâtir Sarthe Construction",
     "Bâtiment", 120, "Des chantiers de rénovation menés à deux pour des familles mal logées"),
    ("Potagers Solidaires du Sillon", "W442018101", "Saint-Herblain", "44800",
     "Logistique Océane", "Transport et logistique", 240,
     "Un potager partagé entre les quais de chargement"),
    ("Les Passeurs de Mots", "W532018102", "Laval", "53000", "Imprimerie du Bocage",
     "Imprimerie", 35, "Des ateliers d'écriture qui réunissent salariés et familles"),
    ("Cuisine et Partage Angevin", "W492018104", "Angers", "49000",
     "Restauration Collective de l'Ouest", "Restauration", 410,
     "Des cuisiniers bénévoles pour un restaurant d'insertion"),
    ("Sport pour Tous Vendée", "W852018105", "La Roche-sur-Yon", "85000",
     "Mutuelle des Marais", "Assurance", 180, "Le sport adapté entre dans l'entreprise"),
    ("Atelier Vélo Nazairien", "W442018106", "Saint-Nazaire", "44600",
     "Chantiers de l'Estuaire", "Industrie navale", 900,
     "Des vélos réparés pour aller au travail"),
    ("Accueil Jeunes Majeurs 49", "W492018107", "Cholet", "49300", "Chaussures Maugeoises",
     "Industrie", 75, "Des parrains en entreprise pour les jeunes sortant de l'aide sociale"),
    ("Le Fil numérique", "W722018108", "La Flèche", "72200", "Informatique Loir Services",
     "Services numériques", 28,
     "Des ordinateurs reconditionnés et des ateliers pour s'en servir"),
    ("Familles en Vacances", "W852018109", "Les Sables-d'Olonne", "85100",
     "Camping Côte de Lumière", "Tourisme", 22,
     "Une première semaine de vacances au bord de la mer"),
    ("Épicerie Solidaire du Lac", "W442018110", "Nantes", "44300",
     "Supermarchés Coopératifs de l'Erdre", "Commerce", 160,
     "Moins de gaspillage, plus de produits frais"),
    ("Musique en Maison de retraite", "W532018111", "Mayenne", "53100", "Laiterie du Bas-Maine",
     "Agroalimentaire", 310, "Des concerts de salariés musiciens chez nos aînés"),
    ("Insertion Bois et Forêt", "W722018112", "Sablé-sur-Sarthe", "72300",
     "Menuiseries Saboliennes", "Menuiserie", 60, "Un atelier d'insertion dans la menuiserie"),
    ("Parrainage Emploi Loire", "W442018113", "Rezé", "44400", "Cabinet Comptable Atlantique",
     "Expertise comptable", 45, "Des comptables bénévoles pour les petites associations"),
    ("Sciences en Herbe", "W492018114", "Saumur", "49400", "Caves Saumuroises",
     "Viticulture", 30, "La science du vin expliquée aux collégiens"),
    ("Toit Partagé Intergénérationnel", "W852018115", "Challans", "85300",
     "Agence Immobilière du Marais", "Immobilier", 12, "Des logements partagés entre générations"),
    ("Handi-Voile Atlantique", "W442018116", "Pornic", "44210", "Voilerie de la Côte",
     "Nautisme", 18, "Des voiliers adaptés pour naviguer ensemble"),
    ("Ressourcerie des Coëvrons", "W532018117", "Évron", "53600", "Transports Coëvrons",
     "Transport", 55, "Une seconde vie pour le mobilier de bureau"),
    ("Aide aux Devoirs du Maine", "W722018118", "Le Mans", "72100",
     "Assurances Mutuelles du Maine", "Assurance", 600,
     "Des salariés bénévoles pour l'aide aux devoirs"),
    ("Café des Aidants de l'Erdre", "W442018119", "Carquefou", "44470",
     "Laboratoires Erdre Santé", "Pharmacie", 140, "Un temps de répit pour les salariés aidants"),
]  # fmt: skip

JURORS_2018 = [
    # first name, last name, employer, public presentation
    ("Hélène", "Marchais", "Fondation Atlantique Solidaire",
     "Déléguée générale d'une fondation d'entreprise, elle soutient des projets associatifs "
     "depuis quinze ans."),
    ("Karim", "Benslimane", "Club des entreprises engagées de Loire-Atlantique",
     "Il anime un club d'entreprises qui ouvrent leurs portes aux associations de leur quartier."),
    ("Sophie", "Le Guen", "Maison de l'enfance du Val de Loire",
     "Directrice d'une association de protection de l'enfance, elle a siégé au jury de 2016."),
    ("Thomas", "Rivière", "Mutuelle Ligérienne",
     "Responsable de la politique RSE d'une mutuelle régionale."),
    ("Anne-Marie", "Poirier", "",
     "Ancienne présidente d'une fédération d'éducation populaire, bénévole au sein du réseau."),
    ("Julien", "Côme", "Loire Conseil",
     "Expert-comptable, il accompagne des associations dans leur gestion."),
]  # fmt: skip


@dataclass
class LaureateStory:
    """The public page of a laureate: its introduction, body paragraphs and a quote."""

    introduction: str
    paragraphs: list[str]
    quote: tuple[str, str, str] | None = None
    caption: str = ""


STORIES_2018 = [
    LaureateStory(
        "Depuis 2015, les compagnons de l'entreprise et les bénévoles de l'association rénovent "
        "ensemble des logements de familles aux revenus modestes.",
        [
            "Tout a commencé par un chantier de peinture dans l'appartement d'une mère de trois "
            "enfants. Trois ans plus tard, le binôme a remis en état une trentaine de logements : "
            "isolation, électricité, sols, cuisines.",
            "L'entreprise prête ses outils et détache deux compagnons un vendredi par mois ; "
            "l'association repère les familles, prépare les chantiers et mobilise ses bénévoles. "
            "Les apprentis de l'entreprise y apprennent à expliquer leur métier.",
            "Le jury a salué une relation équilibrée, où chacun sait ce qu'il apporte, et des "
            "résultats concrets pour les familles : des factures de chauffage en baisse et des "
            "logements à nouveau sains.",
        ],
        (
            "Nos compagnons reviennent de ces chantiers avec une fierté qu'on ne trouve pas "
            "ailleurs.",
            "Le directeur de l'entreprise",
            "",
        ),
        "Le binôme a rénové une trentaine de logements en trois ans.",
    ),
    LaureateStory(
        "Sur un terrain inutilisé à côté de ses entrepôts, une entreprise de logistique a ouvert "
        "un potager cultivé par ses salariés et par les personnes qu'accueille l'association.",
        [
            "Les salariés de l'entreprise jardinent à la pause de midi aux côtés de personnes en "
            "parcours d'insertion. Les récoltes partent à l'épicerie solidaire du quartier.",
            "Près de quatre-vingts salariés ont déjà donné de leur temps, et plusieurs d'entre "
            "eux ont rejoint l'association comme bénévoles, l'un d'eux au conseil "
            "d'administration.",
        ],
        (
            "Au jardin, personne ne demande qui est chef d'équipe et qui cherche un emploi.",
            "Une bénévole de l'association",
            "",
        ),
        "Les récoltes du potager rejoignent l'épicerie solidaire du quartier.",
    ),
    LaureateStory(
        "Une imprimerie et une association de lutte contre l'illettrisme ont imaginé des "
        "ateliers d'écriture où salariés et parents écrivent, puis impriment, leurs histoires.",
        [
            "Chaque année, une dizaine de familles et autant de salariés écrivent ensemble un "
            "recueil que l'imprimerie fabrique dans ses ateliers. Le livre est présenté à la "
            "médiathèque de la ville.",
            "Le jury a eu un coup de cœur pour cette idée simple, qui donne confiance aux "
            "parents et fait découvrir aux salariés un autre visage de leur métier.",
        ],
        None,
        "Le recueil de l'année, imprimé par les salariés de l'entreprise.",
    ),
]

LAUREATES_2016 = [
    # title, association, company, prize, introduction
    (
        "Des paniers solidaires livrés par les camions d'une coopérative",
        "Paniers du Bocage",
        "Coopérative Laitière de l'Ouest",
        "Prix du partenariat durable",
        "Une coopérative agricole livre chaque semaine les paniers d'une association d'aide "
        "alimentaire dans ses tournées.",
    ),
    (
        "Des salariés administrateurs d'une association de quartier",
        "Maison de Quartier des Dervallières",
        "Banque Régionale de l'Ouest",
        "Prix coup de cœur du jury",
        "Trois salariés d'une banque ont rejoint le conseil d'administration d'une maison de "
        "quartier, qui cherchait à renouveler ses instances.",
    ),
]
