import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses database access
# from such a thread unless told it is safe (it is: the tests are single-threaded).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
