"""GET never writes: each kind of person (anonymous, and each role of the world) opens every
address of ours and one page of each page type, with GET, and no INSERT, UPDATE or DELETE may
run, except on the tables listed in ALLOWED_TABLES.

A GET is what a link does: a mail scanner opening a link, a browser prefetching it, a crawler
following it, a page embedded by another site. None may change anything. One test per role; a
failure lists each (role, URL, table, statement), and any URL that answered 500 with the end of
its traceback. Whatever the status otherwise (a 302 to the login page, a 403, a 404, a 405 for
a POST-only view), it is fine: who may see what is the access matrix's business, not this
test's. Redirects are not followed: their targets are in the catalogue themselves. The GETs
carry no Sec-Fetch-Site nor Referer, as from a link elsewhere: the one write a GET of ours may
make, the statistics of a search typed in this site's own box (search.views.typed_here), does
not happen then.

Work a view leaves for after the commit (e-mails, tasks) runs inside the GET, as it does on the
site, where requests are not wrapped in a transaction: its writes count. Each GET runs in a
savepoint rolled back afterwards, so every address is opened in the same world.
"""

import re
import traceback

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from .catalogue import page_urls, urls
from .world import ROLES

pytestmark = pytest.mark.django_db

# INSERT INTO, and SQLite's INSERT OR IGNORE INTO (bulk_create(ignore_conflicts=True)), INSERT OR
# REPLACE INTO and REPLACE INTO; UPDATE (OR …); DELETE FROM. Table names may be quoted.
WRITE = re.compile(
    r"""^\s*(INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"""
    r"""\s+[`"\[]?([\w.]+)""",
    re.IGNORECASE,
)


def allowed_tables():
    """The tables a GET may write to; nothing else, and nothing of the site's own data.

    - The session table, when sessions live in the database: a visitor's session is theirs, not
      the site's data. A GET saves it when it changes (a message queued for the next page, the
      password reset view swapping the link's token for a session key, a login rotating it).
    - The tables of Django's database cache, if one is configured: a cache is a copy of what can
      be computed again (none in the test settings; production caches in Redis).
    """
    tables = set()
    if settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        from django.contrib.sessions.models import Session

        tables.add(Session._meta.db_table)
    for cache in settings.CACHES.values():
        if cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
            tables.add(cache["LOCATION"])
    return tables


ALLOWED_TABLES = allowed_tables()


def writes(sql):
    """(kind, table) of an INSERT, UPDATE or DELETE statement; None for anything else."""
    found = WRITE.match(sql)
    if found is None:
        return None
    kind = found.group(1).split()[0].upper()
    return ("INSERT" if kind == "REPLACE" else kind), found.group(2)


def targets(world):
    """[(what, url)]: every route of ours, then one page of each page type."""
    return [(route.name, url) for route, url in urls(world)] + page_urls(world)


def last_lines(exc_info, count=6):
    lines = "".join(traceback.format_exception(*exc_info)).rstrip().splitlines()
    return "\n      ".join(lines[-count:])


@pytest.mark.parametrize("role", ROLES)
def test_get_never_writes(
    role, world_once, client, stripe_settings, django_capture_on_commit_callbacks
):
    # stripe_settings: Stripe is configured (localstripe), so the payment page goes as far as it
    # does on the site (it would redirect to the transfer page otherwise).
    world = world_once
    # A 500 is reported with the other findings rather than stopping at the first one.
    client.raise_request_exception = False
    user = world.user(role)
    if user is not None:
        client.force_login(user)

    offences, errors = [], []
    for what, url in targets(world):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                with django_capture_on_commit_callbacks(execute=True):
                    response = client.get(url)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            detail = last_lines(response.exc_info) if response.exc_info else "(no exception)"
            errors.append(f"  {role} GET {url} ({what}): {response.status_code}\n      {detail}")
        for query in queries.captured_queries:
            write = writes(query["sql"])
            if write is not None and write[1] not in ALLOWED_TABLES:
                kind, table = write
                offences.append(f"  ({role}, {url}, {table}, {kind})  [{what}]")

    report = []
    if offences:
        unique = list(dict.fromkeys(offences))
        report.append(f"GET wrote ({len(unique)}): (role, URL, table, statement)")
        report += unique
    if errors:
        report.append(f"GET answered 500 ({len(errors)}):")
        report += errors
    assert not report, "\n".join(report)
