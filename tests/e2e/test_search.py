"""The search page /recherche/ in a real browser, on the demo content: the header box reached
with the keyboard, results, filters, an empty result, the autocomplete combobox, screenshots."""

import re

from playwright.sync_api import expect

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 800}
COUNT = re.compile(r"^(\d+) résultats? pour « (.*) »$")


def result_count(page):
    """The number the results page announces in its « N résultats pour « … » » heading."""
    heading = page.get_by_role("heading", name=COUNT)
    expect(heading).to_be_visible()
    return int(COUNT.match(heading.inner_text()).group(1))


def hits(page):
    return page.locator("ol.search-results > li")


def test_keyboard_search_from_the_home_page(page, demo_server, axe):
    page.set_viewport_size(DESKTOP)
    page.goto(demo_server + "/")
    box = page.get_by_role("combobox", name="Rechercher sur le site")
    for _ in range(30):  # Tab through the header until the search box has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    expect(box).to_be_focused()
    page.keyboard.type("associations")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/recherche/\?q=associations$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechercher sur le site")
    expect(page.get_by_role("heading", name=COUNT)).to_contain_text("« associations »")
    total = result_count(page)
    assert total > 0
    # One list item per result on this first page (10 a page), each with a link to its page.
    expect(hits(page)).to_have_count(min(total, 10))
    first = hits(page).first.get_by_role("link")
    expect(first).to_have_attribute("href", re.compile(r"^/"))
    expect(page.get_by_label("Mots recherchés")).to_have_value("associations")
    assert axe(page) == []

    # The first result opens its page.
    title = first.inner_text()
    first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_an_empty_result_says_so_and_is_accessible(page, demo_server, axe):
    page.set_viewport_size(DESKTOP)
    page.goto(demo_server + "/recherche/?q=zzzxq")
    assert result_count(page) == 0
    expect(hits(page)).to_have_count(0)
    expect(page.get_by_text("Aucun résultat.")).to_be_visible()
    assert axe(page) == []


def test_an_empty_result_suggests_a_query_that_finds_something(page, demo_server, axe):
    page.set_viewport_size(DESKTOP)
    page.goto(demo_server + "/recherche/?q=associations+zzzxq")
    assert result_count(page) == 0
    expect(page.get_by_text("Essayez plutôt :")).to_be_visible()
    suggestion = page.locator(".search-empty").get_by_role("link", name="associations")
    expect(suggestion).to_be_visible()
    assert axe(page) == []
    suggestion.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=associations$"))
    assert result_count(page) > 0


def test_a_type_filter_narrows_the_results(page, demo_server, axe):
    page.set_viewport_size(DESKTOP)
    page.goto(demo_server + "/recherche/?q=associations")
    total = result_count(page)
    types = page.get_by_role("navigation", name="Type")
    news = types.get_by_role("link", name=re.compile(r"^Actualité \(\d+\)$"))
    expected = int(re.search(r"\((\d+)\)", news.inner_text()).group(1))
    assert 0 < expected < total  # the filter really narrows this search

    news.focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]type=news(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]q=associations(&|$)"))
    assert result_count(page) == expected
    expect(hits(page)).to_have_count(expected)
    expect(hits(page).locator(".badge").filter(has_text="Actualité")).to_have_count(expected)
    # The chosen filter is shown as current, and « Tous » leads back to every result.
    expect(types.locator("[aria-current=true]")).to_have_text(f"Actualité ({expected})")
    assert axe(page) == []
    types.get_by_role("link", name="Tous").click()
    expect(page).not_to_have_url(re.compile("type="))
    assert result_count(page) == total


def test_autocomplete_suggestions_are_reachable_with_the_keyboard(page, demo_server, axe):
    page.set_viewport_size(DESKTOP)
    page.goto(demo_server + "/actualites/")
    box = page.get_by_role("combobox", name="Rechercher sur le site")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()

    box.focus()
    page.keyboard.type("asso")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", "site-search-suggestions")
    options = listbox.get_by_role("option")
    expect(options.first).to_be_visible()
    assert options.count() >= 2  # « L’association » and a news item's title on the demo
    expect(options.filter(has_text="L’association")).to_have_count(1)
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))

    # ArrowDown / ArrowUp move the current suggestion; the focus stays in the box.
    page.keyboard.press("ArrowDown")
    first, second = options.nth(0), options.nth(1)
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(box).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(second).to_have_attribute("aria-selected", "true")
    expect(first).to_have_attribute("aria-selected", "false")
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    page.keyboard.press("ArrowUp")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(listbox.locator("[aria-selected=true]")).to_have_count(1)
    assert axe(page) == []  # the open combobox and its listbox

    # Escape closes the list without leaving the box; ArrowDown opens it again.
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("asso")
    expect(box).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(listbox).to_be_visible()
    expect(first).to_have_attribute("aria-selected", "true")

    # Enter opens the current suggestion's page rather than the results page.
    target = options.filter(has_text="L’association")
    while target.get_attribute("aria-selected") != "true":
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/association/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("L’association")


def test_screenshots_of_the_results_at_mobile_and_desktop_widths(page, demo_server, screenshot):
    for name, size in (("375", MOBILE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        page.goto(demo_server + "/recherche/?q=associations")
        expect(hits(page).first).to_be_visible()
        shot = screenshot(page, f"search-results-{name}")
        assert shot.stat().st_size > 10_000
        # Nothing overflows sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]

        # Nor with the suggestions open (their titles can be long).
        if size is MOBILE:
            page.get_by_role("button", name="Afficher le menu").click()
        page.get_by_role("combobox", name="Rechercher sur le site").fill("asso")
        expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()
        screenshot(page, f"search-autocomplete-{name}")
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
