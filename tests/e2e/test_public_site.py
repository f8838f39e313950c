"""The public site in a real browser: navigation, keyboard, accessibility, screenshots."""

import re

import pytest
from playwright.sync_api import expect

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 800}


def test_menu_leads_to_the_presentation_page(page, demo_server):
    page.set_viewport_size(DESKTOP)
    page.goto(demo_server + "/")
    menu = page.get_by_role("navigation", name="Navigation principale")
    menu.get_by_role("link", name="L’association").click()
    expect(page).to_have_url(re.compile(r"/association/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("L’association")
    expect(menu.get_by_role("link", name="L’association")).to_have_attribute("aria-current", "page")


@pytest.mark.parametrize("path", ["/", "/association/", "/actualites/", "/en/"])
def test_no_serious_accessibility_violation(page, demo_server, axe, path):
    page.set_viewport_size(DESKTOP)
    page.goto(demo_server + path)
    assert axe(page) == []


def test_first_news_page_is_accessible(page, demo_server, axe):
    page.goto(demo_server + "/actualites/")
    page.locator(".news-card a").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe(page) == []


def test_keyboard_skip_link_reaches_the_content(page, demo_server):
    page.set_viewport_size(DESKTOP)
    page.goto(demo_server + "/association/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main")).to_be_focused()


def test_mobile_menu_opens_with_the_keyboard(page, demo_server):
    page.set_viewport_size(MOBILE)
    page.goto(demo_server + "/")
    link = page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="L’association"
    )
    expect(link).to_be_hidden()
    toggler = page.get_by_role("button", name="Afficher le menu")
    toggler.focus()
    page.keyboard.press("Enter")
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("L’association")


def test_screenshots_at_mobile_and_desktop_widths(page, demo_server, screenshot):
    for name, size in (("375", MOBILE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        for slug, path in (("home", "/"), ("association", "/association/")):
            page.goto(demo_server + path)
            shot = screenshot(page, f"{slug}-{name}")
            assert shot.stat().st_size > 10_000
            # Nothing overflows sideways on a phone.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"]


def test_english_site_keeps_the_visitor_in_english(page, demo_server):
    page.goto(demo_server + "/association/")
    page.get_by_role("link", name=re.compile("EN")).first.click()
    expect(page).to_have_url(re.compile(r"/en/association/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
