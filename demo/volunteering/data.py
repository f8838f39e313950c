"""The demo volunteering's story, as data: skills, companies, associations, the 20 needs, the 40
volunteers and the plan of their matches (forms/demo.py loads them). Invented people and
companies; e-mails on a reserved demo domain."""

from forms.models import BoardNeed, BoardRole, Match, OfferSkill

SEED = "benevolat-de-gouvernance"
EMAIL_DOMAIN = "exemple.fr"

SKILLS = [
    ("finance", "Finance et comptabilité"),
    ("juridique", "Juridique"),
    ("ressources-humaines", "Ressources humaines"),
    ("communication", "Communication"),
    ("numerique", "Numérique"),
    ("strategie", "Stratégie"),
    ("collecte-de-fonds", "Collecte de fonds et mécénat"),
    ("gestion-de-projet", "Gestion de projet"),
    ("gouvernance", "Gouvernance associative"),
    ("immobilier", "Immobilier et travaux"),
    ("evaluation", "Qualité et évaluation"),
    ("achats", "Achats et logistique"),
    ("action-sociale", "Action sociale et médico-sociale"),
]

COMPANIES = {
    # key: name, SIRET's first 13 digits (None: no SIRET), sector slug, size, contact, programme
    "mutuelle": (
        "Mutuelle Atlantique Prévoyance", "8214563970001", "sante", "medium", "Sophie Le Goff",
        "Chaque salarié peut consacrer deux jours par mois, sur son temps de travail, à un "
        "mandat d’administrateur dans une association de santé ou du médico-social.",
    ),
    "energie": (
        "Énergies du Val de Loire", "4531278640002", "environnement", "large", "Marc Delaunay",
        "Un programme de mécénat de compétences ouvert aux salariés en fin de carrière, qui "
        "peuvent consacrer jusqu’à 20 % de leur temps à une association du territoire.",
    ),
    "banque": (
        "Banque Coopérative de l’Ouest", "7756120390004", "economie-sociale", "large",
        "Nathalie Guérin",
        "Les collaborateurs qui siègent dans un conseil d’administration sont formés à la "
        "gouvernance associative et disposent de dix jours d’absence autorisée par an.",
    ),
    "numeria": (
        "Numéria Conseil", "8890345120001", None, "small", "Julien Robin",
        "Une petite équipe de consultants en numérique qui accompagne chaque année trois "
        "associations bretonnes, et encourage ses salariés à rejoindre leurs instances.",
    ),
    "transports": (
        "Transports Vendéens Réunis", "5123987460003", None, "medium", "Isabelle Chauvet",
        "Un congé solidaire de cinq jours par an pour les salariés engagés dans le bureau "
        "d’une association, et un abondement des dons qu’ils collectent.",
    ),
    "juris": (
        "Cabinet Juris Estuaire", None, None, "micro", "Pierre Fouquet",
        "Les avocats du cabinet conseillent bénévolement des associations de solidarité et "
        "acceptent des mandats de secrétaire ou d’administrateur.",
    ),
    "biscuiterie": (
        "Biscuiterie des Deux Rives", "6347801250005", None, "medium", "Aurélie Ménard",
        "Le comité RSE relaie les besoins des associations proches des sites de production "
        "et finance la formation des salariés qui prennent un mandat.",
    ),
}  # fmt: skip

# The company already works with this association: its employees are not matched with it.
PARTNERS = {"mutuelle": "W492009003", "banque": "W562026004"}

# The members' demo associations (members/demo.py), used when they exist.
MEMBER_RNAS = [
    "W442009001", "W442009002", "W492009003", "W852009004", "W722009005", "W532009006",
]  # fmt: skip

ASSOCIATIONS = [
    # name, RNA, city, postal code, sectors, employees, volunteers, budget bracket
    ("Horizons Partagés", "W352026001", "Rennes", "35000", ["handicap", "medico-social"],
     14, 40, "1000000"),
    ("Maison des Familles du Trégor", "W222026002", "Lannion", "22300",
     ["protection-enfance", "solidarite"], 3, 25, "50000"),
    ("Culture Vive en Cornouaille", "W292026003", "Quimper", "29000",
     ["culture", "education-populaire"], 2, 60, "50000"),
    ("Le Relais du Golfe", "W562026004", "Vannes", "56000", ["lutte-exclusions", "insertion"],
     9, 35, "200000"),
    ("Sport Ensemble Choletais", "W492026005", "Cholet", "49300", ["sport", "handicap"],
     1, 80, "10000"),
    ("Âges et Liens", "W352026006", "Saint-Malo", "35400", ["personnes-agees"], 6, 30, "200000"),
    ("Terre d’Avenir", "W532026007", "Château-Gontier", "53200",
     ["environnement", "insertion"], 11, 20, "200000"),
    ("Accueil Santé Estuaire", "W442026008", "Rezé", "44400", ["sante", "medico-social"],
     18, 45, "1000000"),
]  # fmt: skip

OPEN, IN_PROGRESS, FILLED, CLOSED = BoardNeed.Status.values
PUBLIC, NETWORK = BoardNeed.Visibility.values
PRESIDENT, TREASURER, SECRETARY, BOARD_MEMBER = BoardRole.values

NEEDS = [
    # association's RNA, role, {skill: importance}, hours a month, mandate months, status,
    # visibility, days since it was posted, description
    ("W442009001", TREASURER, {"finance": 3, "gestion-de-projet": 1}, 6, 36, OPEN, PUBLIC, 12,
     "Notre trésorière quitte le conseil à la prochaine assemblée générale. Nous cherchons une "
     "personne à l’aise avec les chiffres pour suivre le budget des jardins d’insertion, "
     "préparer les comptes annuels avec l’expert-comptable et rendre compte aux financeurs."),
    ("W492009003", BOARD_MEMBER, {"juridique": 3, "ressources-humaines": 2}, 4, 36, OPEN,
     PUBLIC, 30,
     "L’association gère deux services d’accompagnement et emploie une vingtaine de salariés. "
     "Le conseil voudrait accueillir quelqu’un qui connaît le droit social, pour l’éclairer "
     "dans ses décisions d’employeur."),
    ("W352026001", PRESIDENT, {"strategie": 3, "gouvernance": 2, "communication": 1}, 10, 36,
     OPEN, PUBLIC, 45,
     "Le président termine son troisième mandat et prépare la relève avec nous. Nous "
     "cherchons une personne prête à animer le bureau, à représenter l’association auprès des "
     "pouvoirs publics et à porter le projet associatif des prochaines années."),
    ("W292026003", BOARD_MEMBER, {"communication": 3, "numerique": 2}, 4, 24, OPEN, PUBLIC, 20,
     "Nos ateliers de théâtre et de musique attirent du monde, mais nous peinons à le faire "
     "savoir. Un regard neuf sur notre communication et notre site serait précieux au conseil."),
    ("W562026004", TREASURER, {"finance": 3, "collecte-de-fonds": 2}, 6, 36, OPEN, PUBLIC, 60,
     "Le Relais accueille chaque jour des personnes sans logement et gère un chantier "
     "d’insertion. Le budget dépend de plusieurs financeurs publics : nous cherchons un "
     "trésorier ou une trésorière pour en garder une vue d’ensemble et diversifier nos "
     "ressources."),
    ("W722009005", SECRETARY, {"gestion-de-projet": 2, "numerique": 2}, 5, 24, OPEN, PUBLIC, 8,
     "Convocations, comptes rendus, registre des décisions : notre secrétariat repose sur une "
     "seule bénévole depuis dix ans. Nous voulons partager la tâche et mieux outiller le "
     "conseil."),
    ("W492026005", BOARD_MEMBER, {"collecte-de-fonds": 3, "communication": 1}, 4, 24, OPEN,
     PUBLIC, 25,
     "Le club propose du sport adapté à des jeunes en situation de handicap. Pour financer un "
     "minibus et des équipements, nous cherchons un administrateur ou une administratrice "
     "qui sache aller à la rencontre des mécènes."),
    ("W352026006", BOARD_MEMBER, {"immobilier": 3, "finance": 1}, 3, 36, OPEN, PUBLIC, 95,
     "Nous préparons la rénovation de notre résidence pour personnes âgées. Le conseil a "
     "besoin d’une personne qui connaît les travaux et les marchés pour suivre le chantier "
     "avec la directrice."),
    ("W852009004", TREASURER, {"finance": 3}, 4, 24, OPEN, PUBLIC, 150,
     "Petite association, grandes ambitions : festival d’été, ateliers dans les écoles. Nous "
     "cherchons quelqu’un pour tenir une comptabilité simple et préparer nos demandes de "
     "subventions avec le bureau."),
    ("W532026007", BOARD_MEMBER, {"strategie": 2, "evaluation": 2}, 4, 36, OPEN, PUBLIC, 120,
     "Notre chantier de maraîchage bio a doublé en trois ans. Le conseil souhaite être "
     "accompagné pour écrire son projet stratégique et mesurer l’utilité sociale de ses "
     "actions."),
    ("W442026008", BOARD_MEMBER, {"action-sociale": 3, "evaluation": 2}, 4, 36, OPEN, PUBLIC, 35,
     "Le centre de santé associatif accueille des patients éloignés du soin. Une expérience du "
     "secteur sanitaire ou médico-social aiderait le conseil à suivre la qualité des "
     "accompagnements."),
    ("W442009002", SECRETARY, {"juridique": 2, "gestion-de-projet": 2}, 5, 24, OPEN, NETWORK, 15,
     "Nous souhaitons réviser nos statuts et notre règlement intérieur avant l’assemblée "
     "générale. Le ou la secrétaire pilotera ce travail avec le bureau."),
    ("W222026002", TREASURER, {"finance": 3, "ressources-humaines": 1}, 6, 36, OPEN, NETWORK, 3,
     "La maison des familles emploie trois salariées et vit de subventions et de dons. Le "
     "trésorier actuel déménage : nous cherchons une personne pour reprendre le suivi du "
     "budget et des paies avec notre cabinet comptable."),
    ("W532009006", PRESIDENT, {"strategie": 3, "communication": 2}, 8, 24, IN_PROGRESS, PUBLIC,
     70,
     "Les fondateurs de l’atelier de réparation de vélos passent la main. Nous cherchons une "
     "présidente ou un président pour fédérer les bénévoles et nouer des partenariats avec "
     "les communes."),
    ("W442009001", BOARD_MEMBER, {"ressources-humaines": 3, "juridique": 1}, 4, 36,
     IN_PROGRESS, NETWORK, 80,
     "Avec une équipe de salariés en insertion qui grandit, le conseil veut se doter d’une "
     "compétence en ressources humaines : recrutement, entretiens annuels, prévention des "
     "risques."),
    ("W442026008", SECRETARY, {"numerique": 2, "gestion-de-projet": 2}, 4, 24, IN_PROGRESS,
     PUBLIC, 50,
     "Nous passons nos dossiers et nos réunions en ligne. Le ou la secrétaire nous aidera à "
     "choisir des outils simples et à organiser la vie du conseil."),
    ("W492009003", TREASURER, {"finance": 3, "strategie": 1}, 6, 36, FILLED, PUBLIC, 260,
     "Nous cherchions une trésorière ou un trésorier pour accompagner la croissance de nos "
     "services et les discussions avec l’agence régionale de santé."),
    ("W292026003", SECRETARY, {"communication": 2, "gestion-de-projet": 2}, 4, 24, FILLED,
     NETWORK, 240,
     "Un ou une secrétaire pour coordonner nos bénévoles et tenir le calendrier des ateliers "
     "de la saison."),
    ("W562026004", BOARD_MEMBER, {"immobilier": 2, "achats": 2}, 3, 24, CLOSED, PUBLIC, 200,
     "Un administrateur ou une administratrice pour suivre l’aménagement de notre nouvel "
     "accueil de jour. Le projet a été reporté par nos financeurs."),
    ("W492026005", TREASURER, {"finance": 2}, 4, 24, CLOSED, NETWORK, 180,
     "Nous cherchions un trésorier ; un parent d’adhérent a finalement repris la fonction."),
]  # fmt: skip

# The départements a volunteer may also serve in, next to their own (this region only).
NEARBY = {
    "44": ["49", "85", "35", "56"], "49": ["44", "53", "72", "85", "79", "37"],
    "53": ["35", "49", "72", "61", "50"], "72": ["53", "49", "61", "37"],
    "85": ["44", "49", "79", "17"], "35": ["22", "56", "44", "53", "50"],
    "22": ["29", "35", "56"], "29": ["22", "56"], "56": ["29", "22", "35", "44"],
    "50": ["14", "35", "53", "61"], "37": ["49", "72", "41", "86"], "79": ["85", "49", "86"],
}  # fmt: skip

E, C, N = OfferSkill.Level.EXPERT, OfferSkill.Level.CONFIRMED, OfferSkill.Level.BASIC

OFFERS = [
    # first name, last name, job, company key, home département, {skill: level}, hours a month
    ("Claire", "Le Bihan", "Contrôleuse de gestion", "banque", "35",
     {"finance": E, "strategie": C}, 6),
    ("Thomas", "Guillou", "Juriste en droit social", "mutuelle", "44",
     {"juridique": E, "ressources-humaines": C}, 4),
    ("Nadia", "Benali", "Directrice de la communication", None, "44",
     {"communication": E, "strategie": C}, 8),
    ("Julien", "Morvan", "Chef de projet informatique", "numeria", "35",
     {"numerique": E, "gestion-de-projet": E}, 5),
    ("Sophie", "Renaud", "Responsable des ressources humaines", "energie", "49",
     {"ressources-humaines": E, "juridique": N}, 4),
    ("Pierre", "Lemoine", "Expert-comptable retraité", None, "85",
     {"finance": E, "gouvernance": C}, 12),
    ("Élodie", "Caradec", "Chargée de mécénat", "banque", "56",
     {"collecte-de-fonds": E, "communication": C}, 6),
    ("Antoine", "Bouvier", "Conducteur de travaux", "energie", "72",
     {"immobilier": E, "achats": C}, 4),
    ("Marion", "Tessier", "Consultante en stratégie", None, "44",
     {"strategie": E, "evaluation": C, "gouvernance": C}, 6),
    ("Yann", "Kerjean", "Développeur", "numeria", "29",
     {"numerique": E, "communication": N}, 4),
    ("Isabelle", "Poirier", "Cadre de santé", "mutuelle", "44",
     {"action-sociale": E, "evaluation": C}, 5),
    ("Hervé", "Gautier", "Directeur administratif et financier", "transports", "85",
     {"finance": E, "ressources-humaines": C, "strategie": C}, 6),
    ("Camille", "Rolland", "Avocate", "juris", "44",
     {"juridique": E, "gouvernance": C}, 5),
    ("Lucas", "Ferrand", "Acheteur", "biscuiterie", "44",
     {"achats": E, "gestion-de-projet": C}, 4),
    ("Anne", "Le Roux", "Ancienne directrice d’établissement médico-social", None, "22",
     {"action-sociale": E, "gouvernance": E, "strategie": C}, 10),
    ("Mathieu", "Collin", "Trésorier d’un club sportif", None, "49",
     {"finance": C, "collecte-de-fonds": C}, 4),
    ("Gwenaëlle", "Tanguy", "Responsable de la communication interne", "banque", "29",
     {"communication": E, "numerique": C}, 4),
    ("François", "Besnard", "Ingénieur qualité", "biscuiterie", "53",
     {"evaluation": E, "gestion-de-projet": C}, 4),
    ("Laure", "Daniel", "Gestionnaire de paie", "transports", "85",
     {"ressources-humaines": C, "finance": C}, 3),
    ("Olivier", "Marchand", "Chef d’entreprise retraité", None, "53",
     {"strategie": E, "finance": C, "gouvernance": C}, 10),
    ("Chloé", "Hamon", "Cheffe de projet événementiel", None, "35",
     {"gestion-de-projet": E, "communication": C}, 6),
    ("Sébastien", "Pichon", "Responsable juridique", "energie", "44",
     {"juridique": E, "achats": N}, 3),
    ("Aurélie", "Fleury", "Analyste financière", "mutuelle", "49",
     {"finance": E, "evaluation": N}, 5),
    ("Romain", "Cadiou", "Responsable de la transformation numérique", "banque", "35",
     {"numerique": E, "strategie": C, "gestion-de-projet": C}, 4),
    ("Hélène", "Baudry", "Chargée de recrutement", None, "72",
     {"ressources-humaines": E, "communication": N}, 6),
    ("Nicolas", "Jaouen", "Gestionnaire de patrimoine immobilier", "banque", "56",
     {"immobilier": E, "finance": C}, 4),
    ("Émilie", "Perrin", "Responsable des partenariats", "transports", "85",
     {"collecte-de-fonds": E, "strategie": N}, 5),
    ("Vincent", "Le Gall", "Comptable", None, "22",
     {"finance": C, "numerique": N}, 6),
    ("Sandrine", "Lebreton", "Ancienne assistante sociale", None, "44",
     {"action-sociale": E, "juridique": N}, 8),
    ("Guillaume", "Rivière", "Chef de projet", "energie", "37",
     {"gestion-de-projet": E, "achats": C}, 4),
    ("Pauline", "Texier", "Chargée de communication", "mutuelle", "79",
     {"communication": C, "collecte-de-fonds": N}, 4),
    ("Bruno", "Le Floch", "Directeur d’agence bancaire retraité", None, "29",
     {"finance": E, "gouvernance": E}, 8),
    ("Manon", "Verdier", "Responsable qualité", "biscuiterie", "49",
     {"evaluation": E, "action-sociale": N}, 4),
    ("Alexandre", "Prigent", "Architecte", None, "35",
     {"immobilier": E, "gestion-de-projet": C}, 3),
    ("Céline", "Mercier", "Juriste", "juris", "49",
     {"juridique": C, "gouvernance": C}, 4),
    ("David", "Corre", "Consultant en organisation", "numeria", "56",
     {"strategie": C, "ressources-humaines": C}, 5),
    ("Jeanne", "Boucher", "Professeure de gestion", None, "50",
     {"finance": C, "evaluation": C}, 4),
    # Withdrawn offers: the volunteer has no time any more.
    ("Maxime", "Lucas", "Chargé d’affaires", "energie", "44",
     {"finance": C, "strategie": N}, 3),
    ("Laëtitia", "Riou", "Graphiste", None, "35",
     {"communication": E}, 3),
    ("Fabrice", "Chevalier", "Responsable logistique", "transports", "85",
     {"achats": E, "immobilier": N}, 4),
]  # fmt: skip
WITHDRAWN = {37, 38, 39}

MOTIVATIONS = [
    "J’ai envie de mettre mon expérience au service d’une association de mon territoire, "
    "et de découvrir de l’intérieur comment on fait vivre un projet collectif.",
    "Mon entreprise encourage le mécénat de compétences ; je cherche un engagement dans la "
    "durée, utile et concret, auprès d’une équipe de bénévoles.",
    "Bénévole depuis longtemps sur le terrain, je voudrais maintenant prendre ma part dans la "
    "gouvernance et aider un conseil d’administration à décider.",
    "Je viens de m’installer dans la région et souhaite rencontrer les acteurs de la "
    "solidarité tout en me rendant utile.",
    "À quelques années de la retraite, je veux transmettre ce que j’ai appris et consacrer "
    "du temps à une cause qui me tient à cœur.",
    "Les associations de proximité font beaucoup avec peu de moyens : je peux les aider à "
    "structurer leur fonctionnement sans prendre leur place.",
    "Je souhaite donner du sens à mes compétences en dehors du travail, dans une association "
    "qui accueille des personnes fragiles.",
    "Un mandat d’administrateur est une façon d’apprendre autant que de donner : j’aimerais "
    "vivre cette expérience avec une structure qui a besoin de renfort.",
]

INTEREST_MESSAGE = (
    "Bonjour, votre annonce correspond à ce que je cherche : je connais bien ce domaine et je "
    "suis disponible en soirée pour les réunions du conseil. Je serais ravi·e d’en parler "
    "avec vous."
)

# A need's matches, by its index in NEEDS: (status, origin, days since it was proposed).
PROPOSED, INTRODUCED, ACCEPTED, DECLINED_BY_ASSOCIATION, DECLINED_BY_VOLUNTEER, ENDED = (
    "proposed", "introduced", "accepted", "declined_association", "declined_volunteer", "ended",
)  # fmt: skip
STAFF, INTEREST = Match.Origin.values
MATCH_PLAN = {
    0: [(PROPOSED, STAFF, 2), (INTRODUCED, STAFF, 4)],
    1: [(PROPOSED, INTEREST, 1)],
    2: [(INTRODUCED, STAFF, 12)],  # the volunteer said yes, the association is late
    3: [(DECLINED_BY_ASSOCIATION, STAFF, 15)],
    4: [(DECLINED_BY_VOLUNTEER, STAFF, 30), (PROPOSED, STAFF, 3)],
    11: [(PROPOSED, STAFF, 6)],
    13: [(ACCEPTED, INTEREST, 40)],  # a public need: the volunteer saw it listed
    14: [(ACCEPTED, STAFF, 55)],
    15: [(INTRODUCED, STAFF, 9)],
    16: [(ENDED, STAFF, 200)],
    17: [(ENDED, STAFF, 190)],
    18: [(DECLINED_BY_ASSOCIATION, STAFF, 150)],
}
ENDED_NOTE = (
    "Élection au conseil lors de l’assemblée générale ; premier point d’étape fait avec les "
    "deux parties, tout se passe bien. Suivi clos."
)
