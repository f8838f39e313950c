"""The staff second factor in a real browser: a superuser signs in to the admin for the first
time, sets up an authenticator app from what the page shows (the secret in text, as typed into
an app instead of scanning the QR code), types its code, sees the recovery codes once, signs
out; then signs in with a recovery code, and the same recovery code is refused the next time.
Every page of the second factor is checked with axe-core."""

import re
from base64 import b32decode

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.two_factor]

PASSWORD = "un-mot-de-passe-solide-42"


def sign_in_with_password(page, base):
    page.goto(base + "/admin/login/")
    page.get_by_role("textbox", name=re.compile("^Nom d’utilisateur")).fill("direction")
    page.get_by_role("textbox", name=re.compile("^Mot de passe")).fill(PASSWORD)
    page.get_by_role("button", name="S'identifier").click()


def checked(page, axe):
    """axe once the page has settled: Wagtail fades its messages in, and a message measured
    half transparent would fail the contrast check."""
    page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
            .map(a => a.finished.catch(() => null)))"""
    )
    return axe(page)


def sign_out(page):
    """From the admin: the sidebar's account menu, then « Se déconnecter »."""
    page.locator("#wagtail-sidebar").get_by_role("button", name=re.compile("Claire")).click()
    page.locator("#wagtail-sidebar").get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/admin/login/"))


def test_first_sign_in_enrols_then_a_recovery_code_works_once(page, live_server, axe, screenshot):
    base = live_server.url
    User.objects.create_superuser(
        "direction", "direction@reseau.example.org", PASSWORD, first_name="Claire"
    )

    # 1. First sign-in: the password, then the enrolment, since a superuser must have one.
    sign_in_with_password(page, base)
    page.wait_for_url(re.compile(r"/admin/2fa/activation/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    expect(page.locator("svg title")).to_have_text("QR code à scanner")
    assert checked(page, axe) == []
    screenshot(page, "staff-2fa-enrolment")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code").fill(f"{TOTP(key).token():06d}")  # what the app shows now
    page.get_by_role("button", name="Activer").click()

    # 2. The recovery codes, shown once.
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert checked(page, axe) == []
    screenshot(page, "staff-2fa-recovery-codes")
    page.get_by_role("link", name="J’ai noté mes codes, continuer").click()
    page.wait_for_url(base + "/admin/")
    page.goto(base + "/admin/2fa/codes-de-secours/")  # shown once: not again
    page.wait_for_url(base + "/admin/2fa/")
    expect(page.get_by_text("Codes de secours restants")).to_be_visible()
    assert checked(page, axe) == []
    sign_out(page)

    # 3. Without the phone: a recovery code instead of the app's code.
    sign_in_with_password(page, base)
    page.wait_for_url(re.compile(r"/admin/2fa/verification/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    assert checked(page, axe) == []
    screenshot(page, "staff-2fa-verification")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url(base + "/admin/")
    expect(page.get_by_role("status")).to_contain_text("il vous en reste 9")
    sign_out(page)

    # 4. The same recovery code a second time: refused, the admin stays closed.
    sign_in_with_password(page, base)
    page.wait_for_url(re.compile(r"/admin/2fa/verification/"))
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Ce code n’est pas valable.")).to_be_visible()
    assert "/admin/2fa/verification/" in page.url
    assert checked(page, axe) == []
    page.goto(base + "/admin/pages/")
    page.wait_for_url(re.compile(r"/admin/2fa/verification/\?next=%2Fadmin%2Fpages%2F"))
