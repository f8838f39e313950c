"""Demo data of social-utility reporting: a framework of 20 indicators in 6 dimensions, three
yearly campaigns (two closed and reviewed, the last one open), and the answers of 30
organisations with believable variation; two reports of the open campaign wait for their review.

Idempotent: dimensions and indicators are found by slug and code, campaigns by year, reports by
organisation and campaign; what exists is left as it is. Figures come from a seeded generator,
scaled to each organisation's size, so two runs give the same site."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from demo.factories.impact import CampaignFactory, DimensionFactory, IndicatorFactory
from demo.factories.members import OrganisationFactory
from impact.models import (
    Answer,
    AnswerPart,
    Breakdown,
    BreakdownCategory,
    Campaign,
    Dimension,
    Indicator,
    Report,
)
from impact.pages import ImpactPage
from impact.services import where_it_stands
from members.models import Organisation

SEED = 2009  # the year the network first asked for shared indicators
ORGANISATIONS = 30
Kind = Indicator.Kind

DIMENSIONS = [
    ("lien-social", "Lien social", "Ce que l’association tisse entre les personnes."),
    ("emploi-insertion", "Emploi et insertion", "Les emplois créés et les parcours soutenus."),
    ("engagement-benevole", "Engagement bénévole", "Les bénévoles, leur temps, leur formation."),
    (
        "gouvernance",
        "Gouvernance participative",
        "Qui décide, et comment les personnes accompagnées y prennent part.",
    ),
    ("environnement", "Environnement", "Ce que l’activité fait pour sobriété et biodiversité."),
    (
        "economie-territoire",
        "Économie et territoire",
        "Ce que l’association fait vivre autour d’elle.",
    ),
]

BREAKDOWNS = {
    "genre": ("Genre", ["Femmes", "Hommes", "Autre ou non précisé"]),
    "age": ("Âge", ["Moins de 26 ans", "26 à 64 ans", "65 ans et plus"]),
}

# code, dimension, name, kind, unit, definition, breakdowns, (low, high) per employee-size unit
INDICATORS = [
    ("personnes-accompagnees", "lien-social", "Personnes accompagnées", Kind.COUNT, "personnes",
     "Personnes différentes accompagnées au moins une fois dans l’année.", ["genre", "age"],
     (40, 400)),
    ("actions-collectives", "lien-social", "Actions collectives", Kind.COUNT, "actions",
     "Ateliers, sorties, fêtes ouverts à plusieurs personnes.", [], (10, 120)),
    ("partenaires-locaux", "lien-social", "Partenaires locaux", Kind.COUNT, "structures",
     "Associations, services et entreprises avec qui une action a été menée.", [], (3, 40)),
    ("salaries-etp", "emploi-insertion", "Salariés en équivalent temps plein", Kind.AMOUNT, "ETP",
     "Moyenne annuelle des équivalents temps plein.", [], None),
    ("parcours-insertion", "emploi-insertion", "Personnes en parcours d’insertion", Kind.COUNT,
     "personnes", "Contrats aidés, chantiers, stages menant à l’emploi.", ["genre"], (0, 25)),
    ("sorties-positives", "emploi-insertion", "Sorties positives", Kind.PERCENTAGE, "",
     "Part des parcours terminés menant à un emploi ou une formation.", [], None),
    ("benevoles-actifs", "engagement-benevole", "Bénévoles actifs", Kind.COUNT, "bénévoles",
     "Bénévoles venus au moins quatre fois dans l’année.", ["genre", "age"], (8, 150)),
    ("heures-benevoles", "engagement-benevole", "Heures de bénévolat", Kind.COUNT, "heures",
     "Heures données par les bénévoles, estimées au plus juste.", [], (400, 9000)),
    ("benevoles-formes", "engagement-benevole", "Bénévoles formés", Kind.PERCENTAGE, "",
     "Part des bénévoles actifs qui ont suivi une formation dans l’année.", [], None),
    ("charte-benevolat", "engagement-benevole", "Charte du bénévolat", Kind.YES_NO, "",
     "Une charte dit ce que l’association et ses bénévoles s’engagent à faire.", [], None),
    ("femmes-ca", "gouvernance", "Femmes au conseil d’administration", Kind.PERCENTAGE, "",
     "Part des femmes parmi les administrateurs au 31 décembre.", [], None),
    ("usagers-ca", "gouvernance", "Personnes accompagnées au conseil", Kind.COUNT, "personnes",
     "Administrateurs qui sont ou ont été accompagnés par l’association.", [], (0, 4)),
    ("participation", "gouvernance", "Participation aux décisions", Kind.SCALE, "note",
     "De 1 (décisions prises par quelques-uns) à 5 (instances ouvertes, décisions partagées).",
     [], None),
    ("bilan-carbone", "environnement", "Bilan carbone réalisé", Kind.YES_NO, "",
     "Un bilan des émissions de gaz à effet de serre a été fait dans les trois dernières années.",
     [], None),
    ("km-evites", "environnement", "Kilomètres évités", Kind.COUNT, "km",
     "Déplacements évités par le covoiturage, le vélo ou la visioconférence, estimés.", [],
     (0, 8000)),
    ("achats-reemploi", "environnement", "Achats de seconde main", Kind.PERCENTAGE, "",
     "Part des achats de matériel faits en réemploi.", [], None),
    ("budget", "economie-territoire", "Budget annuel", Kind.AMOUNT, "€",
     "Total des produits du compte de résultat.", [], None),
    ("achats-locaux", "economie-territoire", "Achats dans le département", Kind.PERCENTAGE, "",
     "Part des achats faits auprès de fournisseurs du département.", [], None),
    ("fonds-prives", "economie-territoire", "Ressources privées", Kind.PERCENTAGE, "",
     "Part du budget venue de dons, mécénat et ventes.", [], None),
    ("fait-marquant", "lien-social", "Un fait marquant de l’année", Kind.TEXT, "",
     "Ce que vous retenez de l’année, en quelques lignes.", [], None),
]  # fmt: skip

PERCENTAGE_LABELS = {
    "sorties-positives": ("parcours terminés vers l’emploi ou la formation", "parcours terminés"),
    "benevoles-formes": ("bénévoles formés", "bénévoles actifs"),
    "femmes-ca": ("administratrices", "administrateurs"),
    "achats-reemploi": ("achats en réemploi (€)", "achats de matériel (€)"),
    "achats-locaux": ("achats dans le département (€)", "achats (€)"),
    "fonds-prives": ("ressources privées (€)", "budget (€)"),
}

HIGHLIGHTS = [
    "Un nouveau local, partagé avec deux autres associations du quartier.",
    "La fête de printemps a réuni trois générations autour du jardin.",
    "Deux anciennes bénévoles ont rejoint le conseil d’administration.",
    "Un partenariat avec le collège a ouvert nos ateliers aux familles.",
    "Nous avons formé toute l’équipe à l’accueil des personnes en situation de handicap.",
]


def ensure_framework():
    """The dimensions, breakdowns and indicators, found by slug and code."""
    dimensions = {}
    for order, (slug, name, description) in enumerate(DIMENSIONS):
        dimensions[slug] = Dimension.objects.filter(slug=slug).first() or DimensionFactory(
            slug=slug, name=name, description=description, sort_order=order
        )
    breakdowns = {}
    for slug, (name, labels) in BREAKDOWNS.items():
        breakdown = Breakdown.objects.filter(slug=slug).first()
        if breakdown is None:
            breakdown = Breakdown.objects.create(slug=slug, name=name)
            BreakdownCategory.objects.bulk_create(
                BreakdownCategory(breakdown=breakdown, label=label, sort_order=order)
                for order, label in enumerate(labels)
            )
        breakdowns[slug] = breakdown
    indicators = []
    for order, (code, dimension, name, kind, unit, definition, splits, _range) in enumerate(
        INDICATORS
    ):
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            numerator, denominator = PERCENTAGE_LABELS.get(code, ("", ""))
            indicator = IndicatorFactory(
                code=code, dimension=dimensions[dimension], name=name, kind=kind, unit=unit,
                definition=definition, numerator_label=numerator, denominator_label=denominator,
                sort_order=order,
            )  # fmt: skip
            indicator.breakdowns.set([breakdowns[s] for s in splits])
        indicators.append(indicator)
    return indicators


def ensure_organisations(rng):
    """Thirty organisations: the other demos' first, then new ones to make up the number."""
    organisations = list(Organisation.objects.filter(pseudonymised_at__isnull=True).order_by("pk"))
    for n in range(len(organisations), ORGANISATIONS):
        postal = rng.choice(["44000", "49000", "53000", "72000", "85000", "44600"])
        organisations.append(
            OrganisationFactory(
                name=f"Association de démonstration n°{n + 1}",
                rna=f"W99{n:07d}",
                postal_code=postal,
                departement=postal[:2],
                employees=rng.randint(0, 40),
            )  # fmt: skip
        )
    return organisations[:ORGANISATIONS]


def _size(organisation):
    """A size factor from the organisation's employees (0.2 for none, up to about 3)."""
    return 0.2 + min(organisation.employees or 0, 50) / 18


def figures(indicator, organisation, year, rng):
    """One answer's values for this organisation and year: the same organisation stays of the
    same order of size from year to year, and grows a little."""
    size = _size(organisation)
    growth = 1 + 0.05 * (year % 3)
    code, kind = indicator.code, indicator.kind
    low_high = next(spec[7] for spec in INDICATORS if spec[0] == code)
    if kind == Kind.COUNT:
        low, high = low_high
        return {"value": Decimal(max(0, round(rng.uniform(low, high) * size * growth / 2)))}
    if kind == Kind.AMOUNT:
        if code == "budget":
            return {"value": Decimal(round(rng.uniform(20_000, 90_000) * size * growth, -2))}
        return {
            "value": Decimal(str(round((organisation.employees or 0) * rng.uniform(0.6, 0.95), 1)))
        }
    if kind == Kind.PERCENTAGE:
        denominator = rng.randint(8, 60)
        share = {"femmes-ca": 0.5, "achats-locaux": 0.55, "sorties-positives": 0.6}.get(code, 0.3)
        numerator = min(denominator, max(0, round(denominator * rng.gauss(share, 0.15))))
        return {"numerator": Decimal(numerator), "denominator": Decimal(denominator)}
    if kind == Kind.SCALE:
        return {"value": Decimal(rng.choice([2, 3, 3, 4, 4, 5]))}
    if kind == Kind.YES_NO:
        return {"yes_no": rng.random() < (0.7 if code == "charte-benevolat" else 0.3)}
    return {"text": rng.choice(HIGHLIGHTS)}


def fill_report(report, indicators, rng):
    answers = []
    for indicator in indicators:
        if indicator.kind != Kind.TEXT and rng.random() < 0.06:
            answers.append(Answer(report=report, indicator=indicator, not_applicable=True))
            continue
        answer = Answer(
            report=report,
            indicator=indicator,
            **figures(indicator, report.organisation, report.campaign.year, rng),
        )
        if rng.random() < 0.2:
            answer.source = rng.choice(["comptes annuels", "registre des bénévoles", "enquête"])
        answers.append(answer)
    answers = Answer.objects.bulk_create(answers)
    parts = []
    for answer in answers:
        if answer.value is None or answer.indicator.kind != Kind.COUNT:
            continue
        for breakdown in answer.indicator.breakdowns.all():
            categories = list(breakdown.categories.all())
            left = int(answer.value)
            for category in categories[:-1]:
                share = rng.randint(0, left)
                parts.append(AnswerPart(answer=answer, category=category, value=Decimal(share)))
                left -= share
            parts.append(AnswerPart(answer=answer, category=categories[-1], value=Decimal(left)))
    AnswerPart.objects.bulk_create(parts)


def ensure_campaigns(indicators, today):
    """Three campaigns: the last two years closed, last year's open until two months from now."""
    year = today.year - 1
    campaigns = []
    for measured, (opens, closes) in (
        (year - 2, (datetime.date(year - 1, 1, 15), datetime.date(year - 1, 4, 30))),
        (year - 1, (datetime.date(year, 1, 15), datetime.date(year, 4, 30))),
        (year, (today - datetime.timedelta(days=30), today + datetime.timedelta(days=60))),
    ):
        campaign = Campaign.objects.filter(year=measured).first() or CampaignFactory(
            year=measured, title=f"Utilité sociale {measured}", opens_on=opens, closes_on=closes,
            introduction="Vingt indicateurs partagés, choisis ensemble en assemblée générale.",
            indicators=indicators,
            figures_public=measured < year,  # the open campaign's figures wait for its review
        )  # fmt: skip
        campaigns.append(campaign)
    return campaigns


PAGE_SLUG = "impact-du-reseau"
PAGE_INTRODUCTION = (
    "Chaque année, les adhérents rendent compte de leur utilité sociale avec des indicateurs "
    "choisis ensemble. Voici ce qu’ils apportent, rassemblés : les chiffres de plusieurs années, "
    "par département et par secteur."
)


def ensure_page():
    """« L'impact du réseau », under the association's page of the demo site (else its home
    page); nothing without a site."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    home = site.root_page
    parent = Page.objects.child_of(home).filter(slug="association").first() or home
    page = ImpactPage.objects.filter(slug=PAGE_SLUG).first()
    if page is None:
        page = parent.specific.add_child(
            instance=ImpactPage(
                title="L’impact du réseau", slug=PAGE_SLUG, introduction=PAGE_INTRODUCTION
            )
        )
        page.save_revision().publish()
    return page


@transaction.atomic
def load_demo_impact(today=None):
    """Loads what is missing; returns the number of reports made."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    indicators = ensure_framework()
    organisations = ensure_organisations(rng)
    campaigns = ensure_campaigns(indicators, today)
    ensure_page()
    made = 0
    now = timezone.now()
    for campaign in campaigns:
        open_campaign = campaign.is_open(today)
        for index, organisation in enumerate(organisations):
            if Report.objects.filter(campaign=campaign, organisation=organisation).exists():
                continue
            if open_campaign and index % 3 == 2:
                continue  # a third of the members have not started yet
            report = Report.objects.create(campaign=campaign, organisation=organisation)
            fill_report(report, indicators, rng)
            made += 1
            if not open_campaign:
                submitted = datetime.datetime.combine(campaign.closes_on, datetime.time(12))
                submitted = timezone.make_aware(submitted) - datetime.timedelta(days=index % 20)
                departement, sectors = where_it_stands(organisation)
                Report.objects.filter(pk=report.pk).update(
                    status=Report.Status.REVIEWED, submitted_at=submitted,
                    reviewed_at=submitted + datetime.timedelta(days=7),
                    departement=departement, sectors=sectors,
                )  # fmt: skip
                report.answers.update(review=Answer.Review.ACCEPTED)
            elif index in (0, 1):
                # Two submissions wait for their review.
                departement, sectors = where_it_stands(organisation)
                Report.objects.filter(pk=report.pk).update(
                    status=Report.Status.SUBMITTED,
                    submitted_at=now - datetime.timedelta(days=index + 2),
                    departement=departement, sectors=sectors,
                )  # fmt: skip
    return made


def impact_exists():
    return Campaign.objects.exists()
