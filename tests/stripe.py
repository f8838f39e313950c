"""Helpers for tests that talk to localstripe (started by the `stripe_server` fixture)."""

import hashlib
import hmac
import json
import time

import requests

from members.models import Membership, Payment, Receipt

TEST_SECRET_KEY = "sk_test_localstripe"
TEST_PUBLISHABLE_KEY = "pk_test_localstripe"
TEST_WEBHOOK_SECRET = "whsec_test_localstripe"


def register_webhook(base_url, url, events=None):
    """Have localstripe send its signed events to `url` (one registration at a time)."""
    data = {"url": url, "secret": TEST_WEBHOOK_SECRET}
    if events:
        data["events"] = events
    response = requests.post(
        f"{base_url}/_config/webhooks/tests",
        json=data,
        headers={"Authorization": f"Bearer {TEST_SECRET_KEY}"},
        timeout=5,
    )
    response.raise_for_status()


def signed_event(event_type, obj, *, event_id=None, secret=TEST_WEBHOOK_SECRET, timestamp=None):
    """A webhook body and its Stripe-Signature header, signed the way Stripe signs them
    (HMAC-SHA256 of « timestamp.payload »)."""
    timestamp = int(timestamp or time.time())
    payload = json.dumps(
        {
            "id": event_id or f"evt_test_{time.time_ns()}",
            "object": "event",
            "type": event_type,
            "created": timestamp,
            "data": {"object": obj},
        }
    ).encode()
    signature = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return payload, f"t={timestamp},v1={signature}"


def pay_intent(client, intent_id, card="4242424242424242"):
    """Pay a PaymentIntent the site created, server-side as Stripe.js would in the browser:
    attach a test card, then confirm (localstripe refuses confirm(payment_method=…))."""
    method = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": card, "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }
    )
    client.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
    return client.v1.payment_intents.confirm(intent_id)


WEBHOOK = "/stripe/webhook/"


def deliver(client, event_type, obj, event_id=None, **kwargs):
    """POST a signed event to the site's webhook, as Stripe would."""
    payload, signature = signed_event(event_type, obj, event_id=event_id, **kwargs)
    return client.post(
        WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


def assert_still_unpaid(membership, payment):
    """What an event that is not ours (or not right) leaves: nothing paid, no receipt."""
    membership.refresh_from_db()
    payment.refresh_from_db()
    assert membership.status == Membership.Status.PENDING
    assert payment.status == Payment.Status.PENDING
    assert not Receipt.objects.filter(payment=payment).exists()
