"""Elasticsearch down: the database answers, quickly (short timeout, no retry), and says so.
Keeping the index in step: signals enqueue a task after the commit, only when Elasticsearch is
configured, and a failing server never breaks an editor's request.

No Elasticsearch server runs here: « down » is a closed port of 127.0.0.1 (nothing listens)."""

import logging
import socket

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from demo.factories.forms import BoardNeedFactory
from demo.factories.home import StandardPageFactory
from forms.models import BoardNeed
from search import elastic, service
from search.results import SearchQuery

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port():
    """A port of 127.0.0.1 that nobody listens on: taken from the system, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def elasticsearch_down(settings, closed_port):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"
    settings.ELASTICSEARCH_INDEX = "ess-site-test"
    settings.ELASTICSEARCH_TIMEOUT = 1.5
    return settings.ELASTICSEARCH_URL


@pytest.fixture
def volunteering_page(site_tree):
    return StandardPageFactory(
        parent=site_tree["home"],
        title="Le bénévolat de gouvernance",
        slug="gouvernance",
        introduction="Devenir administrateur bénévole d’une association.",
    )


def test_the_client_has_the_configured_short_timeout_and_never_retries(elasticsearch_down):
    assert elastic.client_options() == {
        "hosts": [elasticsearch_down],
        "request_timeout": 1.5,
        "max_retries": 0,
        "retry_on_timeout": False,
    }
    client = elastic.get_client()
    # What each request uses (the client keeps them apart from its transport's defaults).
    assert client._request_timeout == 1.5
    assert client._max_retries == 0
    assert client._retry_on_timeout is False
    assert [node.base_url for node in client.transport.node_pool.all()] == [elasticsearch_down]


def test_with_elasticsearch_down_the_database_answers_and_a_warning_is_logged(
    elasticsearch_down, volunteering_page, caplog
):
    with caplog.at_level(logging.WARNING, logger="search.service"):
        results = service.run(SearchQuery(text="benevolat"))
    assert results.degraded is True
    assert results.backend == "database"
    assert "Le bénévolat de gouvernance" in [hit.title for hit in results.hits]
    warnings = [r for r in caplog.records if r.name == "search.service"]
    assert warnings and warnings[0].levelno == logging.WARNING
    assert "database answers" in warnings[0].getMessage()


def test_with_elasticsearch_down_the_search_page_shows_the_databases_results(
    elasticsearch_down, volunteering_page, client
):
    response = client.get(reverse("search:results"), {"q": "benevolat"})
    assert response.status_code == 200
    assert "Le bénévolat de gouvernance" in response.content.decode()


def test_without_elasticsearch_url_the_database_answers_undegraded(settings, volunteering_page):
    settings.ELASTICSEARCH_URL = ""
    results = service.run(SearchQuery(text="benevolat"))
    assert results.degraded is False and results.backend == "database"
    assert "Le bénévolat de gouvernance" in [hit.title for hit in results.hits]


# --- Keeping the index in step -----------------------------------------------------------------


@pytest.fixture
def queued(settings):
    """Tasks are only recorded (django-tasks' dummy backend). The signals are not connected
    here: SearchConfig.ready wired them at start-up, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    return default_task_backend.results


def calls(results):
    """Our tasks only (Wagtail enqueues its own, for its search and reference indexes)."""
    return [
        (result.task.name, list(result.args))
        for result in results
        if result.task.module_path.startswith("search.tasks.")
    ]


def test_without_elasticsearch_url_the_signals_enqueue_nothing(
    settings, site_tree, queued, django_capture_on_commit_callbacks
):
    settings.ELASTICSEARCH_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        page = StandardPageFactory(parent=site_tree["home"])
        page.save_revision().publish()
        page.unpublish()
        need = BoardNeedFactory()
        need.status = BoardNeed.Status.CLOSED
        need.save()
        need.delete()
        page.delete()
    assert calls(queued) == []


def test_publish_unpublish_and_delete_enqueue_the_pages_sync_after_the_commit(
    elasticsearch_down, site_tree, queued, django_capture_on_commit_callbacks
):
    page = StandardPageFactory(parent=site_tree["home"])
    pk = page.pk
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page.save_revision().publish()
    assert calls(queued) == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert ("sync_page_task", [pk]) in calls(queued)

    for action in (page.unpublish, page.delete):
        queued.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        assert ("sync_page_task", [pk]) in calls(queued)


def test_a_view_restriction_enqueues_the_sync_of_the_page_and_those_below(
    elasticsearch_down, site_tree, queued, django_capture_on_commit_callbacks
):
    about = site_tree["about"]
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(page=about, restriction_type="login")
    assert calls(queued) == [("sync_subtree_task", [about.pk])]
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert calls(queued) == [("sync_subtree_task", [about.pk])]


def test_moving_a_page_enqueues_the_sync_of_its_subtree(
    elasticsearch_down, site_tree, queued, django_capture_on_commit_callbacks
):
    about = site_tree["about"]
    with django_capture_on_commit_callbacks(execute=True):
        about.move(site_tree["news_index"], pos="last-child")
    assert ("sync_subtree_task", [about.pk]) in calls(queued)


def test_saving_closing_and_deleting_a_need_enqueue_its_sync(
    elasticsearch_down, site_tree, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        need = BoardNeedFactory()
    pk = need.pk
    assert ("sync_need_task", [pk]) in calls(queued)
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        need.status = BoardNeed.Status.CLOSED
        need.save()
    assert calls(queued) == [("sync_need_task", [pk])]
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        need.delete()
    assert calls(queued) == [("sync_need_task", [pk])]


def test_erasing_an_organisation_enqueues_the_sync_of_its_needs(
    elasticsearch_down, site_tree, queued, django_capture_on_commit_callbacks
):
    need = BoardNeedFactory()
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        need.organisation.save()
    assert calls(queued) == [("sync_need_task", [need.pk])]


def test_a_failing_server_never_breaks_the_editors_publish(
    elasticsearch_down, settings, site_tree, django_capture_on_commit_callbacks, caplog
):
    """The task runs at once (the immediate backend) against the closed port: it fails,
    logs a warning, and the page is published all the same."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page = StandardPageFactory(parent=site_tree["home"], live=False)
    with caplog.at_level(logging.WARNING, logger="search.tasks"):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
    page.refresh_from_db()
    assert page.live
    failures = [r for r in caplog.records if r.name == "search.tasks"]
    assert failures and "sync_page" in failures[0].getMessage()


def test_the_index_command_needs_elasticsearch_and_says_so_when_it_is_down(
    settings, elasticsearch_down, site_tree
):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ne répond pas"):
        call_command("search_index", "rebuild")
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        call_command("search_index", "status")


def test_deleting_a_section_enqueues_the_sync_of_each_indexed_page_below(
    elasticsearch_down, site_tree, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        site_tree["news_index"].delete()
    synced = {args[0] for name, args in calls(queued) if name == "sync_page_task"}
    assert {news.pk for news in site_tree["news"]} <= synced
