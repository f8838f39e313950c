"""Security headers on public pages: CSP, framing, content sniffing."""

import pytest

pytestmark = pytest.mark.django_db


def test_public_page_sends_a_content_security_policy(client, site_tree):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_public_pages_use_no_inline_script(client, site_tree):
    # The CSP forbids inline scripts; a template that adds one would break silently in browsers.
    for url in ("/", "/association/", "/actualites/", site_tree["news"][0].url):
        html = client.get(url).content.decode()
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), f"inline script on {url}"


def test_admin_is_outside_the_public_policy(client, site_tree, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
