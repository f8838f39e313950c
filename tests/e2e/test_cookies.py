"""The cookies a visitor receives, in a real browser: each must be one privacy.cookies lists as
strictly necessary (session, CSRF, Stripe's fraud prevention), so the site needs no consent
banner.

An anonymous visitor with a fresh browser goes through every live public page of the demo site
and the public addresses that are not pages (search, the volunteering forms and open needs, the
award application, the member and jury areas' login, a page that does not exist…); a new
member then fills in the bulletin and reaches the payment page. The browser's cookies are read
after each address, so a failure names the cookie and the address where it first appeared.

Stripe.js cannot load here (the browser may not leave 127.0.0.1): Stripe's own cookies
(__stripe_mid, __stripe_sid) are listed by declaration, not observed.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from privacy.cookies import necessary_cookie_names
from tests.e2e.bulletin_steps import fill_organisation_and_contact

PASSWORD = "un-mot-de-passe-solide-42"


class CookieLog:
    """The cookies of a browser context, each with the address after which it first appeared."""

    def __init__(self, page):
        self.page = page
        self.first_seen = {}
        self.visited = []

    def visit(self, url):
        response = self.page.goto(url, wait_until="domcontentloaded")
        self.visited.append(url)
        self.note(url)
        return response

    def note(self, where):
        for cookie in self.page.context.cookies():
            self.first_seen.setdefault(cookie["name"], where)

    def unlisted(self):
        """The cookies privacy.cookies does not list, as « name (first set at URL) »."""
        allowed = necessary_cookie_names()
        return [
            f"{name} (first set at {where})"
            for name, where in self.first_seen.items()
            if name not in allowed
        ]


def _load_whole_demo():
    commands = (
        "load_demo_members",
        "load_demo_volunteering",
        "load_demo_awards",
        "load_demo_legal",
    )
    for command in commands:
        call_command(command, verbosity=0)


def _public_page_paths():
    """Every live page an anonymous visitor may read, as a path: French at the root."""
    from wagtail.models import Page

    paths = set()
    for page in Page.objects.live().public():
        url = page.get_url()
        if url:  # None for the tree's root, which is no site's page
            paths.add(urlsplit(url).path)
    return sorted(paths)


def _other_public_paths():
    """The public addresses that are not Wagtail pages."""
    from awards.models import AwardEdition

    paths = [
        "/recherche/?q=adh%C3%A9sion",
        "/recherche/?q=b%C3%A9n%C3%A9vole&page=2",
        "/recherche/autocomplete/?q=prix",
        "/en/recherche/?q=award",
        "/benevolat/besoins/deposer/",
        "/benevolat/proposer/",
        "/benevolat/merci/",
        "/benevolat/entreprise/",
        "/candidatures/",
        "/espace-membre/",
        "/espace-membre/connexion/",
        "/en/espace-membre/connexion/",
        "/espace-membre/mot-de-passe/oublie/",
        "/jury/",
        "/admin/",
        "/jsi18n/",
        "/sitemap.xml",
        "/robots.txt",
        "/health/",
        "/une-page-qui-n-existe-pas/",
    ]
    for edition in AwardEdition.objects.order_by("year"):
        paths.append(f"/candidatures/{edition.year}/nouvelle/")
    return paths


def test_an_anonymous_visitor_receives_only_necessary_cookies(page, demo_server):
    _load_whole_demo()
    log = CookieLog(page)

    page_paths = _public_page_paths()
    assert len(page_paths) > 20, page_paths
    not_served = []
    # Each page in French, then in English under /en/ (the same pages: WAGTAIL_I18N_ENABLED
    # is off, i18n_patterns gives the language).
    for path in page_paths + ["/en" + path for path in page_paths]:
        response = log.visit(demo_server + path)
        if response is None or response.status != 200:
            not_served.append((path, response and response.status))
    assert not_served == [], "live public pages that did not answer 200"

    # What the sitemap announces was all visited.
    sitemap = page.request.get(demo_server + "/sitemap.xml").text()
    announced = {urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)}
    assert announced and announced <= set(page_paths), sorted(announced - set(page_paths))

    for path in _other_public_paths():
        log.visit(demo_server + path)
    # The open board needs, then each on its own page, as the listing links to them.
    log.visit(demo_server + "/benevolat/besoins/")
    links = page.locator("a[href]").evaluate_all("links => links.map(a => a.pathname)")
    needs = sorted({p for p in links if re.fullmatch(r"/benevolat/besoins/\d+/", p)})
    assert needs, "the demo lists no open board need"
    for path in needs:
        log.visit(demo_server + path)

    unlisted = log.unlisted()
    assert not unlisted, "cookies privacy.cookies does not list: " + "; ".join(unlisted)
    assert settings.CSRF_COOKIE_NAME in log.first_seen, (
        f"no CSRF cookie after the forms, in {len(log.visited)} addresses"
    )
    session = settings.SESSION_COOKIE_NAME
    assert session not in log.first_seen, (
        f"an anonymous reader got the session cookie {session} at {log.first_seen.get(session)}"
    )


def test_a_new_member_on_the_payment_page_receives_only_necessary_cookies(
    page, demo_server, stripe_settings, stripe_server
):
    call_command("load_demo_members", verbosity=0)
    log = CookieLog(page)

    log.visit(demo_server + "/adherer/bulletin/")
    fill_organisation_and_contact(
        page, name="La Ressourcerie du Lac", rna="W442777002",
        email="ines@ressourcerie.example.org", password=PASSWORD,
    )  # fmt: skip
    page.get_by_label("Carte bancaire").check()
    page.get_by_label(re.compile("J’ai lu les statuts")).check()
    page.get_by_label(re.compile("J’ai lu comment le réseau utilise ces informations")).check()
    page.get_by_role("button", name="Envoyer le bulletin").click()

    # The page that loads Stripe's Payment Element, with the intent localstripe made.
    expect(page.get_by_role("heading", level=1)).to_have_text("Paiement de la cotisation")
    expect(page.locator("#payment-form")).to_have_attribute("data-client-secret", re.compile("."))
    # The page's scripts ran: they found Stripe.js refused (it is where its cookies would come).
    expect(page.locator("#payment-unavailable")).to_be_visible()
    payment_url = page.url
    log.note(payment_url)
    membership_return = re.sub(r"/paiement/$", "/retour/", payment_url)
    log.visit(membership_return)
    log.visit(demo_server + "/espace-membre/")

    unlisted = log.unlisted()
    assert not unlisted, "cookies privacy.cookies does not list: " + "; ".join(unlisted)
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        assert name in log.first_seen, f"no {name} cookie on the way to {payment_url}"
