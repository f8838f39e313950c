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


def test_apply_button_appears_when_the_call_opens(
    client, award_page, django_capture_on_commit_callbacks
):
    page = award_page("future")
    assert "Candidater" not in client.get(page.url).content.decode()
    # Staff move the opening date: neither the cached page (its edition is cached with it) nor
    # the cached fragment is reused.
    edition = page.edition
    edition.call_opens_at = timezone.now() - datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        edition.save()
    assert ">Candidater</a>" in client.get(page.url).content.decode()


def test_the_page_follows_the_calendar_as_time_passes(client, award_page, monkeypatch):
    """Nothing is saved when a date passes: the page cached with its edition still opens the
    call, marks the steps passed and shows the laureates on time."""
    page = award_page("future")
    edition = page.edition
    add_laureate(page)

    def visit_at(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        html = client.get(page.url).content.decode()
        return html, html.count(">passé</span>")

    second = datetime.timedelta(seconds=1)
    html, passed = visit_at(edition.call_opens_at - second)
    assert "Candidater" not in html and passed == 0
    html, passed = visit_at(edition.call_opens_at + second)
    assert ">Candidater</a>" in html and passed == 1
    html, passed = visit_at(edition.call_closes_at + second)
    assert "Candidater" not in html and passed == 2
    html, passed = visit_at(edition.scoring_deadline + second)
    assert "Les lauréats" not in html and passed == 3
    html, passed = visit_at(edition.results_published_at + second)
    assert "Des jardins partagés au pied des bureaux" in html and passed == 4


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


@pytest.fixture
def demo_awards(site_tree):
    """The demo's editions where the demo site has them: under /prix-la-part-des-autres/."""
    from django.core.management import call_command

    from demo.awards.data import PRIX_SLUG
    from demo.factories.home import StandardPageFactory

    StandardPageFactory(parent=site_tree["home"], title="Le prix", slug=PRIX_SLUG)
    call_command("load_demo_awards", verbosity=0)
    return site_tree


def demo_address(which):
    prix = "/prix-la-part-des-autres/"
    if which == "laureate":
        laureate = LaureatePage.objects.live().filter(url_path__contains="/edition-2018/").first()
        return laureate.url
    if which == "current edition":
        return AwardPage.objects.live().order_by("-edition__year").first().url
    return {"section": prix, "edition 2018": f"{prix}edition-2018/"}.get(which, which)


# The budget is 3 queries per warm public page (tests/home/test_pages.py): a second
# visit asks the database nothing. HomePage.route finds the page from the cache with its view
# restrictions and, for an edition's page, its edition (whose dates say whether the call is open
# and the results out, at each visit); laureates, calendar, rules, prizes, grid, jury, other
# editions, images, breadcrumbs and menu are cached fragments.
@pytest.mark.parametrize(
    "which",
    [
        "section",
        "edition 2018",
        "laureate",
        "current edition",
        "/en/prix-la-part-des-autres/edition-2018/",
    ],
)
def test_a_warm_award_page_asks_the_database_nothing(
    client, demo_awards, which, django_assert_num_queries
):
    address = demo_address(which)
    assert client.get(address).status_code == 200  # the first visit fills the caches
    with django_assert_num_queries(0):
        assert client.get(address).status_code == 200


def visit_twice(client, *addresses):
    """Warm pages: found, their fragments made, and served again from the cache."""
    for address in addresses:
        assert client.get(address).status_code == 200
        assert client.get(address).status_code == 200


def test_published_changes_reach_the_warm_pages_at_once(
    client, demo_awards, django_capture_on_commit_callbacks
):
    edition_url = demo_address("edition 2018")
    laureate = LaureatePage.objects.live().filter(url_path__contains="/edition-2018/").first()
    award = AwardPage.objects.get(edition__year=2018)
    visit_twice(client, edition_url, laureate.url)
    with django_capture_on_commit_callbacks(execute=True):
        laureate.title = "Un potager partagé, trois ans après"
        laureate.save_revision().publish()
        award.title = "Le prix 2018 et ses lauréats"
        award.save_revision().publish()
    edition_html = client.get(edition_url).content.decode()
    laureate_html = client.get(laureate.url).content.decode()
    assert "<h1>Un potager partagé, trois ans après</h1>" in laureate_html
    assert "Un potager partagé, trois ans après</a>" in edition_html  # its card
    assert "<h1>Le prix 2018 et ses lauréats</h1>" in edition_html
    assert "Retour à la page « Le prix 2018 et ses lauréats »" in laureate_html


def test_a_laureate_withdrawn_leaves_the_warm_pages_at_once(
    client, demo_awards, django_capture_on_commit_callbacks
):
    from awards.laureates import withdraw_publication

    edition_url = demo_address("edition 2018")
    laureate = LaureatePage.objects.live().filter(url_path__contains="/edition-2018/").first()
    visit_twice(client, edition_url, laureate.url)
    assert f'href="{laureate.url}"' in client.get(edition_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert withdraw_publication(laureate.application_id) == 1
    assert client.get(laureate.url).status_code == 404
    assert f'href="{laureate.url}"' not in client.get(edition_url).content.decode()


def test_a_public_juror_renamed_and_a_new_rules_document_are_seen_at_once(
    client, award_page, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    page = award_page("open")
    edition = page.edition
    document = get_document_model().objects.create(
        title="Règlement 2030", file=ContentFile(b"%PDF-1.4 demo", name="reglement.pdf")
    )
    edition.rules_document = document
    with django_capture_on_commit_callbacks(execute=True):
        edition.save()
    visit_twice(client, page.url)
    html = client.get(page.url).content.decode()
    assert "Claire Jury" in html and "Télécharger le règlement : Règlement 2030 (PDF)" in html
    user = edition.jurors.get(is_public=True).user
    with django_capture_on_commit_callbacks(execute=True):
        user.first_name = "Clarisse"
        user.save()
    html = client.get(page.url).content.decode()
    assert "Clarisse Jury" in html and "Claire Jury" not in html
    with django_capture_on_commit_callbacks(execute=True):
        document.title = "Règlement 2030 révisé"
        document.save()
    html = client.get(page.url).content.decode()
    assert "Télécharger le règlement : Règlement 2030 révisé (PDF)" in html


def test_a_jurors_login_keeps_the_cached_pages(award_page, django_capture_on_commit_callbacks):
    """A login saves the user's last_login only: nothing the pages show."""
    from django.contrib.auth.models import update_last_login

    from home.cache import content_generation, invalidate_page_cache

    page = award_page("open")
    invalidate_page_cache()
    generation = content_generation()
    juror = page.edition.jurors.get(is_public=True).user
    with django_capture_on_commit_callbacks(execute=True):
        update_last_login(None, juror)
    assert content_generation() == generation


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
