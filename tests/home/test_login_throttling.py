"""Password guessing: five wrong passwords lock one account at one address for a while, on the
portal's login and the admin's alike; another address is not locked by those guesses; staff
unlock in the admin; the lock ends after the cool-down."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

from demo.factories.members import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide-42"
PORTAL_LOGIN = "/espace-membre/connexion/"
ADMIN_LOGIN = "/admin/login/"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture
def alice():
    user = UserFactory(email="alice@jardins.example.org", username="alice")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser(
        username="redaction", email="redaction@example.org", password=PASSWORD
    )


def _login(client, url, username, password, address):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def _guess(client, url, username, times, address=ATTACKER):
    """`times` wrong passwords: the first four get the form again with its error, the fifth
    the lockout page."""
    for n in range(1, times + 1):
        response = _login(client, url, username, "pas-le-bon-mot", address)
        assert response.status_code == (200 if n < 5 else 429)


def test_the_sixth_try_is_refused_even_with_the_right_password(client, alice):
    _guess(client, PORTAL_LOGIN, "alice@jardins.example.org", 5)
    response = _login(client, PORTAL_LOGIN, "alice@jardins.example.org", PASSWORD, ATTACKER)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Connexion bloquée" in html
    assert "réessayez dans 15 minutes" in html
    assert response["Retry-After"] == str(15 * 60)
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_then_the_right_one_logs_in_and_resets_the_count(client, alice):
    _guess(client, PORTAL_LOGIN, "alice@jardins.example.org", 4)
    response = _login(client, PORTAL_LOGIN, "alice@jardins.example.org", PASSWORD, ATTACKER)
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(failures_since_start__gt=0).exists()


def test_the_case_of_the_address_makes_no_new_counter(client, alice):
    _guess(client, PORTAL_LOGIN, "Alice@Jardins.Example.org", 3)
    response = _login(client, PORTAL_LOGIN, "alice@jardins.example.org", "faux", ATTACKER)
    assert response.status_code == 200
    response = _login(client, PORTAL_LOGIN, "ALICE@jardins.example.org", "faux", ATTACKER)
    assert response.status_code == 429  # the fifth wrong password, whatever its case


def test_the_owner_elsewhere_is_not_locked_out_by_the_guesses(client, alice):
    _guess(client, PORTAL_LOGIN, "alice@jardins.example.org", 8)
    response = _login(client, PORTAL_LOGIN, "alice@jardins.example.org", PASSWORD, OWNER)
    assert response.status_code == 302
    assert response["Location"] == "/espace-membre/"


def test_the_lock_ends_after_the_cool_down(client, alice):
    _guess(client, PORTAL_LOGIN, "alice@jardins.example.org", 5)
    assert (
        _login(client, PORTAL_LOGIN, "alice@jardins.example.org", PASSWORD, ATTACKER).status_code
        == 429
    )
    # Sixteen minutes later (the attempts are moved back rather than the clock forward).
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    response = _login(client, PORTAL_LOGIN, "alice@jardins.example.org", PASSWORD, ATTACKER)
    assert response.status_code == 302


def test_the_admin_login_is_throttled_too(client, editor):
    _guess(client, ADMIN_LOGIN, "redaction", 5)
    response = _login(client, ADMIN_LOGIN, "redaction", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_staff_see_the_locked_login_and_unlock_it(client, alice, editor):
    _guess(client, PORTAL_LOGIN, "alice@jardins.example.org", 5)
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "alice@jardins.example.org"

    staff = client.__class__()
    staff.force_login(editor)
    listing = staff.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "alice@jardins.example.org" in listing.content.decode()
    assert staff.get("/admin/axes/accessattempt/create/").status_code != 200  # nobody adds one
    deleted = staff.post(f"/admin/axes/accessattempt/delete/{attempt.pk}/")
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.exists()

    response = _login(client, PORTAL_LOGIN, "alice@jardins.example.org", PASSWORD, ATTACKER)
    assert response.status_code == 302


def test_a_member_cannot_reach_the_locked_logins(client, alice):
    client.force_login(alice)
    response = client.get("/admin/axes/accessattempt/")
    assert response.status_code in (302, 403)
    assert "alice@jardins.example.org" not in response.content.decode()


def test_one_address_trying_many_accounts_is_stopped(client, settings):
    # Five wrong passwords on each of many accounts never locks one of them, but the address
    # itself is limited (RATE_LIMITS « login »): 30 posts in 15 minutes.
    for n in range(30):
        response = _login(client, PORTAL_LOGIN, f"personne{n}@example.org", "faux", ATTACKER)
        assert response.status_code == 200
    response = _login(client, PORTAL_LOGIN, "personne99@example.org", "faux", ATTACKER)
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert _login(client, PORTAL_LOGIN, "personne99@example.org", "faux", OWNER).status_code == 200


def test_unicode_spellings_of_the_address_share_its_counter(client, alice):
    # The login form reads « ａlice@… » (full-width a) as « alice@… » (NFKC): so do the counters.
    _guess(client, PORTAL_LOGIN, "alice@jardins.example.org", 5)
    for spelling in ("ａlice@jardins.example.org", "ALİCE@jardins.example.org".lower()):
        response = _login(client, PORTAL_LOGIN, spelling, PASSWORD, ATTACKER)
        assert response.status_code in (200, 429)
        assert "_auth_user_id" not in client.session


def test_wagtails_own_login_page_is_limited_too(client):
    for n in range(30):
        response = _login(client, "/_util/login/", f"personne{n}@example.org", "faux", ATTACKER)
        assert response.status_code == 200
    assert _login(client, "/_util/login/", "x@example.org", "faux", ATTACKER).status_code == 429


def test_posting_an_accounts_name_does_not_lock_its_owner_out(client, alice):
    # Only failed logins count towards the account-wide limit, and one address adds only the
    # few failures django-axes lets through: its owner, elsewhere, still logs in.
    for n in range(60):
        _login(client, PORTAL_LOGIN, "alice@jardins.example.org", "faux", f"203.0.113.{n % 2}")
    response = _login(client, PORTAL_LOGIN, "alice@jardins.example.org", PASSWORD, OWNER)
    assert response.status_code == 302


def test_many_addresses_guessing_one_account_are_stopped(client, alice):
    # Fifty wrong passwords from many places within the hour: the account waits, whoever asks.
    for n in range(50):
        _login(client, PORTAL_LOGIN, "alice@jardins.example.org", "faux", f"198.51.100.{n}")
    response = _login(client, PORTAL_LOGIN, "alice@jardins.example.org", PASSWORD, OWNER)
    assert response.status_code == 429
