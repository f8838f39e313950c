"""Fixtures of the access tests: the world they start from (tests/access/world.py)."""

import pytest


@pytest.fixture
def world(site_tree):
    """The world, built for this test in its transaction."""
    from .world import build_world

    return build_world(site_tree)


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """The world, built once for the whole module and rolled back after its last test.

    Each test still runs in its own savepoint (pytest-django's `db`, nested in the world's
    transaction): whatever a test writes is undone before the next, which finds the world as
    built. For tests marked `django_db` without `transaction=True` only: a transactional test
    would commit and flush around it."""
    from django.db import transaction

    from .world import build_world

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        with django_db_blocker.unblock():
            world = build_world()
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
