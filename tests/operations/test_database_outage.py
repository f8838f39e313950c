"""While the database is unreachable, visitors get a French 503 that says to retry, never the
generic 500, and the log gets one line for the outage rather than a traceback per request."""

import logging

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from operations import errors
from operations.outages import Outage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_outage(monkeypatch):
    """Each test starts with the database known to be up (the state is per process)."""
    monkeypatch.setattr(errors, "database_outage", Outage("Database", "operations.database"))


@pytest.fixture
def database_down(db, monkeypatch):
    """Every new cursor fails as a lost connection does. A database server cannot be stopped from
    inside the test run (`make prodcheck` restarts a real PostgreSQL under load); this is the
    edge where its absence shows."""
    def refused(self, *args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refused)
    yield
    monkeypatch.undo()


def test_pages_answer_a_french_503_with_retry_after(client, site_tree, database_down, caplog):
    client.raise_request_exception = False  # as a real server: the handler answers
    with caplog.at_level(logging.INFO):
        for path in ("/", "/association/", "/adherer/bulletin/", "/espace-membre/connexion/"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response["Retry-After"] == "30"
            html = response.content.decode()
            assert "Service momentanément indisponible" in html
            assert "attendez une minute avant de le renvoyer" in html
    errors_logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in errors_logged] == [
        "Database unavailable: connection to server at 127.0.0.1, port 5432 failed"
    ]
    assert not any(r.name == "django.request" for r in caplog.records)


def test_a_post_during_the_outage_is_a_503_too(client, site_tree, database_down):
    client.raise_request_exception = False
    response = client.post("/adherer/bulletin/", {"contact-email": "a@example.org"})
    assert response.status_code == 503


def test_the_end_of_the_outage_is_logged_and_pages_come_back(
    client, site_tree, monkeypatch, caplog
):
    client.raise_request_exception = False
    original = BaseDatabaseWrapper.cursor

    def refused(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refused)
    with caplog.at_level(logging.INFO):
        assert client.get("/association/").status_code == 503
        monkeypatch.setattr(BaseDatabaseWrapper, "cursor", original)
        assert client.get("/association/").status_code == 200
    messages = [r.getMessage() for r in caplog.records if r.name == "operations.database"]
    assert messages[0].startswith("Database unavailable")
    assert messages[-1].startswith("Database available again after")
    assert errors.database_outage.down is False


def test_other_errors_keep_the_500_page(rf):
    request = rf.get("/")
    try:
        raise ValueError("a bug of ours")
    except ValueError:
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Une erreur est survenue" in response.content.decode()
