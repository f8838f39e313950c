"""Journeys: one user's whole flow, from the home page, by clicks only.

A journey starts with `journey.start()` (the only typed address, with the e-mailed links of
`journey.follow_email_link()`), then moves only through `journey.click()` on what a person sees.
axe-core checks every page it passes through, admin pages included, and fails on violations of
impact « moderate » and above. The number of clicks is counted, so a test can hold a flow to
what it takes today (and the closing note can say it).

Staff who sign in to the admin have set up their authenticator app before the journey (a
superuser or staff account created during it gets a confirmed TOTP device). When a click lands
on the admin's code page, the journey checks that page with axe, types the code the app shows
and sends it with Enter: typing, not a click, so the counts stay those of the task itself;
`second_factor_steps` counts these passages.
"""

from urllib.parse import urlsplit

import pytest

from tests.conftest import enrolled_totp_device, fresh_totp_code
from tests.e2e.mail_steps import email_link

MIN_IMPACT = "moderate"
# Where the admin asks for the code after the password (home/staff_otp/urls.py).
SECOND_FACTOR_PATH = "/admin/2fa/verification/"


class Journey:
    def __init__(self, page, base_url, axe):
        self.page = page
        self.base_url = base_url
        self._axe = axe
        self.clicks = 0
        self.second_factor_steps = 0
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
        if self.path() == SECOND_FACTOR_PATH:
            self.pass_second_factor()
        if check:
            self.check()

    def follow_email_link(self, pattern, to=None):
        """Open the newest e-mailed link whose path matches `pattern` (optionally sent to
        `to`), on the live server: what a person does with a link received by e-mail."""
        url = email_link(self.base_url, pattern, to=to)
        self.page.goto(url)
        self.check()
        return url

    def pass_second_factor(self):
        """The admin's code page: the signed-in user's current code, typed and sent with Enter."""
        self.check()
        device = enrolled_totp_device(self.signed_in_user())
        field = self.page.get_by_label("Code")
        field.fill(fresh_totp_code(device))
        with self.page.expect_navigation():
            field.press("Enter")
        self.page.wait_for_load_state()
        assert self.path() != SECOND_FACTOR_PATH, "the code was refused"
        self.second_factor_steps += 1

    def signed_in_user(self):
        """Whose session this browser holds (its session cookie, read on the server side)."""
        from importlib import import_module

        from django.conf import settings
        from django.contrib.auth import SESSION_KEY, get_user_model

        cookie = next(
            c for c in self.page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME
        )
        session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
        return get_user_model().objects.get(pk=session[SESSION_KEY])

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


def _staff_enrolled_at_creation(sender, instance, created, **kwargs):
    if created and (instance.is_staff or instance.is_superuser):
        enrolled_totp_device(instance)


@pytest.fixture
def journey(page, live_server, axe):
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_save

    post_save.connect(
        _staff_enrolled_at_creation, sender=get_user_model(), dispatch_uid="journey-staff-otp"
    )
    yield Journey(page, live_server.url, axe)
    post_save.disconnect(sender=get_user_model(), dispatch_uid="journey-staff-otp")
