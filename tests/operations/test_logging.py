"""Every response and every log line of a request carry one request id; production writes each
line as a JSON object; errors reach Sentry when SENTRY_DSN is set, without personal data."""

import gzip
import io
import json
import logging
import logging.config
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from operations.observability import logging_config

pytestmark = pytest.mark.django_db


def test_each_response_has_a_request_id_and_a_proxy_one_is_kept(client, site_tree):
    first = client.get("/association/")["X-Request-ID"]
    second = client.get("/association/")["X-Request-ID"]
    assert len(first) == 32 and first != second
    given = "caddy-0f1e2d3c4b5a"
    assert client.get("/", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    # Not an id: replaced rather than written into the logs as it came.
    forged = client.get("/", HTTP_X_REQUEST_ID="x\nforged line")["X-Request-ID"]
    assert forged != "x\nforged line" and len(forged) == 32
    trailing = client.get("/", HTTP_X_REQUEST_ID="abcdefgh\n")["X-Request-ID"]
    assert trailing != "abcdefgh\n" and len(trailing) == 32


@pytest.fixture
def json_log():
    """The production logging configuration, writing to a buffer."""
    stream = io.StringIO()
    config = logging_config("json", "INFO")
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    yield stream
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


def test_production_logs_are_json_lines_with_the_request_id(client, site_tree, json_log):
    response = client.get("/cette-page-n-existe-pas/", HTTP_X_REQUEST_ID="req-1234567890")
    assert response.status_code == 404
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found, lines
    assert not_found[0]["request_id"] == "req-1234567890"
    assert not_found[0]["level"] == "WARNING"
    assert not_found[0]["status_code"] == 404
    assert "request" not in not_found[0]  # the request object itself is not dumped
    assert "Not Found" in not_found[0]["message"]
    logging.getLogger("ess.test").info("hors requête")
    outside = json.loads(json_log.getvalue().splitlines()[-1])
    assert outside["request_id"] == "-" and outside["message"] == "hors requête"


class _SentryInbox(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_inbox():
    """A local stand-in for Sentry's ingestion endpoint on 127.0.0.1: it stores the envelopes."""
    server = HTTPServer(("127.0.0.1", 0), _SentryInbox)
    _SentryInbox.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _SentryInbox.received
    server.shutdown()
    import sentry_sdk

    sentry_sdk.init(dsn=None)  # the SDK off again for the other tests


def test_errors_reach_sentry_without_personal_data(rf, sentry_inbox, monkeypatch):
    import sentry_sdk
    from django.core.handlers.wsgi import WSGIHandler

    from operations.observability import configure_sentry

    port, received = sentry_inbox
    configure_sentry(f"http://publickey@127.0.0.1:{port}/1", environment="test")

    def bug():
        raise RuntimeError("échec de test pour Sentry")

    monkeypatch.setattr("operations.health.check_database", bug)
    # Built at run time: the event carries this file's source lines as context, and a literal
    # would be found there.
    cookie, email = "-".join(["secret", "session", "4711"]), "@".join(["jeanne", "example.org"])
    # Through the WSGI handler, as gunicorn calls it (Sentry hooks in there, not in the test
    # client), from a client address of 10.1.2.3.
    environ = rf.get(
        f"/health/?email={email}",
        HTTP_USER_AGENT="test-agent",
        HTTP_COOKIE=f"sessionid={cookie}",
        REMOTE_ADDR=".".join(["10", "1", "2", "3"]),
    ).environ
    statuses = []
    WSGIHandler()(environ, lambda status, headers, *args: statuses.append(status))
    assert statuses == ["500 Internal Server Error"]
    sentry_sdk.flush(timeout=5)
    assert received, "no envelope reached the local Sentry"
    envelope = b"\n".join(received).decode()
    event = json.loads(envelope.split("\n")[2])  # after the envelope's and the item's headers
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["environment"] == "test"
    assert event["request"]["url"].endswith("/health/")
    assert event["request"]["headers"]["User-Agent"] == "test-agent"  # an allowed header
    text = json.dumps(event)
    for personal in ("10.1.2.3", cookie, email):
        assert personal not in text, personal


def test_what_goes_to_sentry_is_scrubbed():
    from operations.observability import _before_send, scrub

    assert scrub("Key (email)=(jeanne@asso.example.org) already exists.") == (
        "Key (email)=([e-mail]) already exists."
    )
    assert scrub("/espace-membre/reinitialiser/MTI/cjx4ab-0f1e2d3c4b5a69788796a5b4/") == (
        "/espace-membre/reinitialiser/MTI/[jeton]/"
    )
    assert scrub("/adherer/bulletin/") == "/adherer/bulletin/"
    event = {
        "exception": {"values": [{"type": "IntegrityError", "value": "Key (email)=(a@b.fr)"}]},
        "logentry": {"message": "Outbox: mail to %s", "params": ["a@b.fr"]},
        "request": {"url": "https://site.example.org/invitation/" + "k" * 32 + "/"},
        "server_name": "web1.internal",
    }
    sent = _before_send(event, {})
    text = json.dumps(sent)
    assert "a@b.fr" not in text and "k" * 32 not in text and "web1.internal" not in text
