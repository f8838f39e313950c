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


def test_public_pages_use_no_inline_script_or_style(client, site_tree):
    # The CSP forbids inline scripts and styles; a template that adds one would break silently
    # in browsers.
    for url in ("/", "/association/", "/actualites/", site_tree["news"][0].url):
        html = client.get(url).content.decode()
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), f"inline script on {url}"
        assert " style=" not in html and "<style" not in html, f"inline style on {url}"


def test_video_embed_respects_the_policy_and_has_a_title(client, site_tree):
    # The embed is stored beforehand, as Wagtail does after its first fetch, so no request leaves
    # the machine.
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed

    url = "https://www.youtube.com/watch?v=abcdefghijk"
    Embed.objects.create(
        hash=get_embed_hash(url),
        url=url,
        max_width=None,
        type="video",
        html='<iframe width="200" height="113" src="https://www.youtube-nocookie.com/embed/x"'
        ' frameborder="0" allowfullscreen></iframe>',
        title="Remise des prix",
        thumbnail_url="",
        width=200,
        height=113,
    )
    about = site_tree["about"]
    about.body = [("video", {"video": url, "title": "Remise des prix 2018", "caption": ""})]
    about.save_revision().publish()
    html = client.get("/association/").content.decode()
    assert '<iframe title="Remise des prix 2018" width="200"' in html
    assert " style=" not in html


def test_admin_is_outside_the_public_policy(client, site_tree, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
