"""Demo data for the « La part des autres » award: three editions that show the whole flow.

- 2016: the first edition, over, with its page and two laureates' pages;
- 2018: 19 association–company pairs, a jury of 6 who have all submitted their scores
  (3 jurors per application, balanced), 8 weighted criteria, 3 prizes and 3 published laureates;
- the current year: an open call (dates computed from today), with its grid and prizes.

Idempotent: editions are found by year and filled only when created; organisations by RNA,
users by e-mail, pages by slug under their parent. The content is data, written in French.

Demo accounts (jurors, applicants) get an unusable password, unless DEMO_PASSWORD is set in the
environment: then they all get that one (for a local demonstration only, never in production).
"""

from __future__ import annotations

import datetime
import io
import os
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from home.demo_content import DARK_GREEN, GREEN, MINT, WHITE, YELLOW, heading, p, paragraph, typo
from home.models import StandardPage
from members.models import Contact, Organisation

from .models import (
    Application,
    AwardEdition,
    EvaluationCriterion,
    Juror,
    JuryAssignment,
    Prize,
    Score,
)
from .pages import AwardPage, LaureatePage

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


# --------------------------------------------------------------------------------------------
# Pictures, drawn with Pillow: two shapes that meet, like the two partners of a pair


def draw_png(seed: str, size=(1200, 675)) -> bytes:
    rng = random.Random(seed)
    width, height = size
    picture = PILImage.new("RGB", size, MINT)
    draw = ImageDraw.Draw(picture)
    for _ in range(18):
        x, y, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(8, 26)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=WHITE)
    if seed.endswith("-action"):
        # A second picture for the story: bars that grow, like what the pair achieved.
        count = 5
        step = width * 0.7 / count
        for i in range(count):
            top = height * (0.7 - 0.1 * i - rng.uniform(0, 0.05))
            left = width * 0.15 + i * step
            color = YELLOW if i == count - 1 else GREEN
            draw.rounded_rectangle((left, top, left + step * 0.7, height * 0.85), 16, fill=color)
        draw.rectangle((0, height - 24, width, height), fill=DARK_GREEN)
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG")
        return buffer.getvalue()
    radius = height * rng.uniform(0.26, 0.32)
    left = (width * 0.4, height * 0.5)
    right = (width * 0.6, height * rng.uniform(0.45, 0.55))
    draw.ellipse(
        (left[0] - radius, left[1] - radius, left[0] + radius, left[1] + radius), fill=GREEN
    )
    draw.ellipse(
        (right[0] - radius, right[1] - radius, right[0] + radius, right[1] + radius),
        fill=YELLOW,
        outline=DARK_GREEN,
        width=6,
    )
    draw.rectangle((0, height - 24, width, height), fill=DARK_GREEN)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def ensure_image(title: str, description: str, seed: str):
    Image = get_image_model()
    existing = Image.objects.filter(title=title).order_by("pk").first()
    if existing is not None:
        return existing
    image = Image(title=title, description=typo(description))
    image.file = ImageFile(io.BytesIO(draw_png(seed)), name=f"demo-laureat-{seed}.png")
    image._set_image_file_metadata()
    image.save()
    return image


# --------------------------------------------------------------------------------------------
# Building


@dataclass
class AwardsReport:
    editions_created: list[int] = field(default_factory=list)
    applications_created: int = 0
    pages_created: int = 0

    def summary(self) -> str:
        years = ", ".join(str(y) for y in self.editions_created) or "aucune"
        return (
            f"Éditions créées : {years} ; dossiers : {self.applications_created} ; "
            f"pages : {self.pages_created}."
        )


def paris(year, month, day, hour=12, minute=0):
    tz = timezone.get_default_timezone()
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute), tz)


def demo_password_hash():
    """DEMO_PASSWORD for local demonstrations, else an unusable password."""
    return make_password(os.environ.get("DEMO_PASSWORD") or None)


def luhn_complete(digits: str) -> str:
    """`digits` followed by the check digit that makes the whole pass the Luhn test."""
    for check in "0123456789":
        number = digits + check
        total = 0
        for i, char in enumerate(reversed(number)):
            value = int(char) * (2 if i % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return number
    raise AssertionError("unreachable")


def ensure_users(people, password):
    """Users by e-mail (username = e-mail), created in one query; returns them in order."""
    User = get_user_model()
    emails = [email for email, _first, _last in people]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    missing = [
        User(username=email, email=email, first_name=first, last_name=last, password=password)
        for email, first, last in people
        if email not in existing
    ]
    User.objects.bulk_create(missing)
    found = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [found[email] for email in emails]


def add_grid(edition, count=None):
    criteria = [
        EvaluationCriterion(
            edition=edition,
            label=typo(label),
            guidance=typo(guidance),
            weight=weight,
            allow_not_applicable=not_applicable,
            sort_order=order,
        )
        for order, (label, guidance, weight, not_applicable) in enumerate(CRITERIA[: count or None])
    ]
    prizes = [
        Prize(
            edition=edition,
            name=typo(name),
            description=typo(description),
            amount_cents=cents,
            sort_order=order,
        )
        for order, (name, description, cents) in enumerate(PRIZES)
    ]
    return EvaluationCriterion.objects.bulk_create(criteria), Prize.objects.bulk_create(prizes)


def make_edition(year, opens, closes, scoring, results):
    edition, created = AwardEdition.objects.get_or_create(
        year=year,
        defaults={
            "call_opens_at": opens,
            "call_closes_at": closes,
            "scoring_deadline": scoring,
            "results_published_at": results,
            "rules": typo(RULES),
            "jurors_per_application": 3,
        },
    )
    return edition, created


def award_parent():
    """The « Prix La part des autres » page of the demo site, else the site's home page."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    root = site.root_page
    return Page.objects.child_of(root).filter(slug=PRIX_SLUG).first() or root


def publish(parent, page, report):
    """Add `page` under `parent` (unless a page has its slug there) and publish it."""
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.pages_created += 1
    return page


def ensure_award_page(parent, edition, introduction, body, report):
    page = AwardPage.objects.filter(edition=edition).first()
    if page is not None or parent is None:
        return page
    page = AwardPage(
        title=typo(f"Prix « La part des autres » {edition.year}"),
        slug=f"edition-{edition.year}",
        edition=edition,
        introduction=typo(introduction),
        body=body,
        show_in_menus=True,  # the « Prix » section's submenu lists its editions
    )
    return publish(parent, page, report)


# ---- 2016


def load_2016(parent, report):
    edition, created = make_edition(
        2016,
        paris(2016, 2, 1, 9),
        paris(2016, 5, 31, 23, 59),
        paris(2016, 9, 16, 18),
        paris(2016, 10, 13, 18),
    )
    if created:
        report.editions_created.append(2016)
        add_grid(edition, count=6)
    page = ensure_award_page(
        parent,
        edition,
        "La première édition du prix a distingué des partenariats entre associations et "
        "entreprises de la région. Ses lauréats ont ensuite été suivis pendant un an.",
        [
            heading(typo("Une première édition pour essayer")),
            paragraph(
                p(
                    typo(
                        "Pour la première fois, le réseau et un club d'entreprises engagées ont "
                        "invité associations et entreprises à présenter ensemble ce qu'elles font "
                        "à deux. Le bilan de cette édition a servi à revoir le règlement, le "
                        "dossier et la grille de l'édition suivante."
                    )
                )
            ),
        ],
        report,
    )
    if page is None:
        return edition
    for index, (title, association, company, prize, intro) in enumerate(LAUREATES_2016):
        image = ensure_image(
            f"Lauréat 2016 – {association}",
            f"Illustration : deux disques, vert et jaune, qui se rejoignent, comme {association} "
            f"et {company}.",
            f"2016-{index}",
        )
        publish(
            page,
            LaureatePage(
                title=typo(title),
                slug=slugify(association),
                prize_name=typo(prize),
                association_name=typo(association),
                company_name=typo(company),
                image=image,
                introduction=typo(intro),
                body=[
                    paragraph(
                        p(
                            typo(
                                "Un an après la remise du prix, un court reportage est revenu sur "
                                "ce partenariat et sur ce qu'il a changé pour les deux structures."
                            )
                        )
                    )
                ],
            ),
            report,
        )
    return edition


# ---- 2018


def application_text(association, company, title, city):
    return {
        "title": typo(title),
        "summary": typo(
            f"{association} et {company} travaillent ensemble à {city} : {title.lower()}. Le "
            "dossier raconte comment le partenariat est né, ce que chacun y apporte et ce qu'il a "
            "changé pour les personnes accompagnées."
        ),
        "territory": city,
        "beneficiaries": typo("Les personnes accompagnées par l'association et leurs familles."),
        "association_contribution": typo(
            "Sa connaissance des publics, ses bénévoles et l'organisation des actions."
        ),
        "company_contribution": typo(
            "Du temps de salariés volontaires, des compétences, du matériel et un lieu."
        ),
        "results": typo(
            "Davantage de personnes accompagnées, et des salariés qui découvrent le monde "
            "associatif."
        ),
        "prospects": typo("Étendre l'action à une seconde commune l'an prochain."),
    }


def load_2018(parent, report):
    edition, created = make_edition(
        2018,
        paris(2018, 2, 5, 9),
        paris(2018, 5, 31, 23, 59),
        paris(2018, 9, 14, 18),
        paris(2018, 10, 11, 18),
    )
    if created:
        report.editions_created.append(2018)
        build_2018(edition, report)
    page = ensure_award_page(
        parent,
        edition,
        "Dix-neuf binômes formés d'une association et d'une entreprise ont présenté leur "
        "partenariat en 2018. Le jury, venu des deux mondes, a remis trois prix.",
        [
            heading(typo("Une deuxième édition plus ouverte")),
            paragraph(
                p(
                    typo(
                        "Forts du bilan de 2016, nous avons revu le règlement, le dossier de "
                        "candidature et la grille d'évaluation, et élargi le jury. Les lauréats "
                        "de la première édition sont venus témoigner lors du lancement."
                    )
                ),
                p(
                    typo(
                        "Chaque dossier a été lu et noté par trois jurés, qui ont ensuite "
                        "délibéré ensemble pour désigner les lauréats."
                    )
                ),
            ),
        ],
        report,
    )
    if page is not None:
        publish_laureates_2018(edition, page, report)
    return edition


def build_2018(edition, report):
    criteria, prizes = add_grid(edition)
    password = demo_password_hash()
    organisations = ensure_organisations()
    applicants = ensure_users(
        [(f"contact-{rna.lower()}@{DEMO_DOMAIN}", "Contact", name) for name, rna, *_ in PAIRS_2018],
        password,
    )
    Contact.objects.bulk_create(
        [
            Contact(organisation=org, user=user, role=Contact.Role.PRESIDENT, is_primary=True)
            for org, user in zip(organisations, applicants, strict=True)
            if not Contact.objects.filter(organisation=org, user=user).exists()
        ]
    )
    submitted = paris(2018, 5, 20, 17)
    applications = []
    for index, (pair, org, user) in enumerate(
        zip(PAIRS_2018, organisations, applicants, strict=True)
    ):
        name, _rna, city, postal, company, sector, employees, title = pair
        laureate = index < len(prizes)
        applications.append(
            Application(
                edition=edition,
                organisation=org,
                created_by=user,
                status=Application.Status.LAUREATE if laureate else Application.Status.NOT_SELECTED,
                start_date=datetime.date(2014 + index % 4, 1 + index % 12, 1),
                company_name=typo(company),
                company_siret=luhn_complete(f"{790000000 + index * 1013:09d}0001"),
                company_sector=sector,
                company_size=employees,
                company_contact_name="Responsable RSE",
                company_contact_email=f"rse-{slugify(company)}@{DEMO_DOMAIN}",
                partner_invited_at=submitted - datetime.timedelta(days=20),
                partner_confirmed_at=submitted - datetime.timedelta(days=18),
                publication_consent=True,
                current_step=5,
                submitted_at=submitted + datetime.timedelta(hours=index),
                prize=prizes[index] if laureate else None,
                **application_text(typo(name), typo(company), title, city),
            )
        )
    applications = Application.objects.bulk_create(applications)
    report.applications_created += len(applications)

    jurors = ensure_jurors(edition, password)
    score_2018(applications, jurors, criteria)


def ensure_organisations():
    """The 19 associations of 2018, found by RNA or created in one query."""
    rnas = [pair[1] for pair in PAIRS_2018]
    existing = set(Organisation.objects.filter(rna__in=rnas).values_list("rna", flat=True))
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=typo(name),
                legal_form="association",
                rna=rna,
                address="1 rue de la Solidarité",
                postal_code=postal,
                city=city,
                departement=postal[:2],
                employees=3 + index % 7,
                volunteers=10 + index * 3,
                budget_bracket="50000",
            )
            for index, (name, rna, city, postal, *_rest) in enumerate(PAIRS_2018)
            if rna not in existing
        ]
    )
    by_rna = {o.rna: o for o in Organisation.objects.filter(rna__in=rnas)}
    return [by_rna[rna] for rna in rnas]


def ensure_jurors(edition, password):
    users = ensure_users(
        [
            (f"{slugify(first)}.{slugify(last)}@{DEMO_DOMAIN}", first, last)
            for first, last, *_ in JURORS_2018
        ],
        password,
    )
    return Juror.objects.bulk_create(
        [
            Juror(edition=edition, user=user, company_name=typo(employer), bio=typo(bio))
            for user, (_first, _last, employer, bio) in zip(users, JURORS_2018, strict=True)
        ]
    )


def score_2018(applications, jurors, criteria):
    """3 jurors per application, balanced (10 or 9 each), all scores submitted."""
    rng = random.Random("la-part-des-autres-2018")
    submitted = paris(2018, 9, 10, 20)
    assignments = []
    for index, application in enumerate(applications):
        first = (index % 2) * 3
        for offset in range(3):
            assignments.append(
                JuryAssignment(
                    application=application,
                    juror=jurors[first + offset],
                    status=JuryAssignment.Status.SUBMITTED,
                    submitted_at=submitted,
                )
            )
    assignments = JuryAssignment.objects.bulk_create(assignments)
    quality = {app.pk: 4.5 - 0.15 * i if i < 3 else rng.uniform(1.5, 3.8) for i, app in
               enumerate(applications)}  # fmt: skip
    scores = []
    for assignment in assignments:
        base = quality[assignment.application_id]
        for criterion in criteria:
            if criterion.allow_not_applicable and rng.random() < 0.1:
                value = None
            else:
                value = min(criterion.scale_max, max(0, round(base + rng.gauss(0, 0.7))))
            scores.append(
                Score(
                    assignment=assignment,
                    criterion=criterion,
                    value=value,
                    comment=typo("Partenariat bien décrit.") if value and value >= 4 else "",
                )
            )
    Score.objects.bulk_create(scores)


def publish_laureates_2018(edition, page, report):
    laureates = list(
        edition.applications.filter(status=Application.Status.LAUREATE)
        .select_related("organisation", "prize")
        .order_by("prize__sort_order")
    )
    for index, (application, story) in enumerate(zip(laureates, STORIES_2018, strict=False)):
        association = application.organisation.name
        company = application.company_name
        image = ensure_image(
            f"Lauréat 2018 – {association}",
            f"Illustration : deux disques, vert et jaune, qui se rejoignent, comme {association} "
            f"et {company}.",
            f"2018-{index}",
        )
        action = ensure_image(
            f"Lauréat 2018 – {association} – l'action",
            "Illustration : des barres vertes de plus en plus hautes, la dernière jaune, comme "
            "les résultats du partenariat qui progressent.",
            f"2018-{index}-action",
        )
        body = [
            paragraph(*(p(typo(text)) for text in story.paragraphs[:1])),
            {
                "type": "image",
                "value": {
                    "image": action.pk,
                    "alt_text": action.description,
                    "caption": typo(story.caption),
                },
            },
            paragraph(*(p(typo(text)) for text in story.paragraphs[1:])),
        ]
        if story.quote:
            text, attribution, role = story.quote
            body.append(
                {
                    "type": "quote",
                    "value": {"text": typo(text), "attribution": typo(attribution), "role": role},
                }
            )
        publish(
            page,
            LaureatePage(
                title=application.title,
                slug=slugify(association),
                application=application,
                prize_name=application.prize.name if application.prize else "",
                association_name=association,
                company_name=company,
                image=image,
                introduction=typo(story.introduction),
                body=body,
            ),
            report,
        )


# ---- The current edition


def load_current(parent, report, today):
    opens = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=30), datetime.time(9, 0))
    )
    closes = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=60), datetime.time(23, 59))
    )
    edition, created = make_edition(
        today.year,
        opens,
        closes,
        closes + datetime.timedelta(days=45),
        closes + datetime.timedelta(days=70),
    )
    if created:
        report.editions_created.append(today.year)
        add_grid(edition)
    ensure_award_page(
        parent,
        edition,
        "L'appel à candidatures est ouvert : associations et entreprises de la région, "
        "présentez ensemble votre partenariat.",
        [
            heading(typo("Qui peut candidater ?")),
            paragraph(
                p(
                    typo(
                        "Une association de la région et une entreprise qui travaillent ensemble "
                        "depuis au moins six mois. Le dossier se remplit en ligne, en plusieurs "
                        "fois si besoin ; l'entreprise partenaire confirme le partenariat avant "
                        "le dépôt."
                    )
                )
            ),
            heading(typo("Ce que le prix apporte")),
            paragraph(
                p(
                    typo(
                        "Une dotation, un reportage sur votre partenariat et une place dans les "
                        "rencontres du réseau, où les lauréats racontent leur expérience."
                    )
                )
            ),
        ],
        report,
    )
    return edition


def awards_exist() -> bool:
    return AwardEdition.objects.exists()


@transaction.atomic
def load_demo_awards(today=None) -> AwardsReport:
    today = today or timezone.localdate()
    report = AwardsReport()
    parent = award_parent()
    load_2016(parent, report)
    load_2018(parent, report)
    if today.year not in (2016, 2018):
        load_current(parent, report, today)
    link_editions(parent)
    return report


def link_editions(parent):
    """Lead visitors of the « Prix » page to the editions: a call to action per edition page,
    newest first, added once."""

    if parent is None or not isinstance(parent.specific, StandardPage):
        return
    page = parent.specific
    linked = {
        block.value["link"]["page"].pk
        for block in page.body
        if block.block_type == "call_to_action" and block.value["link"]["page"]
    }
    editions = AwardPage.objects.child_of(page).live().order_by("-edition__year")
    added = False
    for award_page in editions:
        if award_page.pk in linked:
            continue
        edition = award_page.edition
        if edition.call_is_open():
            title, label = f"Candidater à l’édition {edition.year}", "Voir l’appel à candidatures"
        else:
            title, label = f"L’édition {edition.year}", "Voir les lauréats et le palmarès"
        link = {"label": label, "page": award_page, "url": ""}
        page.body.append(("call_to_action", {"title": title, "text": "", "link": link}))
        added = True
    if added:
        page.save_revision().publish()
