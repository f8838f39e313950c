"""Journeys: one user's whole flow, from the home page, by clicks only.

A journey starts with `journey.start()` (the only typed address, with the e-mailed links of
`journey.follow_email_link()`), then moves only through `journey.click()` on what a person sees.
axe-core checks every page it passes through, admin pages included, and fails on violations of
impact « moderate » and above. The number of clicks is counted, so a test can hold a flow to
what it takes today (and the closing note can say it).
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

MIN_IMPACT = "moderate"


class Journey:
    def __init__(self, page, base_url, axe):
        self.page = page
        self.base_url = base_url
        self._axe = axe
        self.clicks = 0
        self.pages = []  # each address passed through, in order (checked by axe)

    # --- moving -----------------------------------------------------------------------------
    def start(self, path="/"):
        self.page.goto(self.base_url + path)
        self.check()

    def click(self, locator, check=True):
        """Click what the visitor sees; the new page (if any) is checked with axe."""
        locator.click()
        self.clicks += 1
        self.page.wait_for_load_state()
        if check:
            self.check()

    def follow_email_link(self, pattern, to=None):
        """Open the newest e-mailed link whose path matches `pattern` (optionally sent to
        `to`), on the live server: what a person does with a link received by e-mail."""
        url = email_link(self.base_url, pattern, to=to)
        self.page.goto(url)
        self.check()
        return url

    # --- checking -----------------------------------------------------------------------------
    def check(self):
        """axe on the page as it is now: no violation of impact moderate or above."""
        self.pages.append(urlsplit(self.page.url).path)
        # A message fading in would be measured half transparent (a false contrast failure):
        # finite animations and transitions end first.
        self.page.evaluate(
            """() => Promise.all(document.getAnimations()
                .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
                .map(a => a.finished.catch(() => null)))"""
        )
        violations = self._axe(self.page, min_impact=MIN_IMPACT)
        assert violations == [], f"{self.page.url}: {violations}"

    def path(self):
        return urlsplit(self.page.url).path


def email_link(base_url, pattern, to=None):
    """The newest e-mailed link whose path matches `pattern`, moved onto the live server."""
    for message in reversed(mail.outbox):
        if to and to not in message.to:
            continue
        bodies = [message.body] + [
            content for content, mimetype in getattr(message, "alternatives", [])
        ]
        for body in bodies:
            for url in re.findall(r"https?://[^\s\"'<>]+", body):
                parts = urlsplit(url)
                if re.search(pattern, parts.path):
                    return base_url + parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no e-mailed link matching {pattern!r}")


@pytest.fixture
def journey(page, live_server, axe):
    return Journey(page, live_server.url, axe)
