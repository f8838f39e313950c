"""The 2018 edition: 19 pairs, scored by a jury of 6, three laureates published."""

from __future__ import annotations

import datetime
import random

from django.utils.text import slugify

from awards.models import (
    Application,
    Juror,
    JuryAssignment,
    Score,
)
from awards.pages import LaureatePage
from demo.content.text import heading, p, paragraph, typo
from demo.factories.members import OrganisationFactory, siret_with_key
from members.models import Contact, Organisation

from .building import (
    add_grid,
    demo_password_hash,
    ensure_award_page,
    ensure_image,
    ensure_users,
    make_edition,
    paris,
    publish,
)
from .data import DEMO_DOMAIN, JURORS_2018, PAIRS_2018, STORIES_2018

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
                company_siret=siret_with_key(f"{790000000 + index * 1013:09d}0001"),
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
            OrganisationFactory.build(
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
