"""Accounts: passwords per NIST SP 800-63B (12 characters at least, not common, not like the
person's name; no composition rule), a single admin, a CSRF cookie scripts cannot read."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from demo.factories.members import UserFactory

pytestmark = pytest.mark.django_db


def _problems(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def test_eleven_characters_are_too_few_twelve_are_enough():
    assert any("12 caractères" in message for message in _problems("abcdefghij1"))
    assert _problems("tournesol-42") == []


def test_common_and_personal_passwords_are_refused():
    assert _problems("qwertyuiop123") == ["Ce mot de passe est trop courant."]
    user = UserFactory(first_name="Bernadette", last_name="Chaussonnière", email="b@example.org")
    assert _problems("chaussonniere", user)


def test_no_composition_rule():
    # Digits only, or letters only, are fine when long and uncommon (NIST: no composition rules).
    assert _problems("739184562073") == []
    assert _problems("lesjardinsdumardi") == []


def test_a_shorter_password_chosen_before_keeps_working(client):
    user = UserFactory(email="ancien@example.org")
    user.set_password("court-8c")  # set before the rule, not through a form
    user.save()
    response = client.post(
        "/espace-membre/connexion/", {"username": "ancien@example.org", "password": "court-8c"}
    )
    assert response.status_code == 302


def test_changing_it_asks_for_twelve_characters(client):
    user = UserFactory(email="ancien@example.org")
    user.set_password("court-8c")
    user.save()
    client.force_login(user)
    response = client.post(
        "/espace-membre/mot-de-passe/modifier/",
        {
            "old_password": "court-8c",
            "new_password1": "encore-11ca",
            "new_password2": "encore-11ca",
        },
    )
    assert response.status_code == 200
    assert "12 caractères" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("court-8c")


def test_there_is_no_second_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/login/").status_code == 404


def test_scripts_cannot_read_the_csrf_cookie(client, site_tree):
    response = client.get("/espace-membre/connexion/")
    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] is True


# ASVS 2.1.2 / 2.1.3: long passphrases are accepted whole, and every character counts.
LONG_PASSPHRASE = ("le-jardin-partagé-du-mardi-ouvre-à-neuf-heures-" * 3)[:128]


def test_a_128_character_passphrase_is_accepted_and_logs_in(client):
    assert len(LONG_PASSPHRASE) == 128
    user = UserFactory(email="longue@example.org")
    user.set_password("ancien-mot-de-passe-12")
    user.save()
    client.force_login(user)
    response = client.post(
        "/espace-membre/mot-de-passe/modifier/",
        {
            "old_password": "ancien-mot-de-passe-12",
            "new_password1": LONG_PASSPHRASE,
            "new_password2": LONG_PASSPHRASE,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    response = client.post(
        "/espace-membre/connexion/",
        {"username": "longue@example.org", "password": LONG_PASSPHRASE},
    )
    assert response.status_code == 302


def test_a_passphrase_is_never_truncated(client):
    user = UserFactory(email="longue@example.org")
    user.set_password(LONG_PASSPHRASE)
    user.save()
    # Only the last character differs: a hasher cutting at 72 bytes (bcrypt) or any length
    # below 128 would let this in.
    other_ending = LONG_PASSPHRASE[:-1] + ("x" if LONG_PASSPHRASE[-1] != "x" else "y")
    assert not user.check_password(other_ending)
    assert not user.check_password(LONG_PASSPHRASE[:72])
    response = client.post(
        "/espace-membre/connexion/", {"username": "longue@example.org", "password": other_ending}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
