"""Cache keys stay few whatever clients send: the Wagtail site's id and the host name without
its port, a page number only up to MAX_CACHED_PAGE. Otherwise any « ?page=123456 » or
« Host: x:1234 » would make a new entry and push out the ones that matter."""

import pytest
from django.core.cache import cache

from home.cache import MAX_CACHED_PAGE, match_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


def _keys():
    return [key.split(":", 2)[-1] for key in cache._cache]


def test_the_port_makes_no_new_entry(client, site_tree, page_cache):
    first = client.get("/association/", HTTP_HOST="testserver:8080")
    assert first["X-Page-Cache"] == "miss"
    for port in (8081, 9000, 12345):
        again = client.get("/association/", HTTP_HOST=f"testserver:{port}")
        assert again["X-Page-Cache"] == "hit"
    assert not [key for key in _keys() if "8080" in key or "12345" in key]
    assert len([key for key in _keys() if "wagtail-site" in key]) == 1


def test_page_numbers_past_the_limit_are_served_but_not_kept(client, site_tree, page_cache):
    listing = "/actualites/"
    assert client.get(listing, {"page": "2"})["X-Page-Cache"] == "miss"
    assert client.get(listing, {"page": "02"})["X-Page-Cache"] == "hit"  # the same page
    client.get(listing)
    client.get(listing, {"page": str(MAX_CACHED_PAGE + 1)})
    before = len(_keys())
    for page in (MAX_CACHED_PAGE + 2, 9999, 99999999, "0", "-1", "1e3"):
        response = client.get(listing, {"page": str(page)})
        assert response.status_code in (200, 404)
        assert "X-Page-Cache" not in response
    assert len(_keys()) == before


def test_the_site_is_chosen_as_wagtail_chooses_it(site_tree):
    from wagtail.models import Site

    default = Site.objects.get(is_default_site=True)
    other = Site.objects.create(hostname="autre.example.org", port=80, root_page=default.root_page)
    sites = list(Site.objects.all())
    assert match_site(sites, "autre.example.org", "80") == other
    assert match_site(sites, "autre.example.org", "8000") == other  # the only one by that name
    assert match_site(sites, "inconnu.example.org", "80") == default
    assert match_site(sites, default.hostname, "8000") == default
    # Wagtail itself agrees, request by request.
    from django.test import RequestFactory

    for host in ("autre.example.org", "autre.example.org:8000", "inconnu.example.org"):
        request = RequestFactory().get("/", HTTP_HOST=host)
        assert match_site(sites, host.split(":")[0], request.get_port()) == (
            Site._find_for_request(request)
        )


def test_a_port_sent_by_a_client_never_reaches_a_cached_page(client, site_tree, page_cache):
    # ALLOWED_HOSTS ignores ports, and keys hold none: absolute addresses take the site's port.
    poisoned = client.get("/association/", HTTP_HOST="testserver:6666")
    assert "6666" not in poisoned.content.decode()
    assert 'rel="canonical" href="http://testserver/association/"' in poisoned.content.decode()
    served = client.get("/association/")
    assert served["X-Page-Cache"] == "hit" and "6666" not in served.content.decode()
