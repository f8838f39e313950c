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

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from awards.models import (
    AwardEdition,
)
from awards.pages import AwardPage, LaureatePage
from demo.content.text import heading, p, paragraph, typo
from home.models import StandardPage

from .building import (
    AwardsReport,
    add_grid,
    award_parent,
    ensure_award_page,
    ensure_image,
    make_edition,
    paris,
    publish,
)
from .data import LAUREATES_2016
from .edition_2018 import load_2018

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
