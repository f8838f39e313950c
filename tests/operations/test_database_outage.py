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


class _Cause(Exception):
    def __init__(self, message, sqlstate=None):
        super().__init__(message)
        self.sqlstate = sqlstate


def _operational(message, sqlstate=None, cause=None):
    error = OperationalError(message)
    error.__cause__ = cause if cause is not None else _Cause(message, sqlstate)
    return error


def test_only_a_lost_database_counts_as_an_outage():
    import sqlite3

    from django.db import InterfaceError

    assert errors.is_database_outage(_operational("connection refused"))  # psycopg: no SQLSTATE
    assert errors.is_database_outage(_operational("terminating connection", "57P01"))
    assert errors.is_database_outage(_operational("could not connect", "08006"))
    assert errors.is_database_outage(InterfaceError("connection already closed"))
    sqlite_locked = sqlite3.OperationalError("database is locked")
    assert errors.is_database_outage(_operational("database is locked", cause=sqlite_locked))
    # Bugs of ours, to be seen as such (the 500 page, a traceback in the log):
    assert not errors.is_database_outage(_operational("canceling statement", "57014"))
    assert not errors.is_database_outage(_operational("deadlock detected", "40P01"))
    missing = sqlite3.OperationalError("no such table: members_thing")
    assert not errors.is_database_outage(_operational("no such table", cause=missing))
    assert not errors.is_database_outage(ValueError("not a database error"))


def _drivers_own_errors():
    """(an outage, a bug of ours) as the database driver itself raises them."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return (
            connection.Database.OperationalError("database is locked"),
            connection.Database.OperationalError("no such table: members_thing"),
        )
    from psycopg import errors as pg

    return (
        connection.Database.OperationalError(
            "consuming input failed: server closed the connection unexpectedly"
        ),
        pg.QueryCanceled("canceling statement due to statement timeout"),
    )


def test_the_drivers_own_error_is_an_outage_too(rf):
    """On PostgreSQL a server-side cursor (a form's model choices) closed after the server went
    away raises psycopg's own error, not Django's: `make prodcheck` answered it with a 500."""
    from django.db import connection

    outage, bug = _drivers_own_errors()
    assert errors.is_database_outage(outage)
    # The driver's own InterfaceError (« the cursor is closed ») is a bug of ours, not an outage.
    assert not errors.is_database_outage(connection.Database.InterfaceError("cursor closed"))
    assert not errors.is_database_outage(bug)
    try:
        raise outage
    except Exception:
        response = errors.server_error(rf.post("/adherer/bulletin/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    try:
        raise bug
    except Exception:
        response = errors.server_error(rf.get("/"))
    assert response.status_code == 500


def test_a_failing_query_of_ours_keeps_the_500_and_its_traceback(rf, caplog):
    import sqlite3

    request = rf.get("/")
    try:
        raise _operational("no such column: x", cause=sqlite3.OperationalError("no such column"))
    except OperationalError:
        response = errors.server_error(request)
    assert response.status_code == 500
    assert not getattr(response, "_has_been_logged", False)  # Django logs its traceback


def test_a_page_that_needs_no_database_does_not_end_the_outage(client, site_tree, monkeypatch):
    """During an outage, a 404 or a cached page answers without the database: only a query that
    succeeds says it is back."""
    errors.database_outage.failed("connection refused")
    monkeypatch.setattr(errors, "_database_answers", lambda: False)
    client.get("/robots.txt")
    assert errors.database_outage.down
    monkeypatch.setattr(errors, "_database_answers", lambda: True)
    client.get("/robots.txt")
    assert not errors.database_outage.down
