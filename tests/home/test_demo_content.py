"""The demo content command: a real-looking site, loaded again without duplicates."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from demo.content import images
from demo.content.text import typo
from home.models import HomePage, NewsIndexPage, NewsPage, SiteIdentity, StandardPage

pytestmark = pytest.mark.django_db

MENU_SLUGS = [
    "association",
    "axes-innovation",
    "adherer",
    "prix-la-part-des-autres",
    "benevolat-gouvernance",
    "actualites",
]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Generated images go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def load(*args):
    out = StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        "pages": Page.objects.count(),
        "images": get_image_model().objects.count(),
        "identities": SiteIdentity.objects.count(),
        "sites": Site.objects.count(),
    }


def test_running_twice_makes_no_duplicates():
    load()
    first = counts()
    load()
    assert counts() == first
    assert first["images"] == len(images.DEMO_IMAGES)
    assert first["identities"] == 1
    assert first["sites"] == 1
    assert HomePage.objects.count() == 1
    assert NewsPage.objects.count() == 3


def test_site_root_is_the_home_page_and_the_welcome_page_is_gone():
    welcome = Site.objects.get(is_default_site=True).root_page
    assert type(welcome.specific) is Page  # what Wagtail's migration leaves
    load()
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    # Wagtail's placeholder address is replaced by the public one (BASE_URL), for the sitemap.
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert not Page.objects.filter(pk=welcome.pk).exists()
    assert Page.objects.filter(depth=2).count() == 1


def test_existing_default_site_is_kept_and_updated():
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "reseau-ess.example.org", 443
    site.save()
    load()
    updated = Site.objects.get(is_default_site=True)
    assert (updated.pk, updated.hostname, updated.port) == (site.pk, "reseau-ess.example.org", 443)
    site = updated
    assert isinstance(site.root_page.specific, HomePage)


def test_if_empty_leaves_an_existing_site_alone():
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(title="Notre accueil", slug="notre-accueil", hero_title="Bienvenue")
    )
    before = counts()
    output = load("--if-empty")
    assert "existe déjà" in output
    assert counts() == before
    home.refresh_from_db()
    assert home.hero_title == "Bienvenue"
    assert not home.get_children().exists()


def test_if_empty_loads_a_fresh_site():
    load("--if-empty")
    assert HomePage.objects.count() == 1
    assert StandardPage.objects.count() == 5


def test_page_tree_menu_and_order():
    load()
    home = HomePage.objects.get()
    children = home.get_children()
    assert [page.slug for page in children] == MENU_SLUGS
    assert all(page.show_in_menus for page in children)
    assert isinstance(children.get(slug="actualites").specific, NewsIndexPage)
    assert isinstance(children.get(slug="association").specific, StandardPage)


def test_every_demo_page_is_live_with_a_published_revision():
    load()
    pages = Page.objects.filter(depth__gte=2)
    assert pages.count() == 10
    for page in pages:
        assert page.live, page.title
        assert page.live_revision_id is not None, page.title
        assert not page.has_unpublished_changes, page.title
        assert page.specific.introduction, page.title


def test_rerun_keeps_editors_pages_and_restores_demo_content():
    load()
    home = HomePage.objects.get()
    extra = home.add_child(instance=StandardPage(title="Page d'un éditeur", slug="editeur"))
    about = StandardPage.objects.get(slug="association")
    about.introduction = "Modifiée"
    about.save_revision().publish()
    load()
    assert Page.objects.filter(pk=extra.pk).exists()
    about.refresh_from_db()
    assert about.introduction != "Modifiée"
    assert StandardPage.objects.filter(slug="association").count() == 1


def test_a_page_of_another_type_on_a_demo_slug_is_not_overwritten():
    load()
    news_index = NewsIndexPage.objects.get()
    news_index.get_children().delete()
    news_index.delete()
    home = HomePage.objects.get()
    intruder = home.add_child(instance=StandardPage(title="Nos actualités", slug="actualites"))
    with pytest.raises(CommandError, match="existe déjà"):
        load()
    intruder.refresh_from_db()
    assert intruder.title == "Nos actualités"


def test_home_page_highlights_lead_to_the_four_pages():
    load()
    home = HomePage.objects.get()
    assert home.hero_image is not None
    assert home.hero_image_alt == ""  # decorative
    targets = [block.value["link"]["page"].specific.slug for block in home.highlights]
    assert targets == ["adherer", "prix-la-part-des-autres", "benevolat-gouvernance", "actualites"]


def test_news_have_distinct_past_dates_and_described_images():
    from django.utils import timezone

    load()
    news = list(NewsPage.objects.all())
    assert len(news) == 3
    dates = [page.date for page in news]
    assert len(set(dates)) == 3
    assert all(date < timezone.localdate() for date in dates)
    for page in news:
        assert page.image is not None
        assert page.image_alt


def test_every_block_type_but_video_is_used_and_valid():
    load()
    used = set()
    for page in [*StandardPage.objects.all(), *NewsPage.objects.all(), HomePage.objects.get()]:
        stream_block = page.body.stream_block
        # Validation as the admin would run it when an editor saves the page again.
        stream_block.clean(page.body)
        used.update(block.block_type for block in page.body)
    home = HomePage.objects.get()
    home.highlights.stream_block.clean(home.highlights)
    assert used == {
        "heading",
        "paragraph",
        "image",
        "quote",
        "call_to_action",
        "faq",
        "key_figures",
    }


def test_texts_fit_their_fields():
    load()
    home = HomePage.objects.get()
    assert len(home.hero_text) <= HomePage._meta.get_field("hero_text").max_length
    for page in Page.objects.filter(depth__gte=2).specific():
        assert len(page.introduction) <= 600, page.title


def test_site_identity_is_complete_and_valid():
    load()
    identity = SiteIdentity.objects.get(site=Site.objects.get(is_default_site=True))
    identity.full_clean()
    assert "Nantes" in identity.address
    assert identity.email.endswith("@example.org")
    assert len(identity.siret) == 14 and identity.siret.isdigit()
    assert identity.rna.startswith("W") and len(identity.rna) == 10
    assert identity.social_links()
    assert all(url.startswith("https://example.org/") for _, url in identity.social_links())


def test_french_typography():
    assert typo("L'ESS : « oui » ?") == "L’ESS\u00a0: «\u00a0oui\u00a0»\u00a0?"
    load()
    for page in Page.objects.filter(depth__gte=2).specific():
        for text in (page.title, page.introduction):
            assert "'" not in text, text
            assert " :" not in text and "« " not in text and " »" not in text, text


DEMO_PATHS = [
    "/",
    "/association/",
    "/axes-innovation/",
    "/adherer/",
    "/prix-la-part-des-autres/",
    "/benevolat-gouvernance/",
    "/actualites/",
    "/actualites/mesurer-impact-social-ess/",
    "/actualites/webinaires-communs-gestion-associative/",
    "/actualites/prix-la-part-des-autres-nouvelle-edition/",
]


def test_demo_pages_answer(client):
    from django.utils.html import escape

    load()
    identity = SiteIdentity.objects.get()
    pages = Page.objects.live().filter(depth__gte=2).specific()
    assert {page.url for page in pages} >= set(DEMO_PATHS)
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert f"<title>{escape(page.title)} · {escape(identity.name)}</title>" in html, page.url
        # The navigation, with every menu page, and the footer identity on every page.
        assert 'aria-label="Navigation principale"' in html
        for slug in MENU_SLUGS:
            assert f'href="/{slug}/"' in html, (page.url, slug)
        assert identity.siret in html and identity.rna in html and identity.email in html
