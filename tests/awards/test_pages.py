"""The award's public pages: an edition's page and its laureates' pages."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from awards.models import AwardEdition, EvaluationCriterion, Juror, Prize
from awards.pages import AwardPage, LaureatePage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded images and documents go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def make_edition(year=2030, state="open"):
    """An edition whose call is open, closed (scoring) or over (results out), seen from now."""
    now = timezone.now()
    shift = {
        "open": datetime.timedelta(days=-10),
        "closed": datetime.timedelta(days=-40),
        "published": datetime.timedelta(days=-400),
        "future": datetime.timedelta(days=30),
    }[state]
    opens = now + shift
    edition = AwardEdition.objects.create(
        year=year,
        call_opens_at=opens,
        call_closes_at=opens + datetime.timedelta(days=30),
        scoring_deadline=opens + datetime.timedelta(days=60),
        results_published_at=opens + datetime.timedelta(days=90),
        rules="<p>Le binôme dépose un seul dossier.</p>",
    )
    Prize.objects.create(
        edition=edition, name="Prix du partenariat durable", amount_cents=150000, sort_order=0
    )
    Prize.objects.create(edition=edition, name="Prix coup de cœur", sort_order=1)
    EvaluationCriterion.objects.create(
        edition=edition, label="Réciprocité du partenariat", weight=3, sort_order=0
    )
    EvaluationCriterion.objects.create(
        edition=edition,
        label="Capacité à essaimer",
        weight=1,
        allow_not_applicable=True,
        sort_order=1,
    )
    User = get_user_model()
    public = User.objects.create(username=f"jure1-{year}", first_name="Claire", last_name="Jury")
    hidden = User.objects.create(username=f"jure2-{year}", first_name="Paul", last_name="Discret")
    Juror.objects.create(
        edition=edition, user=public, company_name="Banque Coopérative", bio="Ancienne DRH."
    )
    Juror.objects.create(edition=edition, user=hidden, is_public=False)
    return edition


@pytest.fixture
def award_page(site_tree):
    def build(state="open", year=2030):
        edition = make_edition(year, state)
        page = AwardPage(
            title=f"Prix « La part des autres » {year}",
            slug=f"edition-{year}",
            edition=edition,
            introduction="Une édition du prix.",
            body=[{"type": "paragraph", "value": "<p>Présentation de l’édition.</p>"}],
        )
        site_tree["home"].add_child(instance=page)
        page.save_revision().publish()
        return page

    return build


def add_laureate(award, slug="jardins", live=True):
    laureate = LaureatePage(
        title="Des jardins partagés au pied des bureaux",
        slug=slug,
        prize_name="Prix du partenariat durable",
        association_name="Les Jardins de Demain",
        company_name="Transports Ligériens",
        introduction="Un partenariat de trois ans.",
        body=[{"type": "paragraph", "value": "<p>Le récit du partenariat.</p>"}],
    )
    award.add_child(instance=laureate)
    if live:
        laureate.save_revision().publish()
    else:
        LaureatePage.objects.filter(pk=laureate.pk).update(live=False)
    return laureate


def test_award_page_shows_presentation_calendar_rules_prizes_criteria_and_jury(client, award_page):
    page = award_page("open")
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Présentation de l’édition." in html
    # Calendar, in French, at Paris time.
    assert "Calendrier" in html and "Ouverture des candidatures" in html
    assert "Clôture des candidatures" in html and "Fin de la notation par le jury" in html
    assert "Publication des résultats" in html
    assert "Heures de Paris." in html
    # Rules, prizes with their amount, criteria with weights.
    assert "Le binôme dépose un seul dossier." in html
    assert "Prix du partenariat durable" in html and "1\xa0500&nbsp;€" in html
    assert "Prix coup de cœur" in html
    assert "Réciprocité du partenariat" in html
    assert "(75&nbsp;%)" in html and "(25&nbsp;%)" in html
    assert "« sans objet »" in html
    # Only the public jurors, with employer and bio.
    assert "Claire Jury" in html and "Banque Coopérative" in html and "Ancienne DRH." in html
    assert "Paul Discret" not in html


def test_calendar_dates_are_french_and_in_paris_time(client, award_page):
    page = award_page("open")
    edition = page.edition
    edition.call_closes_at = datetime.datetime(2030, 1, 31, 22, 59, tzinfo=datetime.UTC)
    edition.scoring_deadline = edition.call_closes_at + datetime.timedelta(days=1)
    edition.results_published_at = edition.call_closes_at + datetime.timedelta(days=2)
    edition.call_opens_at = edition.call_closes_at - datetime.timedelta(days=60)
    edition.save()
    html = client.get(page.url).content.decode()
    assert "jeudi 31 janvier 2030 à 23:59" in html
    assert 'datetime="2030-01-31T23:59:00+01:00"' in html


def test_apply_button_only_while_the_call_is_open(client, award_page):
    open_page = award_page("open", year=2030)
    html = client.get(open_page.url).content.decode()
    assert ">Candidater</a>" in html
    assert 'href="/candidatures/2030/nouvelle/"' in html

    for state, year in (("future", 2031), ("closed", 2032), ("published", 2033)):
        page = award_page(state, year=year)
        html = client.get(page.url).content.decode()
        assert "Candidater" not in html, state


def test_apply_button_appears_when_the_call_opens(client, award_page):
    page = award_page("future")
    assert "Candidater" not in client.get(page.url).content.decode()
    # Staff move the opening date: the cached fragment is not reused.
    edition = page.edition
    edition.call_opens_at = timezone.now() - datetime.timedelta(days=1)
    edition.save()
    assert ">Candidater</a>" in client.get(page.url).content.decode()


def test_laureates_appear_only_once_results_are_published(client, award_page):
    page = award_page("closed")
    add_laureate(page)
    add_laureate(page, slug="brouillon", live=False)
    html = client.get(page.url).content.decode()
    assert "Les lauréats" not in html
    assert "Des jardins partagés" not in html

    published = award_page("published", year=2031)
    add_laureate(published)
    hidden = add_laureate(published, slug="brouillon", live=False)
    html = client.get(published.url).content.decode()
    assert "Les lauréats" in html
    assert "Des jardins partagés au pied des bureaux" in html
    assert "Les Jardins de Demain avec Transports Ligériens" in html
    assert 'href="/edition-2031/jardins/"' in html
    assert hidden.url not in html


def test_edition_changes_reach_the_cached_page(
    client, award_page, django_capture_on_commit_callbacks
):
    page = award_page("open")
    client.get(page.url)
    with django_capture_on_commit_callbacks(execute=True):
        Prize.objects.create(edition=page.edition, name="Prix de l’audace", sort_order=5)
    assert "Prix de l’audace" in client.get(page.url).content.decode()


def test_laureate_page_shows_prize_names_photo_and_story(client, award_page):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    award = award_page("published")
    image = get_image_model().objects.create(
        title="Photo", file=get_test_image_file(), description="Deux équipes au jardin"
    )
    laureate = add_laureate(award, live=False)
    laureate.image = image
    laureate.save_revision().publish()
    response = client.get(laureate.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Prix du partenariat durable" in html
    assert "Les Jardins de Demain" in html and "Transports Ligériens" in html
    assert "Le récit du partenariat." in html
    assert 'alt="Deux équipes au jardin"' in html
    assert f'href="{award.url}"' in html
    assert '<meta property="og:type" content="article">' in html


# Budgets in the spirit of tests/home/test_pages.py: a second visit reads cached fragments.
def test_award_page_query_budget(client, award_page, django_assert_max_num_queries):
    page = award_page("published")
    add_laureate(page)
    add_laureate(page, slug="second")
    client.get(page.url)
    with django_assert_max_num_queries(5):
        assert client.get(page.url).status_code == 200


def test_laureate_page_query_budget(client, award_page, django_assert_max_num_queries):
    laureate = add_laureate(award_page("published"))
    client.get(laureate.url)
    with django_assert_max_num_queries(6):
        assert client.get(laureate.url).status_code == 200


def test_english_interface(client, award_page):
    page = award_page("open")
    response = client.get("/en" + page.url)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_rules_document_and_other_editions_are_linked(client, award_page):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    page = award_page("open", year=2030)
    older = award_page("published", year=2029)
    document = get_document_model().objects.create(
        title="Règlement 2030", file=ContentFile(b"%PDF-1.4 demo", name="reglement.pdf")
    )
    edition = page.edition
    edition.rules_document = document
    edition.save()
    html = client.get(page.url).content.decode()
    assert f'href="{document.url}"' in html
    assert "Télécharger le règlement : Règlement 2030 (PDF)" in html
    assert "Les autres éditions" in html
    assert f'href="{older.url}"' in html
