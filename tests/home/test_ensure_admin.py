"""The administrator account `make run` makes: no default password, a random one shown once,
never an existing account taken over (OWASP ASVS 2.5.4)."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _run(monkeypatch, **environ):
    for name in ("ADMIN_USERNAME", "ADMIN_EMAIL", "ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    out = io.StringIO()
    call_command("ensure_admin", stdout=out, stderr=out)
    return out.getvalue()


def test_without_a_password_a_random_one_is_made_and_shown_once(monkeypatch):
    first = _run(monkeypatch)
    password = re.search(r"une seule fois\) : (\S+)", first).group(1)
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    validate_password(password, admin)  # as strong as what people must choose
    second = _run(monkeypatch)
    assert password not in second and "existe déjà" in second
    assert get_user_model().objects.count() == 1


def test_two_sites_never_get_the_same_password(monkeypatch):
    out = _run(monkeypatch)
    get_user_model().objects.all().delete()
    assert re.search(r": (\S+)\n", out).group(1) != re.search(
        r": (\S+)\n", _run(monkeypatch)
    ).group(1)


def test_an_existing_account_of_that_name_is_not_taken_over(monkeypatch):
    get_user_model().objects.create_user(username="admin", password="celui-de-quelquun-42")
    out = _run(monkeypatch)
    user = get_user_model().objects.get(username="admin")
    assert not user.is_superuser and user.check_password("celui-de-quelquun-42")
    assert "n'est pas administrateur" in out
