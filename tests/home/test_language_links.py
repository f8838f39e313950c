"""The language switch links only to paths of this site, whatever path was asked for: a 404
page answers any path, and its links must not send a visitor to another site."""

import re
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db

# The finding's variants: the path would become another site's address.
HOSTILE_PATHS = [
    "/%2Fevil.example/",  # arrives as //evil.example/: a protocol-relative address
    "/%5Cevil.example/",  # /\\evil.example/: browsers read the backslash as a slash
    "/%2F%2Fevil.example/",
    "/%09/evil.example/",  # a tab, which browsers drop from addresses
    "/en/%5Cevil.example/",
]
# Odd but harmless: what comes out is still a path of this site.
ODD_PATHS = ["/https:%2F%2Fevil.example/", "/en/%2Fevil.example/"]


def _hrefs(html):
    """The header's link to the other language (the current one is not a link)."""
    return re.findall(r'<a class="nav-link" href="([^"]*)" hreflang="[a-z]{2}"', html)


def _assert_local(href):
    parts = urlsplit(href)
    assert href.startswith("/") and not href.startswith("//"), href
    assert not parts.scheme and not parts.netloc, href
    assert "\\" not in href and not any(ord(char) < 32 for char in href), href


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_hostile_paths_get_links_to_the_home_pages(client, site_tree, path):
    response = client.get(path)
    assert response.status_code == 404
    hrefs = _hrefs(response.content.decode())
    assert len(hrefs) == 1, "a link to the other language"
    _assert_local(hrefs[0])
    assert hrefs[0] == ("/" if path.startswith("/en/") else "/en/")


@pytest.mark.parametrize("path", ODD_PATHS)
def test_odd_paths_stay_on_this_site(client, site_tree, path):
    hrefs = _hrefs(client.get(path).content.decode())
    assert len(hrefs) == 1
    _assert_local(hrefs[0])


def test_ordinary_pages_link_to_the_same_page_in_the_other_language(client, site_tree):
    assert _hrefs(client.get("/association/").content.decode()) == ["/en/association/"]
    assert _hrefs(client.get("/en/association/").content.decode()) == ["/association/"]
    assert _hrefs(client.get("/nulle-part/").content.decode()) == ["/en/nulle-part/"]
