"""What the gateway sends Stripe and what it says when Stripe refuses.

The PaymentIntent names the membership, its organisation, year and transfer reference (staff
search the Stripe Dashboard by them); a double click or a retry reuses one idempotency key, so
Stripe makes one intent and one refund; the site talks to api.stripe.com unless told otherwise,
and retries as often as the settings say. An intent nobody has paid yet can be cancelled in each
of Stripe's « not paid » states; a paid one cannot, and the error says why. Every refusal is
logged with what was asked and Stripe's own reason.

Real SDK calls over HTTP on 127.0.0.1: to localstripe, through a small recording relay where a
test must see the requests (localstripe ignores idempotency keys) or make Stripe refuse.
"""

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from demo.factories.members import OrganisationFactory, grid_2027
from members import stripe_gateway
from members.models import Payment
from members.services import create_payment, start_membership, withdraw_payment
from tests import stripe as stripe_helpers

pytestmark = pytest.mark.django_db

REFUSAL = "Refusé pour le test"


class _Relay(BaseHTTPRequestHandler):
    """Records each request, answers « unavailable » or « refused » when told to, else passes
    it on to localstripe."""

    def _relay(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server.requests.append((self.command, self.path, dict(self.headers)))
        if server.unavailable > 0:
            server.unavailable -= 1
            return self._answer(503, {"error": {"type": "api_error", "message": "indisponible"}},
                                {"Stripe-Should-Retry": "true"})  # fmt: skip
        if any(
            self.command == method and self.path.startswith(prefix)
            for method, prefix in server.refused
        ):
            error = {"type": "invalid_request_error", "message": REFUSAL}
            return self._answer(400, {"error": error}, {"Stripe-Should-Retry": "false"})
        kept = ("Authorization", "Content-Type", "Stripe-Version", "Idempotency-Key")
        upstream = requests.request(
            self.command, server.upstream + self.path, data=body, timeout=10,
            headers={name: self.headers[name] for name in kept if name in self.headers},
        )  # fmt: skip
        self._answer(upstream.status_code, upstream.json(), {})

    def _answer(self, status, payload, headers):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = _relay

    def log_message(self, *args):
        pass


@pytest.fixture
def relay(stripe_settings, stripe_server):
    """The site talks to localstripe through the relay."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Relay)
    server.upstream = stripe_server
    server.requests = []
    server.unavailable = 0
    server.refused = set()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stripe_settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def payment():
    return create_payment(start_membership(OrganisationFactory(employees=3), grid_2027()), "card")


# --- What the intent carries ---------------------------------------------------------------------


def test_the_intent_names_the_membership_its_organisation_year_and_reference(
    stripe_settings, payment
):
    intent = stripe_gateway.create_payment_intent(payment)

    membership = payment.membership
    assert intent.metadata.to_dict() == {
        "payment_id": str(payment.pk),
        "membership_id": str(membership.pk),
        "organisation_id": str(membership.organisation_id),
        "year": "2027",
        "reference": payment.reference,
    }


def test_a_repeated_intent_or_refund_carries_the_same_idempotency_key(relay, payment):
    """Stripe makes one intent per key, and one refund: a double click pays once."""
    intent = stripe_gateway.create_payment_intent(payment)
    stripe_gateway.create_payment_intent(payment)
    stripe_helpers.pay_intent(stripe_gateway.client(), intent.id)
    payment.stripe_payment_intent_id = intent.id
    stripe_gateway.refund(payment)

    keys = [
        (path, headers.get("Idempotency-Key"))
        for method, path, headers in relay.requests
        if method == "POST" and path in ("/v1/payment_intents", "/v1/refunds")
    ]
    assert keys == [
        ("/v1/payment_intents", f"membership-payment-{payment.pk}"),
        ("/v1/payment_intents", f"membership-payment-{payment.pk}"),
        ("/v1/refunds", f"membership-refund-{payment.pk}"),
    ]


# --- Where and how often the site calls Stripe ----------------------------------------------------


def test_without_an_api_base_the_site_talks_to_api_stripe_com(settings, monkeypatch):
    """In production STRIPE_API_BASE is empty: requests go to Stripe itself. A local proxy
    stands between (no network here): it sees where the SDK wanted to go, and refuses."""
    seen = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def proxy():
        connection, _ = listener.accept()
        with connection:
            seen.append(connection.recv(4096).decode("latin-1").split("\r\n")[0])
            connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=proxy, daemon=True)
    thread.start()
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{listener.getsockname()[1]}")
    settings.STRIPE_SECRET_KEY = "sk_test_production_like"
    settings.STRIPE_API_BASE = ""
    settings.STRIPE_MAX_NETWORK_RETRIES = 0

    with pytest.raises(stripe_gateway.StripeUnavailable):
        stripe_gateway.retrieve_payment_intent("pi_quelconque")

    thread.join(timeout=5)
    listener.close()
    assert seen and seen[0].startswith("CONNECT api.stripe.com:443 ")


@pytest.mark.parametrize("retries", [0, 1])
def test_stripe_is_asked_again_as_often_as_the_settings_say(relay, settings, retries):
    """Stripe says « try again » once: with no retry allowed the member is told at once, with
    one the second request succeeds."""
    intent = stripe_gateway.client().v1.payment_intents.create(
        params={"amount": 5000, "currency": "eur", "payment_method_types": ["card"]}
    )
    relay.requests.clear()
    relay.unavailable = 1
    settings.STRIPE_MAX_NETWORK_RETRIES = retries

    if retries == 0:
        with pytest.raises(stripe_gateway.StripeUnavailable):
            stripe_gateway.retrieve_payment_intent(intent.id)
    else:
        assert stripe_gateway.retrieve_payment_intent(intent.id).id == intent.id
    assert len(relay.requests) == retries + 1


# --- Refusals: what is logged and raised ----------------------------------------------------------


def _create(payment):
    return stripe_gateway.create_payment_intent(payment)


def _retrieve(payment):
    return stripe_gateway.retrieve_payment_intent("pi_inconnu")


def _charge(payment):
    return stripe_gateway.retrieve_charge("ch_inconnu")


def _refund(payment):
    payment.stripe_payment_intent_id = "pi_inconnu"
    return stripe_gateway.refund(payment)


def _cancel(payment):
    intent = stripe_gateway.create_payment_intent(payment)
    return stripe_gateway.cancel_payment_intent(intent.id)


@pytest.mark.parametrize(
    "call, refused, what",
    [
        (_create, ("POST", "/v1/payment_intents"), "PaymentIntent create"),
        (_retrieve, ("GET", "/v1/payment_intents/"), "PaymentIntent retrieve"),
        (_charge, ("GET", "/v1/charges/"), "Charge retrieve"),
        (_refund, ("POST", "/v1/refunds"), "Refund create"),
        (_cancel, ("POST", "/v1/payment_intents/pi_"), "PaymentIntent cancel"),
    ],
    ids=["create", "retrieve", "charge", "refund", "cancel"],
)
def test_a_refusal_is_logged_with_what_was_asked_and_stripes_reason(
    relay, payment, caplog, call, refused, what
):
    relay.refused.add(refused)

    with caplog.at_level(logging.WARNING, logger="members.stripe_gateway"):
        with pytest.raises(stripe_gateway.StripeUnavailable) as raised:
            call(payment)

    assert str(raised.value) == REFUSAL  # Stripe's reason travels with the error
    assert [r.getMessage() for r in caplog.records if r.name == "members.stripe_gateway"] == [
        f"Stripe: {what} failed: {REFUSAL}"
    ]


# --- Cancelling an intent nobody paid -------------------------------------------------------------


def _attach_card(intent_id, number):
    client = stripe_gateway.client()
    method = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }
    )
    client.v1.payment_intents.update(intent_id, params={"payment_method": method.id})


def _already_canceled(intent_id):
    stripe_gateway.client().v1.payment_intents.cancel(intent_id)


def _card_entered_not_confirmed(intent_id):
    _attach_card(intent_id, "4242424242424242")


def _waiting_for_3d_secure(intent_id):
    _attach_card(intent_id, "4000002760003184")  # a card whose bank asks for 3-D Secure
    stripe_gateway.client().v1.payment_intents.confirm(intent_id)


@pytest.mark.parametrize(
    "state, status",
    [
        (_already_canceled, "canceled"),
        (_card_entered_not_confirmed, "requires_confirmation"),
        (_waiting_for_3d_secure, "requires_action"),
    ],
    ids=["already-canceled", "requires-confirmation", "requires-action"],
)
def test_a_member_who_changes_method_withdraws_an_unpaid_card_attempt(
    stripe_settings, payment, state, status
):
    intent = stripe_gateway.create_payment_intent(payment)
    state(intent.id)
    assert stripe_gateway.retrieve_payment_intent(intent.id).status == status
    payment.stripe_payment_intent_id = intent.id

    assert withdraw_payment(payment) is True

    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED
    assert stripe_gateway.retrieve_payment_intent(intent.id).status == "canceled"


def test_a_paid_intent_is_not_cancelled_and_the_error_says_its_status(stripe_settings, payment):
    intent = stripe_gateway.create_payment_intent(payment)
    stripe_helpers.pay_intent(stripe_gateway.client(), intent.id)

    with pytest.raises(stripe_gateway.StripeUnavailable) as raised:
        stripe_gateway.cancel_payment_intent(intent.id)

    assert str(raised.value) == f"PaymentIntent {intent.id} is succeeded"
    assert stripe_gateway.retrieve_payment_intent(intent.id).status == "succeeded"
