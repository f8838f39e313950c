"""The anonymous page cache: shared pages for visitors, fresh content after every publication."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_second_anonymous_visit_is_served_from_the_cache(
    client, site_tree, page_cache, django_assert_num_queries
):
    first = client.get("/association/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/association/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_publishing_a_page_refreshes_every_cached_page(
    client, site_tree, page_cache, django_capture_on_commit_callbacks
):
    client.get("/")
    client.get("/association/")
    about = site_tree["about"]
    about.title = "Qui sommes-nous ?"
    with django_capture_on_commit_callbacks(execute=True):
        about.save_revision().publish()

    home = client.get("/")
    assert home["X-Page-Cache"] == "miss"  # the menu changed on every page
    assert "Qui sommes-nous ?" in home.content.decode()
    assert "Qui sommes-nous ?" in client.get("/association/").content.decode()


def test_unpublishing_removes_the_page_from_the_cache(
    client, site_tree, page_cache, django_capture_on_commit_callbacks
):
    assert client.get("/association/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        site_tree["about"].unpublish()
    assert client.get("/association/").status_code == 404


def test_logged_in_users_are_never_served_from_the_cache(client, site_tree, page_cache):
    client.get("/association/")
    user = User.objects.create_user("marie", "marie@example.org", "motdepasse-solide-42")
    client.force_login(user)
    response = client.get("/association/")
    assert "X-Page-Cache" not in response


def test_other_languages_are_cached_apart(client, site_tree, page_cache):
    client.get("/association/")
    english = client.get("/en/association/")
    assert english["X-Page-Cache"] == "miss"
    assert '<html lang="en">' in english.content.decode()


def test_cache_off_by_default(client, site_tree):
    client.get("/association/")
    assert "X-Page-Cache" not in client.get("/association/")


def test_non_page_responses_are_not_cached(client, site_tree, page_cache):
    client.get("/health/")
    assert "X-Page-Cache" not in client.get("/health/")
    assert client.get("/page-inconnue/").status_code == 404
    assert "X-Page-Cache" not in client.get("/page-inconnue/")


def test_a_page_made_private_leaves_the_cache_at_once(
    client, site_tree, page_cache, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    assert client.get("/association/").status_code == 200
    assert 'href="/association/"' in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=site_tree["about"], restriction_type=PageViewRestriction.LOGIN
        )
    response = client.get("/association/")
    assert response.status_code == 302  # to the login page, not the cached copy
    assert 'href="/association/"' not in client.get("/").content.decode()
