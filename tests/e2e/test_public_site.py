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
    _with_bulletin(demo_server)  # the menu with a submenu button
    small_laptop = {"width": 1000, "height": 800}  # the menu wraps rather than overflow
    for name, size in (("375", MOBILE), ("1000", small_laptop), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        for slug, path in (("home", "/"), ("association", "/association/")):
            page.goto(demo_server + path)
            shot = screenshot(page, f"{slug}-{name}")
            assert shot.stat().st_size > 10_000
            # Nothing overflows sideways, on a phone or a small laptop.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"]


def test_english_site_keeps_the_visitor_in_english(page, demo_server):
    page.goto(demo_server + "/association/")
    page.get_by_role("link", name=re.compile("EN")).first.click()
    expect(page).to_have_url(re.compile(r"/en/association/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()


def _with_bulletin(demo_server):
    from django.core.management import call_command

    call_command("load_demo_members", verbosity=0)  # the bulletin, under « Adhérer »


def test_submenu_opens_and_closes_with_the_keyboard(page, demo_server, axe):
    _with_bulletin(demo_server)
    page.set_viewport_size(DESKTOP)
    page.goto(demo_server + "/")
    menu = page.get_by_role("navigation", name="Navigation principale")
    button = menu.get_by_role("button", name="Pages de la rubrique Adhérer")
    submenu_link = menu.get_by_role("link", name="Bulletin d’adhésion")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(submenu_link).to_be_hidden()
    # From the section's link, Tab reaches its button; Enter opens the submenu.
    menu.get_by_role("link", name="Adhérer", exact=True).focus()
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(submenu_link).to_be_visible()
    assert axe(page) == []
    page.keyboard.press("Tab")
    expect(submenu_link).to_be_focused()
    # Escape closes it and gives the focus back to the button.
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(submenu_link).to_be_hidden()
    # Open again, then leave with Tab past its last link: it closes behind the focus.
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name=re.compile("^Prix"))).to_be_focused()
    # And it leads on: back to the button (its closed list is skipped), Enter, the link.
    page.keyboard.press("Shift+Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bulletin d’adhésion")
    expect(
        page.get_by_role("navigation", name="Navigation principale").get_by_role(
            "link", name="Adhérer", exact=True
        )
    ).to_have_attribute("aria-current", "true")


def test_submenu_in_the_collapsed_mobile_menu(page, demo_server, axe, screenshot):
    _with_bulletin(demo_server)
    page.set_viewport_size(MOBILE)
    page.goto(demo_server + "/")
    page.get_by_role("button", name="Afficher le menu").click()
    button = page.get_by_role("button", name="Pages de la rubrique Adhérer")
    button.click()
    link = page.get_by_role("link", name="Bulletin d’adhésion")
    expect(link).to_be_visible()
    box = button.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # WCAG 2.2 target size
    assert axe(page) == []
    screenshot(page, "menu-mobile-submenu")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bulletin d’adhésion")


def test_without_javascript_sections_stay_links(browser, demo_server):
    _with_bulletin(demo_server)
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    page.goto(demo_server + "/")
    menu = page.get_by_role("navigation", name="Navigation principale")
    expect(menu.get_by_role("button", name="Pages de la rubrique Adhérer")).to_be_hidden()
    expect(menu.get_by_role("link", name="Bulletin d’adhésion")).to_be_hidden()
    menu.get_by_role("link", name="Adhérer", exact=True).click()
    page.get_by_role("navigation", name="Dans cette rubrique").get_by_role(
        "link", name="Bulletin d’adhésion"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bulletin d’adhésion")
    context.close()
