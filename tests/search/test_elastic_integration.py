"""Against a real Elasticsearch: runs whenever the environment sets ELASTICSEARCH_URL (CI or a
developer's machine), deselected otherwise. Each run works under its own alias and deletes its
indices at the end, so it never touches the site's index."""

import os
import uuid

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from demo.factories.forms import BoardNeedFactory
from demo.factories.home import StandardPageFactory
from forms.models import BoardNeed
from search import elastic_rebuild, service
from search.results import SearchQuery

URL = os.environ.get("ELASTICSEARCH_URL", "")

# Deselected when ELASTICSEARCH_URL is not set (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


@pytest.fixture
def es(settings):
    settings.ELASTICSEARCH_URL = URL
    settings.ELASTICSEARCH_INDEX = f"test-ess-site-{uuid.uuid4().hex[:8]}"
    settings.ELASTICSEARCH_TIMEOUT = 10
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = elastic_rebuild.admin_client()
    yield client
    for name in elastic_rebuild.indices_of(client, settings.ELASTICSEARCH_INDEX):
        client.options(ignore_status=404).indices.delete(index=name)


def titles(text, **filters):
    results = service.run(SearchQuery(text=text, **filters))
    assert results.backend == "elasticsearch" and not results.degraded
    return [hit.title for hit in results.hits]


@pytest.fixture
def content(site_tree):
    gouvernance = StandardPageFactory(
        parent=site_tree["home"],
        title="Le bénévolat de gouvernance",
        introduction="Devenir administrateur d’une association du réseau.",
    )
    secret = StandardPageFactory(parent=site_tree["home"], title="Réservé aux adhérents zephyr")
    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    need = BoardNeedFactory(departement="44", description="Nous cherchons un trésorier.")
    closed = BoardNeedFactory(
        status=BoardNeed.Status.CLOSED, description="Un besoin fermé, mot quetzal."
    )
    return {"gouvernance": gouvernance, "secret": secret, "need": need, "closed": closed}


def test_the_analyser_on_the_server_folds_plurals_accents_and_elisions(es, settings, content):
    call_command("search_index", "rebuild")
    [name] = elastic_rebuild.indices_of(es, settings.ELASTICSEARCH_INDEX)

    def tokens(text):
        body = es.indices.analyze(index=name, analyzer="french_text", text=text).body
        return [token["token"] for token in body["tokens"]]

    assert tokens("L’associations") == tokens("association")
    assert tokens("trésoriers") == tokens("tresorier")


def test_rebuild_then_french_search_with_facets(es, settings, content):
    call_command("search_index", "rebuild")
    assert "L'association" in titles("associations")
    assert "Le bénévolat de gouvernance" in titles("benevolat")
    assert str(content["need"]) in titles("tresorier")
    assert str(content["need"]) in titles("trésoriers", kind="need", territory="44")
    assert titles("zephyr") == [] and titles("quetzal") == []  # private page, closed need
    results = service.run(SearchQuery(text="association"))
    kinds = {facet.value: facet.count for facet in results.facets["kind"]}
    assert kinds.get("page", 0) >= 2


def test_a_second_rebuild_moves_the_alias_and_deletes_the_old_index(es, settings, content):
    alias = settings.ELASTICSEARCH_INDEX
    call_command("search_index", "rebuild")
    [first] = elastic_rebuild.indices_of(es, alias)
    call_command("search_index", "rebuild")
    [second] = elastic_rebuild.indices_of(es, alias)
    assert second != first
    assert not es.indices.exists(index=first)


def test_publish_and_unpublish_keep_the_index_in_step(
    es, settings, content, django_capture_on_commit_callbacks
):
    call_command("search_index", "rebuild")
    page = content["gouvernance"]
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    es.indices.refresh(index=settings.ELASTICSEARCH_INDEX)
    assert "Le bénévolat de gouvernance" not in titles("gouvernance")
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    es.indices.refresh(index=settings.ELASTICSEARCH_INDEX)
    assert "Le bénévolat de gouvernance" in titles("gouvernance")

    need = content["need"]
    with django_capture_on_commit_callbacks(execute=True):
        need.status = BoardNeed.Status.CLOSED
        need.save()
    es.indices.refresh(index=settings.ELASTICSEARCH_INDEX)
    assert str(need) not in titles("tresorier")
