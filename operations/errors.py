"""The 500 page, and the 503 that replaces it while the database is unreachable.

Django calls `handler500` from inside the `except` of whatever layer failed (a view, a template, a
middleware such as the session's), so `sys.exc_info()` tells what happened. A lost database
connection (PostgreSQL restarting, a failover, SQLite locked for too long) is not a bug of ours:
the visitor gets a French 503 with `Retry-After`, the log gets one line per outage rather than a
traceback per request (operations/outages.py), and `conn_health_checks` reconnects by itself once
the server is back.

Both pages are plain templates rendered without context processors: nothing that could query the
database again.
"""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader

from .outages import Outage

# Seconds a visitor (or a client honouring the header) should wait before trying again: a
# PostgreSQL restart takes a few seconds, a managed failover up to about half a minute.
RETRY_AFTER_SECONDS = 30

database_outage = Outage("Database", "operations.database")


# SQLSTATE classes of a lost server: connection exceptions (08…), and the server shutting down
# or restarting (57P01–57P03). A deadlock or a statement timeout is not an outage but a bug to see.
_OUTAGE_SQLSTATES = ("08", "57P01", "57P02", "57P03")
# SQLite's own words for a database that cannot be reached now (a missing table is a bug).
_SQLITE_OUTAGES = ("database is locked", "unable to open database", "disk i/o error")


def _drivers_own(error, name):
    """`error` is the database driver's `name` error itself, not Django's wrapping of it. One
    escapes Django's wrapper: a server-side cursor (`.iterator()`, which a form's model choices
    use on PostgreSQL) closed after the server went away raises psycopg's own (seen in `make
    prodcheck` when PostgreSQL restarted, as a 500)."""
    driver_error = getattr(connection.Database, name, None)
    return driver_error is not None and isinstance(error, driver_error)


def is_database_outage(error):
    """The database cannot be reached (PostgreSQL down or restarting, a failover, SQLite locked
    for too long), as opposed to a query of ours that failed."""
    if isinstance(error, InterfaceError):
        return True
    if isinstance(error, OperationalError):
        cause = error.__cause__
    elif _drivers_own(error, "OperationalError"):
        cause = error
    else:
        return False
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith(_OUTAGE_SQLSTATES)
    if cause is not None and type(cause).__module__.startswith("sqlite3"):
        return any(words in str(error).lower() for words in _SQLITE_OUTAGES)
    # psycopg's connection failures carry no SQLSTATE (refused, closed unexpectedly…).
    return True


def server_error(request):
    error = sys.exc_info()[1]
    if is_database_outage(error):
        database_outage.failed(error)
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        # Django would log a traceback for this request (django.utils.log.log_response): the
        # outage is already logged, once.
        response._has_been_logged = True
        return response
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request_path": request.path}), status=500)


class DatabaseRecoveryMiddleware:
    """Notes the end of a database outage. During one, a response that is not a 5xx may not
    have touched the database (a cached page, a 404 for a bad host): the database is asked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if database_outage.down and response.status_code < 500 and _database_answers():
            database_outage.recovered()
        return response


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True
