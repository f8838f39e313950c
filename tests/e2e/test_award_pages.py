"""The award's public pages in a real browser: accessibility and the « Candidater » link."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def award_server(demo_server, settings, tmp_path):
    """The demo site with the award's demo data (2016, 2018, the open current edition)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo_awards", verbosity=0)
    return demo_server


def open_edition_path():
    from awards.pages import AwardPage

    return AwardPage.objects.get(edition__year=timezone.localdate().year).url


def test_award_pages_have_no_serious_accessibility_violation(page, award_server, axe, screenshot):
    from awards.pages import AwardPage, LaureatePage

    page.set_viewport_size(DESKTOP)
    page_2018 = AwardPage.objects.get(edition__year=2018)
    laureate = LaureatePage.objects.child_of(page_2018).live().first()
    for name, path in (
        ("award-open", open_edition_path()),
        ("award-2018", page_2018.url),
        ("laureate-2018", laureate.url),
    ):
        page.goto(award_server + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert axe(page) == [], path
        screenshot(page, f"{name}-1280")


def test_laureates_are_reached_from_the_edition_page(page, award_server):
    from awards.pages import AwardPage

    page.goto(award_server + AwardPage.objects.get(edition__year=2018).url)
    laureates = page.get_by_role("region", name="Les lauréats")
    expect(laureates.get_by_role("link")).to_have_count(3)
    laureates.get_by_role("link").first.click()
    expect(page.get_by_text("Entreprise partenaire")).to_be_visible()
    expect(page.locator("main img").first).to_be_visible()


def test_keyboard_reaches_the_apply_link(page, award_server):
    page.set_viewport_size(DESKTOP)
    page.goto(award_server + open_edition_path())
    apply = page.get_by_role("link", name="Candidater")
    expect(apply).to_have_attribute("href", re.compile(r"/candidatures/\d{4}/nouvelle/$"))
    for _ in range(60):
        page.keyboard.press("Tab")
        if apply.evaluate("element => element === document.activeElement"):
            break
    expect(apply).to_be_focused()
