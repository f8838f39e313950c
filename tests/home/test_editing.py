"""Editors work in Wagtail's admin: create and publish pages, with the site following at once."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    """A member of Wagtail's « Moderators » group (made by Wagtail's migrations): may publish
    pages, but is not a superuser. (Wagtail's « Editors » may only submit for moderation.)"""
    user = User.objects.create_user("edith", "edith@example.org", "motdepasse-solide-42")
    user.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(user)
    return user


def test_editor_creates_and_publishes_a_standard_page(client, site_tree, editor):
    home = site_tree["home"]
    add_url = reverse("wagtailadmin_pages:add", args=("home", "standardpage", home.pk))
    assert client.get(add_url).status_code == 200

    data = nested_form_data(
        {
            "title": "Nos partenaires",
            "slug": "nos-partenaires",
            "introduction": "Les entreprises engagées à nos côtés.",
            "body": streamfield(
                [
                    ("heading", {"text": "Ils nous soutiennent", "level": "h2"}),
                    ("paragraph", rich_text("<p>Des entreprises du territoire.</p>")),
                    (
                        "quote",
                        {"text": "Un partenariat durable.", "attribution": "A. B.", "role": ""},
                    ),
                ]
            ),
            "action-publish": "publish",
        }
    )
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    page = StandardPage.objects.get(slug="nos-partenaires")
    assert page.live
    assert page.get_parent().pk == home.pk
    assert [block.block_type for block in page.body] == ["heading", "paragraph", "quote"]

    client.logout()
    public = client.get("/nos-partenaires/")
    assert public.status_code == 200
    html = public.content.decode()
    assert "Ils nous soutiennent" in html
    assert "Un partenariat durable." in html


def test_editor_error_keeps_what_was_typed(client, site_tree, editor):
    home = site_tree["home"]
    add_url = reverse("wagtailadmin_pages:add", args=("home", "standardpage", home.pk))
    data = nested_form_data(
        {
            "title": "",
            "slug": "",
            "introduction": "Texte saisi à conserver",
            "body": streamfield([]),
            "action-publish": "publish",
        }
    )
    response = client.post(add_url, data)
    assert response.status_code == 200
    assert "Texte saisi à conserver" in response.content.decode()
    assert not StandardPage.objects.filter(introduction="Texte saisi à conserver").exists()


def test_anonymous_visitor_cannot_reach_the_admin(client, site_tree):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
