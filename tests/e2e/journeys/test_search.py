"""Journeys: a visitor looks for the bulletin d'adhésion with the header's search box.

From the home page, by clicks only: a word typed in the header box, « Rechercher », the results
page, then the result that opens the bulletin. Every page passed through is checked by axe
(impact moderate and above), the home page also once the suggestions of the box are open.
"""

import re
import time

from django.core.management import call_command
from playwright.sync_api import expect

BULLETIN = "Bulletin d’adhésion"
COUNT = re.compile(r"^(\d+) résultats? pour « (.*) »$")

# « Rechercher » (the header's button), then the result « Bulletin d’adhésion ».
CLICKS = 2
# « Rechercher » (the header's button) only: the bulletin is read among the results.
LISTING_CLICKS = 1


def load_demo():
    """The demo site, and the members' demo that publishes the bulletin and its fee grid."""
    call_command("load_demo_content", verbosity=0)
    call_command("load_demo_members", verbosity=0)


def search_from_the_header(journey, words, suggested=None):
    """Type `words` in the header's box, wait for its suggestions (`suggested`: the title one
    of them must have) and check the page as it is then; click « Rechercher »; returns the
    results' list."""
    page = journey.page
    box = page.get_by_role("combobox", name="Rechercher sur le site")
    with page.expect_response(re.compile(r"/recherche/autocomplete/")):
        box.fill(words)
    if suggested:
        listbox = page.get_by_role("listbox", name="Suggestions")
        expect(listbox.get_by_role("option", name=suggested)).to_be_visible()
    journey.check()  # the home page with the box filled in (and its suggestions open)
    search = page.get_by_role("search", name="Recherche sur le site")
    journey.click(search.get_by_role("button", name="Rechercher"))
    expect(page).to_have_url(re.compile(rf"/recherche/\?q={words}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechercher sur le site")
    expect(page.get_by_role("heading", name=COUNT)).to_contain_text(f"« {words} »")
    return page.locator("ol.search-results > li")


def test_a_visitor_finds_the_bulletin_from_the_header_search(journey, live_server):
    started = time.monotonic()
    load_demo()
    page = journey.page

    journey.start("/")
    hits = search_from_the_header(journey, "bulletin", suggested=BULLETIN)
    result = hits.get_by_role("link", name=BULLETIN, exact=True)
    expect(result).to_have_count(1)
    journey.click(result)

    expect(page.get_by_role("heading", level=1)).to_have_text(BULLETIN)
    expect(page).to_have_url(re.compile(r"/bulletin/$"))

    print(
        f"\nsearch journey « bulletin »: {journey.clicks} clicks, "
        f"{len(journey.pages)} pages checked, {time.monotonic() - started:.1f} s"
    )
    assert journey.clicks == CLICKS


def test_searching_cotisation_lists_the_bulletin(journey, live_server):
    """The fee grid is indexed as the bulletin's text: « cotisation » finds the page."""
    started = time.monotonic()
    load_demo()

    journey.start("/")
    hits = search_from_the_header(journey, "cotisation")
    expect(hits.get_by_role("link", name=BULLETIN, exact=True)).to_have_count(1)

    print(
        f"\nsearch journey « cotisation »: {journey.clicks} clicks, "
        f"{len(journey.pages)} pages checked, {time.monotonic() - started:.1f} s"
    )
    assert journey.clicks == LISTING_CLICKS
