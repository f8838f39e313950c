"""Nothing orphaned: a visitor who only clicks reaches every page of the sitemap within three
clicks, from the French home page for the French pages and from the English one for their
English addresses. The crawl follows the links a person sees (<a href>), as a browser would."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command

MAX_CLICKS = 3
NOT_PAGES = ("/admin/", "/static/", "/media/", "/documents/", "/stripe/")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # A submenu's links show only once its button is pressed (JavaScript): they are left
        # out, so the crawl proves that the section pages alone lead everywhere.
        if tag == "a" and attrs.get("href") and "submenu-link" not in (attrs.get("class") or ""):
            self.hrefs.append(attrs["href"])


def links_of(path, html):
    parser = Links()
    parser.feed(html)
    found = set()
    for href in parser.hrefs:
        url, _fragment = urldefrag(urljoin("http://testserver" + path, href))
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname != "testserver":
            continue  # mailto:, tel:, other sites
        if parts.path.startswith(NOT_PAGES):
            continue
        # Filters and searches (?kind=, ?q=) show pages found otherwise; a listing's next
        # page is a way to its items.
        if parts.query and not re.fullmatch(r"page=\d+", parts.query):
            continue
        found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client, start):
    """{address: the fewest clicks from `start`}, for every address within MAX_CLICKS."""
    clicks = {start: 0}
    queue = deque([start])
    while queue:
        path = queue.popleft()
        if clicks[path] == MAX_CLICKS:
            continue  # its links would be one click too far
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in links_of(path, response.content.decode()):
            if link not in clicks:
                clicks[link] = clicks[path] + 1
                queue.append(link)
    return clicks


@pytest.fixture
def demo(db):
    for command in (
        "load_demo_content",
        "load_demo_members",
        "load_demo_volunteering",
        "load_demo_awards",
    ):
        call_command(command, verbosity=0)


def sitemap_paths(client):
    xml = client.get("/sitemap.xml").content.decode()
    return [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", xml)]


def test_every_page_of_the_sitemap_is_within_three_clicks_of_the_home_page(client, demo):
    pages = sitemap_paths(client)
    assert "/adherer/bulletin/" in pages and len(pages) > 15
    french = crawl(client, "/")
    english = crawl(client, "/en/")
    far = [p for p in pages if p not in french]
    far += ["/en" + p for p in pages if "/en" + p not in english]
    assert far == [], f"more than {MAX_CLICKS} clicks from the home page: {far}"
    # The flows' front doors are one click away: the bulletin from the home page's « Adhérer
    # au réseau » (and from the menu's submenu, not counted here).
    assert french["/adherer/bulletin/"] == 1


def test_the_crawl_sees_an_orphan(client, demo_site):
    """The check can fail: a live page that nothing links to is not reached."""
    from wagtail.models import Page

    from home.models import HomePage, StandardPage

    home = HomePage.objects.get()
    hidden = home.add_child(
        instance=StandardPage(title="Page sans lien", slug="page-sans-lien", show_in_menus=False)
    )
    hidden.save_revision().publish()
    assert Page.objects.live().filter(slug="page-sans-lien").exists()
    assert "/page-sans-lien/" in sitemap_paths(client)
    assert "/page-sans-lien/" not in crawl(client, "/")
