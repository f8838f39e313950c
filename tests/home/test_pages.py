"""The public site: pages, navigation, footer identity, languages, SEO tags."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_shows_title_navigation_and_footer_identity(client, site_tree):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert site_tree["home"].hero_title in html
    # Main navigation from the page tree: pages shown in menus, linked by their URL.
    assert 'href="/association/"' in html
    assert 'href="/actualites/"' in html
    # Footer identity from the site settings.
    assert "Réseau Test ESS" in html
    assert "W442001234" in html
    assert "12345678900011" in html
    assert "contact@example.org" in html
    # Latest news on the home page.
    for news in site_tree["news"]:
        assert news.title in html


def test_content_page_has_breadcrumbs_and_meta(client, site_tree):
    response = client.get("/association/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>L&#x27;association</h1>" in html
    assert 'aria-current="page">L&#x27;association</li>' in html
    assert '<meta name="description" content="Une page de présentation.">' in html
    assert '<meta property="og:title" content="L&#x27;association">' in html
    assert '<link rel="canonical" href="http://testserver/association/">' in html
    # The menu marks the current section.
    assert 'href="/association/" aria-current="page"' in html


def test_news_index_is_paginated_newest_first(client, site_tree):
    from demo.factories.home import NewsPageFactory

    index = site_tree["news_index"]
    for _ in range(12):
        NewsPageFactory(parent=index)
    first = client.get("/actualites/")
    assert first.status_code == 200
    assert len(first.context["listing"]["page_obj"].object_list) == 10
    dates = [n.date for n in first.context["listing"]["page_obj"].object_list]
    assert dates == sorted(dates, reverse=True)
    second = client.get("/actualites/?page=2")
    assert len(second.context["listing"]["page_obj"].object_list) == 5
    # A page number out of range shows the last page rather than an error.
    assert client.get("/actualites/?page=99").context["listing"]["page_obj"].number == 2
    assert client.get("/actualites/?page=abc").context["listing"]["page_obj"].number == 1


def test_unpublished_page_is_not_shown_to_visitors(client, site_tree):
    about = site_tree["about"]
    about.unpublish()
    assert client.get("/association/").status_code == 404
    assert 'href="/association/"' not in client.get("/").content.decode()


def test_english_under_en_prefix(client, site_tree):
    response = client.get("/en/association/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    # Menu links stay in the English part of the site.
    assert 'href="/en/actualites/"' in html
    # The content itself is French: marked so for screen readers, and the canonical address
    # is the French page (the English interface adds no content of its own).
    assert '<div lang="fr">' in html
    assert '<link rel="canonical" href="http://testserver/association/">' in html
    assert '<meta property="og:url" content="http://testserver/association/">' in html
    # The language switcher leads back to the same page in French.
    assert 'href="/association/" hreflang="fr" lang="fr"' in html


def test_french_is_the_default_whatever_the_browser_says(client, site_tree):
    response = client.get("/association/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="fr">' in response.content.decode()
    assert "Aller au contenu" in response.content.decode()


def test_404_in_french_at_root_and_english_under_en(client, site_tree):
    fr = client.get("/cette-page-n-existe-pas/")
    assert fr.status_code == 404
    assert "Page introuvable" in fr.content.decode()
    assert '<html lang="fr">' in fr.content.decode()
    en = client.get("/en/this-page-does-not-exist/")
    assert en.status_code == 404
    assert "Page not found" in en.content.decode()
    assert '<html lang="en">' in en.content.decode()


def test_500_page_uses_the_site_layout(client):
    from django.test import RequestFactory

    from operations.errors import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Une erreur est survenue" in html
    assert "site-header" in html and "site-footer" in html


def test_sitemap_lists_live_pages(client, site_tree):
    site_tree["news"][0].unpublish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<loc>http://localhost/association/</loc>" in xml
    assert "<loc>http://localhost/actualites/</loc>" in xml
    assert site_tree["news"][0].slug not in xml
    assert site_tree["news"][1].slug in xml


def test_robots_txt_points_at_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Disallow: /mes-donnees/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


# The budget is 3 queries per warm public page (10 at first). A second visit asks the
# database nothing: the site and its root page, the page found at the address with its view
# restrictions (HomePage.route) and every fragment (menu, breadcrumbs, lists, images, footer
# identity) come from the cache until content changes. Exact counts catch any regression.
@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/association/",
        "/actualites/",
        "/actualites/?page=2",
        "news",
        "/en/",
        "/en/association/",
    ],
)
def test_a_warm_page_asks_the_database_nothing(
    client, site_tree, address, django_assert_num_queries
):
    if address == "news":
        address = site_tree["news"][0].url
    assert client.get(address).status_code == 200  # the first visit fills the caches
    with django_assert_num_queries(0):
        assert client.get(address).status_code == 200


def test_a_published_change_is_seen_at_once(client, site_tree, django_capture_on_commit_callbacks):
    news = site_tree["news"][0]
    for address in ("/", "/actualites/", news.url, "/association/"):
        client.get(address)
        client.get(address)
    with django_capture_on_commit_callbacks(execute=True):
        news.title = "Le réseau fête ses dix ans"
        news.save_revision().publish()
        about = site_tree["about"]
        about.introduction = "Qui nous sommes, depuis 2016."
        about.save_revision().publish()
    for address in ("/", "/actualites/", news.url):
        assert "Le réseau fête ses dix ans" in client.get(address).content.decode(), address
    assert "Qui nous sommes, depuis 2016." in client.get("/association/").content.decode()


def test_only_a_get_or_head_takes_the_page_from_the_cache(client, site_tree):
    """A POST handler may save the page it is given: it gets the page from the database."""
    from home.models import StandardPage

    client.get("/association/")
    # Changed behind Wagtail's back (no publication, so the content generation stays).
    StandardPage.objects.filter(pk=site_tree["about"].pk).update(title="Titre en base")
    assert "<h1>L&#x27;association</h1>" in client.get("/association/").content.decode()
    assert "<h1>Titre en base</h1>" in client.post("/association/").content.decode()


def test_a_page_unpublished_or_moved_is_not_found_from_the_cache(
    client, site_tree, django_capture_on_commit_callbacks
):
    first, second = site_tree["news"][:2]
    first_url, second_url = first.url, second.url
    assert client.get(first_url).status_code == 200
    assert client.get(second_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
        second.move(site_tree["about"], pos="last-child")
    assert client.get(first_url).status_code == 404
    # Not the cached page: the redirection Wagtail made when the page moved.
    moved = client.get(second_url)
    assert moved.status_code == 301 and moved["Location"] == f"/association/{second.slug}/"
    assert client.get(f"/association/{second.slug}/").status_code == 200


def test_a_page_made_private_is_refused_at_once(
    client, site_tree, django_capture_on_commit_callbacks
):
    """The restrictions found with the page are cached with it: a new one, on the page or on an
    ancestor, applies from the next visit; one removed lifts at once too."""
    from wagtail.models import PageViewRestriction

    news = site_tree["news"][0]
    for address in ("/association/", news.url):
        client.get(address)
        assert client.get(address).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=site_tree["about"], restriction_type=PageViewRestriction.LOGIN
        )
        on_index = PageViewRestriction.objects.create(
            page=site_tree["news_index"], restriction_type="password", password="x"
        )
    assert client.get("/association/").status_code == 302  # to the login page
    html = client.get(news.url).content.decode()
    assert 'name="password"' in html and news.title not in html
    with django_capture_on_commit_callbacks(execute=True):
        on_index.delete()
    assert news.title in client.get(news.url).content.decode()


def test_new_news_appears_at_once_on_cached_fragments(
    client, site_tree, django_capture_on_commit_callbacks
):
    from demo.factories.home import NewsPageFactory

    client.get("/")  # fills the home page's cached fragment
    client.get("/actualites/")
    with django_capture_on_commit_callbacks(execute=True):
        fresh = NewsPageFactory(parent=site_tree["news_index"], title="Appel à candidatures 2027")
        fresh.save_revision().publish()
    assert "Appel à candidatures 2027" in client.get("/").content.decode()
    assert "Appel à candidatures 2027" in client.get("/actualites/").content.decode()


def test_cached_fragments_do_not_leak_between_languages(client, site_tree):
    client.get("/")
    english = client.get("/en/").content.decode()
    assert "All news" in english
    assert "Toutes les actualités" not in english
