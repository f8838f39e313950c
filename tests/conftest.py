import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses database access
# from such a thread unless told it is safe (it is: the tests are single-threaded).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` (row locks, concurrency) run only on PostgreSQL: elsewhere they
    are deselected, not skipped, since SQLite cannot run them at all."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture
def site_tree(db):
    from tests.factories import build_site

    return build_site()


@pytest.fixture
def demo_site(db):
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    from home.models import HomePage

    return HomePage.objects.get()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (menus, page cache, renditions)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def _migrated_data(django_db_setup, django_db_blocker):
    """What the migrations put in the test database (Wagtail's root page and collection, groups,
    locale), captured once so that transactional tests can start from it again."""
    from django.db import connections

    with django_db_blocker.unblock():
        return connections["default"].creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _restore_migrated_data(request):
    """Transactional tests (the live server of the browser tests) flush the database when they
    end. Django can restore it (serialized rollback), but Playwright runs tests in a greenlet
    whose context holds another database connection object, without the serialized copy; so
    the copy is reloaded here, on whatever connection the test uses."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
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
