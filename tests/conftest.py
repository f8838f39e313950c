import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses database access
# from such a thread unless told it is safe (it is: the tests are single-threaded).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` (row locks, concurrency) run only on PostgreSQL, those marked
    `sqlite` (its FTS5 search) only on SQLite, and tests
    marked `elasticsearch` only when ELASTICSEARCH_URL names a server: elsewhere they are
    deselected, not skipped, since they cannot run at all."""
    from django.conf import settings

    absent = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        absent.append("postgresql")
    else:
        absent.append("sqlite")
    if not os.environ.get("ELASTICSEARCH_URL"):
        absent.append("elasticsearch")
    kept = [item for item in items if not any(item.get_closest_marker(name) for name in absent)]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture
def site_tree(db):
    from demo.factories.home import build_site

    return build_site()


@pytest.fixture
def demo_site(db):
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    from home.models import HomePage

    return HomePage.objects.get()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request under /en/ leaves English active in
    the thread, which would otherwise leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (menus, page cache, renditions) and no rate-limit
    counter left by another test."""
    from django.core.cache import caches

    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    yield
    for alias in ("default", "ratelimit"):
        caches[alias].clear()


# `make mutate` runs a few tests for each of hundreds of mutants, each time in a new pytest
# session: migrating the test database (about 20 s) every time would cost hours. There, each
# session starts from its own copy of one database the Makefile migrated beforehand (same
# migrations, same settings), and the copy is deleted at the end.
MUTATION_TEMPLATE_DB = os.environ.get("MUTATION_TEMPLATE_DB")

if MUTATION_TEMPLATE_DB:

    @pytest.fixture(scope="session")
    def django_db_setup(django_db_blocker):
        import shutil
        import tempfile
        from pathlib import Path

        from django.db import connections

        copy = Path(tempfile.gettempdir()) / f"mutation-{os.getpid()}.sqlite3"
        shutil.copyfile(MUTATION_TEMPLATE_DB, copy)
        connection = connections["default"]
        assert connection.vendor == "sqlite", "make mutate runs on SQLite"
        connection.close()
        connection.settings_dict["NAME"] = str(copy)
        yield
        connection.close()
        copy.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def _migrated_data(django_db_setup, django_db_blocker):
    """What the migrations put in the test database (Wagtail's root page and collection, groups,
    locale), captured once so that transactional tests can start from it again."""
    from django.db import connections

    connection = connections["default"]
    with django_db_blocker.unblock():
        # A run of tests that need no database (tests/test_translations.py alone) has no test
        # database: nothing to capture, and the development database must not be read.
        name = str(connection.settings_dict["NAME"])
        if "memory" not in name and not name.startswith("test_") and not MUTATION_TEMPLATE_DB:
            return ""
        return connection.creation.serialize_db_to_string()


@pytest.fixture(scope="session", autouse=True)
def _capture_migrated_data_first(_migrated_data):
    """Take the copy before any test runs: a transactional test flushes the database when it
    ends, and a copy taken after that would be empty."""


@pytest.fixture(autouse=True)
def _restore_migrated_data(request):
    """Transactional tests (the live server of the browser tests) flush the database when they
    end. Django can restore it (serialized rollback), but Playwright runs tests in a greenlet
    whose context holds another database connection object, without the serialized copy; so
    the copy is reloaded here, on whatever connection the test uses."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if not transactional and not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    data = request.getfixturevalue("_migrated_data")
    request.getfixturevalue("transactional_db")
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connections

    # Start from the exact migrated state: empty every table (without the post-migrate rebuild of
    # content types, which would clash with the copy's), then reload the copy.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection = connections["default"]
    connection.creation.deserialize_db_from_string(data)
    # The rows come back with their ids: move PostgreSQL's sequences past them, as loaddata does.
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def stripe_server():
    """localstripe on a free port of 127.0.0.1, for the whole session; yields its base URL."""
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = Path(__file__).parent / "stripe_server.py"
    process = subprocess.Popen([sys.executable, str(script), str(port)])
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("localstripe did not start") from None
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_settings(settings, stripe_server):
    """The site talks to localstripe with fixed test keys."""
    from tests import stripe as stripe_helpers

    settings.STRIPE_SECRET_KEY = stripe_helpers.TEST_SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = stripe_helpers.TEST_PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = stripe_helpers.TEST_WEBHOOK_SECRET
    settings.STRIPE_API_BASE = stripe_server
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    return settings


@pytest.fixture
def stripe_down(settings):
    """Stripe configured, but nothing listens where it should be: a closed local port."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.STRIPE_SECRET_KEY = "sk_test_unreachable"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_unreachable"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_unreachable"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{port}"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    return settings


# --- The staff second factor (home/staff_otp/) ---------------------------------------------------
#
# The admin asks staff for a TOTP code after their password. Most tests are about something else
# and start once that code was typed: `client.force_login` below logs users who may enter the
# admin in as verified, with the authenticator they set up earlier (a confirmed device), the way
# django_otp.login marks the session. Tests of the second factor itself are marked `two_factor`
# and get the bare login.
# Browser tests sign in for real: they type a code from fresh_totp_code() (tests/e2e/conftest.py).

TOTP_DEVICE_NAME = "Application d’authentification"


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "two_factor: a test of the staff second factor itself: client.force_login leaves the "
        "session without a verified device",
    )


def enrolled_totp_device(user):
    """The user's authenticator app, as if they had enrolled before the test."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)


def totp_code(device, at=None):
    """The code the app shows at `at` (a Unix time; now by default): RFC 6238, computed by
    django-otp's own implementation from the device's key."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{device.digits}d}"


def fresh_totp_code(device):
    """A code the device has not accepted yet. Each period's code is accepted once (no
    replay): after a code of this period, this gives the next period's, which the device
    accepts too (it allows one period of clock difference), or waits for a new period."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while True:
        now = time.time()
        totp.time = now
        wanted = max(totp.t(), device.last_t + 1)
        if wanted <= totp.t() + device.tolerance:
            totp.time = now + (wanted - totp.t()) * device.step
            return f"{totp.token():0{device.digits}d}"
        time.sleep(0.5)


@pytest.fixture(autouse=True)
def _logged_in_staff_passed_the_second_factor(request, monkeypatch):
    if request.node.get_closest_marker("two_factor"):
        return
    from django.test import Client

    force_login = Client.force_login

    def force_login_verified(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY

        from home.staff_otp.policy import may_use_second_factor

        force_login(self, user, backend)
        # Only those who may enter the admin have a device, as on the site: a member's session
        # stays as it is (django_otp would otherwise read a device on each of their pages). Asked
        # of a fresh copy, so that the test's object keeps no permission cache.
        if not may_use_second_factor(type(user).objects.get(pk=user.pk)):
            return
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = enrolled_totp_device(user).persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login_verified)
