"""The main menu reaches the second level (a disclosure submenu per section), section pages
list their pages, and the admin bears the association's one name."""

import re

import pytest

from demo.factories.home import StandardPageFactory
from home.models import SiteIdentity

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(site_tree):
    about = site_tree["about"]
    about.show_in_menus = True
    about.save_revision().publish()
    child = StandardPageFactory(
        parent=about, title="Notre histoire", slug="histoire", introduction="Depuis 2009."
    )
    child.show_in_menus = True
    child.save_revision().publish()
    hidden = StandardPageFactory(parent=about, title="Nos statuts", slug="statuts")
    hidden.show_in_menus = False
    hidden.save_revision().publish()
    return about, child, hidden


def test_a_section_has_a_submenu_of_its_pages_in_menus(client, section):
    html = client.get("/").content.decode()
    menu = html[html.index('class="navbar-nav ms-auto main-menu"') :]
    # The section stays a link; its button (shown by main-menu.js) controls the submenu.
    assert re.search(r'<a class="nav-link" href="/association/">', menu)
    button = re.search(r'<button type="button" class="submenu-toggle"[^>]*>', menu).group()
    assert 'aria-expanded="false"' in button and " hidden" in button
    submenu_id = re.search(r'aria-controls="([^"]+)"', button).group(1)
    submenu = menu[menu.index(f'id="{submenu_id}"') :].split("</ul>")[0]
    assert 'href="/association/histoire/"' in submenu
    assert "Nos statuts" not in submenu  # not « show in menus »
    assert "js/main-menu.js" in html


def test_the_current_page_is_marked_in_the_submenu(client, section):
    html = client.get("/association/histoire/").content.decode()
    assert 'href="/association/histoire/" aria-current="page"' in html
    assert 'href="/association/" aria-current="true"' in html  # the section around it


def test_a_section_page_lists_all_its_live_pages(client, section):
    html = client.get("/association/").content.decode()
    listing = html[html.index("Dans cette rubrique") :]
    assert 'href="/association/histoire/"' in listing and "Depuis 2009." in listing
    assert 'href="/association/statuts/"' in listing  # listed even when not in menus


def test_private_and_unpublished_pages_stay_out_of_the_menu_and_the_section(
    client, section, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    about, _child, _hidden = section
    private = StandardPageFactory(parent=about, title="Réservé au bureau", slug="bureau")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    draft = StandardPageFactory(parent=about, title="Brouillon du projet", slug="brouillon")
    draft.unpublish()
    for html in (client.get("/").content.decode(), client.get("/association/").content.decode()):
        assert "Notre histoire" in html
        assert "Réservé au bureau" not in html and "Brouillon du projet" not in html
    # A page published later appears at once (the cached menu and list are forgotten).
    with django_capture_on_commit_callbacks(execute=True):
        later = StandardPageFactory(parent=about, title="Nos partenaires", slug="partenaires")
        later.save_revision().publish()
    assert "Nos partenaires" in client.get("/").content.decode()
    assert "Nos partenaires" in client.get("/association/").content.decode()


def test_the_menu_costs_no_query_once_cached(client, section):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/association/")
    with CaptureQueriesContext(connection) as first:
        client.get("/association/histoire/")  # another page: the menu comes from the cache
    menus = [q for q in first.captured_queries if "show_in_menus" in q["sql"].partition("WHERE")[2]]
    assert menus == []


def test_the_admin_bears_the_association_name(client, site_tree, admin_user):
    identity = SiteIdentity.objects.get_or_create(site=site_tree["home"].get_site())[0]
    identity.name = "Réseau Coup de Pousse"
    identity.save()
    login = client.get("/admin/login/").content.decode()
    assert "<title>S’identifier - Réseau Coup de Pousse</title>" in login.replace("'", "’")
    assert "Administration de Réseau Coup de Pousse" in login
    client.force_login(admin_user)
    dashboard = client.get("/admin/").content.decode()
    assert "Réseau Coup de Pousse" in dashboard
    assert "Réseau ESS" not in dashboard
