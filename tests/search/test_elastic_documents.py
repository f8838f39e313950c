"""What Elasticsearch is given: documents built from real pages and board needs, and what is
refused (unpublished or private pages, needs the public listing does not show)."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from awards.models import AwardEdition
from awards.pages import AwardPage, LaureatePage
from demo.factories.forms import BoardNeedFactory, SkillFactory
from demo.factories.home import NewsPageFactory, StandardPageFactory
from forms.models import BoardNeed
from search.documents import index_definition
from search.indexing import (
    all_documents,
    count_documents,
    need_document,
    page_document,
)

pytestmark = pytest.mark.django_db


def award_with_laureate(home, year=2024):
    now = timezone.now()
    edition = AwardEdition.objects.create(
        year=year,
        call_opens_at=now - datetime.timedelta(days=400),
        call_closes_at=now - datetime.timedelta(days=370),
        scoring_deadline=now - datetime.timedelta(days=340),
        results_published_at=now - datetime.timedelta(days=310),
    )
    award = AwardPage(title=f"Prix {year}", slug=f"prix-{year}", edition=edition)
    home.add_child(instance=award)
    award.save_revision().publish()
    laureate = LaureatePage(
        title="Des jardins partagés",
        slug="jardins",
        prize_name="Prix du partenariat durable",
        association_name="Les Jardins de Demain",
        company_name="Transports Ligériens",
        introduction="Un partenariat de trois ans.",
        body=[{"type": "paragraph", "value": "<p>Le <b>récit</b> du partenariat.</p>"}],
    )
    award.add_child(instance=laureate)
    laureate.save_revision().publish()
    return award, laureate


def test_a_standard_page_becomes_a_document_with_its_text_stripped_of_html(site_tree):
    page = StandardPageFactory(
        parent=site_tree["home"],
        title="Le bénévolat de gouvernance",
        slug="gouvernance",
        introduction="Devenir administrateur d’une association.",
        body=[{"type": "paragraph", "value": "<p>Un <i>conseil</i> d’administration.</p>"}],
    )
    document = page_document(page)
    assert document["kind"] == "page"
    assert document["title"] == "Le bénévolat de gouvernance"
    assert document["excerpt"] == "Devenir administrateur d’une association."
    assert "conseil" in document["body"] and "<i>" not in document["body"]
    assert document["url"] == page.get_url() and document["url"].endswith("/gouvernance/")
    assert document["territory"] == "" and document["year"] is None


def test_a_news_item_carries_its_date_and_year(site_tree):
    news = NewsPageFactory(parent=site_tree["news_index"], date=datetime.date(2025, 6, 2))
    document = page_document(news)
    assert (document["kind"], document["date"], document["year"]) == ("news", "2025-06-02", 2025)


def test_an_award_and_its_laureate_carry_the_editions_year(site_tree):
    award, laureate = award_with_laureate(site_tree["home"], 2024)
    assert (page_document(award)["kind"], page_document(award)["year"]) == ("award", 2024)
    document = page_document(laureate)
    assert (document["kind"], document["year"]) == ("laureate", 2024)
    # The partners' names are searchable.
    assert "Les Jardins de Demain" in document["body"]
    assert "Transports Ligériens" in document["body"]
    assert "récit" in document["body"] and "<b>" not in document["body"]


def test_unpublished_and_private_pages_are_refused(site_tree):
    about = site_tree["about"]
    child = StandardPageFactory(parent=about, title="Sous-page")
    assert page_document(child) is not None
    PageViewRestriction.objects.create(page=about, restriction_type="login")
    assert page_document(about) is None
    assert page_document(child) is None  # the restriction covers the pages below
    news = site_tree["news"][0]
    news.unpublish()
    assert page_document(news) is None


def test_pages_of_other_kinds_are_not_indexed(site_tree):
    assert page_document(site_tree["home"]) is None
    assert page_document(site_tree["news_index"]) is None


def test_an_open_public_need_becomes_a_document(site_tree):
    skill = SkillFactory(name="Comptabilité")
    need = BoardNeedFactory(departement="2A", commune="Ajaccio", with_skills={skill: 3})
    document = need_document(need)
    assert document["kind"] == "need"
    assert document["title"] == str(need) and "trésorier" in document["title"]
    assert document["excerpt"] == need.description
    assert "Comptabilité" in document["body"] and "Ajaccio" in document["body"]
    assert need.organisation.name in document["body"]
    assert document["territory"] == "2A"
    assert document["url"] == f"/benevolat/besoins/{need.pk}/"


@pytest.mark.parametrize(
    "changes",
    [
        {"status": BoardNeed.Status.CLOSED},
        {"status": BoardNeed.Status.FILLED},
        {"status": BoardNeed.Status.IN_PROGRESS},
        {"visibility": BoardNeed.Visibility.NETWORK},
    ],
)
def test_a_need_the_public_listing_does_not_show_is_refused(site_tree, changes):
    need = BoardNeedFactory(**changes)
    assert need_document(need) is None


def test_the_needs_of_an_erased_organisation_are_refused(site_tree):
    need = BoardNeedFactory()
    need.organisation.pseudonymised_at = timezone.now()
    need.organisation.save()
    assert need_document(need) is None


def test_everything_to_index_and_nothing_else(site_tree):
    award, laureate = award_with_laureate(site_tree["home"])
    hidden = StandardPageFactory(parent=site_tree["home"], title="Brouillon")
    hidden.unpublish()
    open_need = BoardNeedFactory()
    BoardNeedFactory(status=BoardNeed.Status.CLOSED)

    ids = dict(all_documents())
    expected = {f"page-{site_tree['about'].pk}", f"page-{award.pk}", f"page-{laureate.pk}"}
    expected |= {f"page-{news.pk}" for news in site_tree["news"]}
    expected.add(f"need-{open_need.pk}")
    assert set(ids) == expected
    assert ids[f"page-{laureate.pk}"]["year"] == award.edition.year
    assert count_documents() == len(expected)
    # Exactly the mapping's fields (it is strict).
    fields = set(index_definition("x").to_dict()["mappings"]["properties"])
    assert all(set(document) == fields for document in ids.values())
