"""The conversation with Elasticsearch, over HTTP on 127.0.0.1: what the rebuild, the index
sync and a search send, and what they do with the answers.

No Elasticsearch server can run here, so this is the one stand-in of the suite, at that edge: a
small HTTP server that answers as Elasticsearch 9 does for the few calls we make, and records
them. tests/search/test_elastic_integration.py runs the same paths against a real server when
ELASTICSEARCH_URL is set."""

import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.factories.forms import BoardNeedFactory
from demo.factories.home import StandardPageFactory
from forms.models import BoardNeed
from search import elastic, indexing, service
from search.results import SearchQuery

pytestmark = pytest.mark.django_db

ALIAS = "ess-site-test"


class FakeElasticsearch:
    def __init__(self):
        self.requests = []  # (method, path, body)
        self.aliases = {}  # index name → alias
        self.indices = set()
        self.bulk_errors = False
        self.delay = 0
        self.count = 0
        self.queries = []  # the query string of each request
        self.search_response = {"hits": {"total": {"value": 0}, "hits": []}}

    def answer(self, method, path, body):
        path, _, query = path.partition("?")
        self.queries.append(query)
        self.requests.append((method, path, body))
        parts = [p for p in path.split("/") if p]
        if self.delay:
            time.sleep(self.delay)
        if parts[:1] == ["_alias"]:
            names = [i for i, a in self.aliases.items() if a == parts[1]]
            if not names:
                return 404, {"error": "alias missing", "status": 404}
            return 200, {name: {"aliases": {parts[1]: {}}} for name in names}
        if parts == ["_aliases"]:
            for action in body["actions"]:
                for verb, target in action.items():
                    if verb == "add":
                        self.aliases[target["index"]] = target["alias"]
                    else:
                        self.aliases.pop(target["index"], None)
            return 200, {"acknowledged": True}
        if parts == ["_bulk"]:
            lines = [json.loads(line) for line in body.splitlines() if line.strip()]
            actions = lines[::2]
            status = 400 if self.bulk_errors else 201
            items = [{"index": {"_id": a["index"]["_id"], "status": status}} for a in actions]
            return 200, {"took": 1, "errors": self.bulk_errors, "items": items}
        if len(parts) == 1 and method == "HEAD":
            return (200 if parts[0] in self.indices else 404), None
        if len(parts) == 1 and method == "PUT":
            self.indices.add(parts[0])
            return 200, {"acknowledged": True, "index": parts[0]}
        if len(parts) == 1 and method == "DELETE":
            self.indices.discard(parts[0])
            self.aliases.pop(parts[0], None)
            return 200, {"acknowledged": True}
        if parts[1:] == ["_refresh"]:
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if parts[1:] == ["_count"]:
            return 200, {"count": self.count}
        if parts[1:] == ["_search"]:
            return 200, self.search_response
        if parts[1:2] == ["_doc"]:
            if method == "DELETE":
                return 404, {"result": "not_found"}
            return 201, {"result": "created", "_id": parts[2]}
        return 400, {"error": f"unexpected {method} {path}"}


@pytest.fixture
def fake(settings):
    state = FakeElasticsearch()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            body = raw
            if raw and "ndjson" not in (self.headers.get("Content-Type") or ""):
                body = json.loads(raw)
            status, payload = state.answer(self.command, self.path, body)
            data = b"" if payload is None else json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test): nobody to answer

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _serve

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.ELASTICSEARCH_INDEX = ALIAS
    settings.ELASTICSEARCH_TIMEOUT = 2
    yield state
    server.shutdown()
    server.server_close()


def rebuild():
    out, err = io.StringIO(), io.StringIO()
    call_command("search_index", "rebuild", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_first_rebuild_creates_a_dated_index_fills_it_and_points_the_alias(fake, site_tree):
    need = BoardNeedFactory()
    BoardNeedFactory(status=BoardNeed.Status.CLOSED)
    out, err = rebuild()

    [(_, created_path, definition)] = [
        r for r in fake.requests if r[0] == "PUT" and r[1] != "/_bulk"
    ]
    name = created_path.strip("/")
    assert name.startswith(f"{ALIAS}-")
    analysis = definition["settings"]["analysis"]
    assert "french_text" in analysis["analyzer"]
    assert definition["mappings"]["properties"]["title"]["analyzer"] == "french_text"

    [bulk] = [r[2] for r in fake.requests if r[1] == "/_bulk"]
    lines = [json.loads(line) for line in bulk.splitlines()]
    ids = [line["index"]["_id"] for line in lines[::2]]
    assert {line["index"]["_index"] for line in lines[::2]} == {name}
    assert f"need-{need.pk}" in ids and f"page-{site_tree['about'].pk}" in ids
    assert len(ids) == indexing.count_documents()  # the closed need is not there

    aliases = [r[2] for r in fake.requests if r[1] == "/_aliases"]
    assert aliases == [{"actions": [{"add": {"index": name, "alias": ALIAS}}]}]
    assert fake.aliases == {name: ALIAS}
    # A progress bar on stderr, ending full.
    assert err.rstrip().endswith(f"] {len(ids)}/{len(ids)}") and "#" in err
    assert name in out


def test_a_rebuild_swaps_the_alias_in_one_request_then_deletes_the_old_index(fake, site_tree):
    fake.indices.add(f"{ALIAS}-old")
    fake.aliases[f"{ALIAS}-old"] = ALIAS
    rebuild()
    [new] = [r[1].strip("/") for r in fake.requests if r[0] == "PUT" and r[1] != "/_bulk"]
    [swap] = [r[2] for r in fake.requests if r[1] == "/_aliases"]
    assert swap == {
        "actions": [
            {"remove": {"index": f"{ALIAS}-old", "alias": ALIAS}},
            {"add": {"index": new, "alias": ALIAS}},
        ]
    }
    order = [(m, p) for m, p, _ in fake.requests]
    assert order.index(("DELETE", f"/{ALIAS}-old")) > order.index(("POST", "/_aliases"))
    assert fake.aliases == {new: ALIAS}


def test_what_changes_during_a_rebuild_is_synced_after_the_swap(fake, site_tree):
    """A need closed while the bulk runs was synced into the OLD index (through the alias):
    once the alias moved, the rebuild syncs it again, into the new one."""
    from search import elastic_rebuild

    need = BoardNeedFactory()

    def close_the_need_midway(done, total):
        if done == 1:
            need.status = BoardNeed.Status.CLOSED
            need.save()

    client = elastic_rebuild.admin_client()
    elastic_rebuild.rebuild(client, ALIAS, progress=close_the_need_midway)
    order = [(m, p) for m, p, _ in fake.requests]
    swap = order.index(("POST", "/_aliases"))
    assert ("DELETE", f"/{ALIAS}/_doc/need-{need.pk}") in order[swap:]


def test_a_failed_rebuild_leaves_the_alias_alone_and_drops_the_new_index(fake, site_tree):
    fake.indices.add(f"{ALIAS}-old")
    fake.aliases[f"{ALIAS}-old"] = ALIAS
    fake.bulk_errors = True
    with pytest.raises(CommandError):
        rebuild()
    assert [r for r in fake.requests if r[1] == "/_aliases"] == []
    assert fake.aliases == {f"{ALIAS}-old": ALIAS}
    assert fake.indices == {f"{ALIAS}-old"}


def test_status_names_the_index_behind_the_alias(fake, site_tree):
    fake.indices.add(f"{ALIAS}-20260101")
    fake.aliases[f"{ALIAS}-20260101"] = ALIAS
    fake.count = 7
    out = io.StringIO()
    call_command("search_index", "status", stdout=out)
    assert f"index « {ALIAS}-20260101 » : 7 documents" in out.getvalue()


def test_the_sync_indexes_an_open_need_and_removes_a_closed_one(fake, site_tree):
    need = BoardNeedFactory()
    indexing.sync_need(need.pk)
    method, path, body = fake.requests[-1]
    assert (method, path) == ("PUT", f"/{ALIAS}/_doc/need-{need.pk}")
    assert body == indexing.need_document(need)
    # Never into a concrete index created on the fly under the alias's name.
    assert "require_alias=true" in fake.queries[-1]

    BoardNeed.objects.filter(pk=need.pk).update(status=BoardNeed.Status.CLOSED)
    indexing.sync_need(need.pk)  # a 404 (never indexed) is not an error
    assert fake.requests[-1][:2] == ("DELETE", f"/{ALIAS}/_doc/need-{need.pk}")


def test_the_sync_removes_an_unpublished_page(fake, site_tree):
    page = StandardPageFactory(parent=site_tree["home"])
    indexing.sync_page(page.pk)
    assert fake.requests[-1][:2] == ("PUT", f"/{ALIAS}/_doc/page-{page.pk}")
    page.unpublish()
    indexing.sync_page(page.pk)
    assert fake.requests[-1][:2] == ("DELETE", f"/{ALIAS}/_doc/page-{page.pk}")


def test_a_search_sends_the_built_query_to_the_alias(fake):
    fake.search_response = {
        "hits": {
            "total": {"value": 1},
            "hits": [
                {"_score": 1.0, "_source": {"kind": "page", "title": "Adhérer", "url": "/a/"}}
            ],
        },
        "aggregations": {"kind": {"values": {"buckets": [{"key": "page", "doc_count": 1}]}}},
    }
    query = SearchQuery(text="adhésion", kind="page")
    results = service.run(query)
    assert results.backend == "elasticsearch" and results.degraded is False
    assert [hit.title for hit in results.hits] == ["Adhérer"]
    method, path, body = fake.requests[-1]
    assert path == f"/{ALIAS}/_search"
    assert body == elastic.build_query(query)


def test_a_server_slower_than_the_timeout_makes_the_database_answer(fake, settings, site_tree):
    settings.ELASTICSEARCH_TIMEOUT = 0.2
    fake.delay = 1
    results = service.run(SearchQuery(text="association"))
    assert results.degraded is True and results.backend == "database"
    # One attempt only: no retry after the timeout.
    assert len([r for r in fake.requests if r[1].endswith("/_search")]) == 1


def test_a_restriction_removes_the_page_and_those_below(fake, site_tree):
    from wagtail.models import PageViewRestriction

    about = site_tree["about"]
    child = StandardPageFactory(parent=about)
    PageViewRestriction.objects.create(page=about, restriction_type="login")
    indexing.sync_subtree(about.pk)
    sent = [(m, p) for m, p, _ in fake.requests]
    assert ("DELETE", f"/{ALIAS}/_doc/page-{about.pk}") in sent
    assert ("DELETE", f"/{ALIAS}/_doc/page-{child.pk}") in sent
