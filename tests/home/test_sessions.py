"""Sessions (OWASP ASVS V3): a new session at login, none left at logout, other sessions closed
when the password changes, and at most 12 hours."""

import pytest
from django.conf import settings
from django.test import Client

from demo.factories.members import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide-42"
LOGIN = "/espace-membre/connexion/"


@pytest.fixture
def alice():
    user = UserFactory(email="alice@jardins.example.org")
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client):
    return client.post(LOGIN, {"username": "alice@jardins.example.org", "password": PASSWORD})


def test_logging_in_gives_a_new_session_key(client, alice):
    client.get(LOGIN)
    session = client.session
    session["avant"] = "connexion"
    session.save()
    before = session.session_key
    assert _login(client).status_code == 302
    assert client.session.session_key != before


def test_logging_out_ends_the_session(client, alice):
    _login(client)
    key = client.session.session_key
    assert client.post("/espace-membre/deconnexion/").status_code == 302
    from django.contrib.sessions.backends.db import SessionStore

    assert not SessionStore().exists(key)
    assert client.get("/espace-membre/").status_code == 302  # to the login page


def test_changing_the_password_closes_the_other_sessions(alice):
    laptop, phone = Client(), Client()
    _login(laptop)
    _login(phone)
    response = laptop.post(
        "/espace-membre/mot-de-passe/modifier/",
        {
            "old_password": PASSWORD,
            "new_password1": "un-tout-autre-secret-2027",
            "new_password2": "un-tout-autre-secret-2027",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/espace-membre/").status_code == 200  # where it was changed
    assert phone.get("/espace-membre/").status_code == 302  # logged out elsewhere


def test_a_session_lasts_twelve_hours_at_most(client, alice):
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    _login(client)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) <= 12 * 60 * 60
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"
