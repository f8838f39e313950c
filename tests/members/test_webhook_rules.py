"""The webhook's money rules, each with a test that fails when the rule is removed; and the
webhook's answers to strangers (finding 11): 404 while online payment is off, 400 for anything
unsigned or malformed, never a 500.

Real `stripe` SDK calls against localstripe on 127.0.0.1, and events delivered as signed
webhook POSTs. No stub: localstripe can make every state these tests need.
"""

import logging

import pytest
from django.core import checks

from members import stripe_gateway
from members.checks import stripe_keys_without_webhook_secret
from members.models import Membership, Payment, Receipt, StripeEvent
from members.services import payment_for
from tests import stripe as stripe_helpers
from tests.home.test_production_settings import check_deploy
from tests.stripe import WEBHOOK, assert_still_unpaid, deliver

pytestmark = pytest.mark.django_db


def site_intent(client, membership):
    """The card payment and PaymentIntent the site makes when the member chooses to pay by card
    (a POST) and lands on the payment page."""
    url = f"/espace-membre/adhesion/{membership.pk}/paiement/"
    client.post(url, {"moyen": "card"})
    assert client.get(url).status_code == 200
    payment = membership.payments.get(method="card", status="pending")
    assert payment.stripe_payment_intent_id
    return payment


def paid_intent_naming(payment, *, amount, currency):
    """A PaymentIntent made outside this site (the Stripe Dashboard, another integration) whose
    metadata names our payment, paid by card. The webhook finds our payment through that
    metadata, so only the amount-and-currency rule stands between it and an activation."""
    client = stripe_gateway.client()
    intent = client.v1.payment_intents.create(
        params={
            "amount": amount,
            "currency": currency,
            "payment_method_types": ["card"],
            "metadata": {"payment_id": str(payment.pk)},
        }
    )
    return stripe_helpers.pay_intent(client, intent.id)


# --- Amount and currency -----------------------------------------------------------------------


def test_an_intent_paid_for_another_amount_does_not_activate(
    client, member, stripe_settings, django_capture_on_commit_callbacks
):
    payment = payment_for(member, "card")
    intent = paid_intent_naming(payment, amount=100, currency="eur")
    assert intent.status == "succeeded"

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, "payment_intent.succeeded", {"id": intent.id})

    assert response.status_code == 200
    assert_still_unpaid(member, payment)


def test_an_intent_paid_in_another_currency_does_not_activate(
    client, member, stripe_settings, django_capture_on_commit_callbacks
):
    payment = payment_for(member, "card")
    # The right number, the wrong money: 300 US dollars are not our 300 €.
    intent = paid_intent_naming(payment, amount=member.amount_cents, currency="usd")
    assert intent.status == "succeeded" and intent.amount == payment.amount_cents

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, "payment_intent.succeeded", {"id": intent.id})

    assert response.status_code == 200
    assert_still_unpaid(member, payment)


def test_an_old_attempt_paid_after_the_amount_changed_does_not_activate(
    client, member, stripe_settings, django_capture_on_commit_callbacks
):
    """A payment failed, the bulletin was sent again with another tier, and the old intent is
    then paid after all: the membership is not bought at the old amount."""
    payment = payment_for(member, "card")
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.FAILED)
    Membership.objects.filter(pk=member.pk).update(amount_cents=member.amount_cents + 10000)
    intent = paid_intent_naming(payment, amount=payment.amount_cents, currency="eur")

    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "payment_intent.succeeded", {"id": intent.id})

    member.refresh_from_db()
    payment.refresh_from_db()
    assert member.status == Membership.Status.PENDING
    assert payment.status == Payment.Status.FAILED
    assert not Receipt.objects.filter(payment=payment).exists()


def test_the_right_amount_in_euros_through_the_same_path_activates(
    client, member, stripe_settings, django_capture_on_commit_callbacks
):
    """The control of the two tests above: the same path with the right amount and currency
    activates, so what stops them is the rule, not the path."""
    payment = payment_for(member, "card")
    intent = paid_intent_naming(payment, amount=member.amount_cents, currency="eur")

    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "payment_intent.succeeded", {"id": intent.id})

    member.refresh_from_db()
    payment.refresh_from_db()
    assert member.status == Membership.Status.ACTIVE
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.stripe_payment_intent_id == intent.id


# --- Cancelled intents -------------------------------------------------------------------------


def test_an_intent_canceled_at_stripe_cancels_our_payment(client, member, stripe_settings):
    payment = site_intent(client, member)
    # Cancelled at Stripe, not by us: from the Dashboard, or by Stripe itself.
    stripe_gateway.client().v1.payment_intents.cancel(payment.stripe_payment_intent_id)

    response = deliver(
        client, "payment_intent.canceled", {"id": payment.stripe_payment_intent_id}, "evt_cancel"
    )

    assert response.status_code == 200
    assert StripeEvent.objects.filter(event_id="evt_cancel").exists()
    payment.refresh_from_db()
    member.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED
    assert member.status == Membership.Status.PENDING  # still to pay, with a new attempt


# --- Refunds -----------------------------------------------------------------------------------


def test_a_refund_that_arrives_before_the_success_leaves_the_membership_unpaid(
    client, member, stripe_settings, django_capture_on_commit_callbacks, caplog
):
    # Stripe does not promise the order of its events: here the full refund is delivered
    # first (the payment is still pending, nothing to refund), then the success.
    payment = site_intent(client, member)
    stripe_client = stripe_gateway.client()
    stripe_helpers.pay_intent(stripe_client, payment.stripe_payment_intent_id)
    stripe_client.v1.refunds.create(params={"payment_intent": payment.stripe_payment_intent_id})
    deliver(client, "charge.refunded", {"id": _charge_of(payment)}, "evt_refund_first")
    with django_capture_on_commit_callbacks(execute=True):
        late = deliver(client, "payment_intent.succeeded", {"id": payment.stripe_payment_intent_id})

    assert late.status_code == 200
    payment.refresh_from_db()
    member.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED
    assert member.status == Membership.Status.PENDING
    assert not Receipt.objects.exists()
    assert (
        f"Stripe: PaymentIntent {payment.stripe_payment_intent_id} was refunded before its"
        f" success arrived: payment {payment.pk} cancelled, membership not activated"
    ) in caplog.text


def _charge_of(payment):
    intent = stripe_gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    charge = intent.latest_charge
    return charge if isinstance(charge, str) else charge.id


def test_a_partial_refund_changes_nothing_and_a_full_one_refunds(
    client, member, stripe_settings, django_capture_on_commit_callbacks
):
    payment = site_intent(client, member)
    stripe_client = stripe_gateway.client()
    stripe_helpers.pay_intent(stripe_client, payment.stripe_payment_intent_id)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "payment_intent.succeeded", {"id": payment.stripe_payment_intent_id})
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED and payment.stripe_charge_id

    # 50 € of the 300 € given back (a goodwill gesture): staff decide what it means.
    stripe_client.v1.refunds.create(
        params={"payment_intent": payment.stripe_payment_intent_id, "amount": 5000}
    )
    assert not stripe_gateway.retrieve_charge(payment.stripe_charge_id).refunded
    partly = deliver(client, "charge.refunded", {"id": payment.stripe_charge_id}, "evt_part")

    assert partly.status_code == 200
    payment.refresh_from_db()
    member.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert member.status == Membership.Status.ACTIVE

    # The other 250 €: now the charge is refunded in full.
    stripe_client.v1.refunds.create(
        params={"payment_intent": payment.stripe_payment_intent_id, "amount": 25000}
    )
    fully = deliver(client, "charge.refunded", {"id": payment.stripe_charge_id}, "evt_full")

    assert fully.status_code == 200
    payment.refresh_from_db()
    member.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert member.status == Membership.Status.CANCELLED


# --- Strangers (finding 11) --------------------------------------------------------------------


@pytest.mark.parametrize(
    "keys",
    [
        {},  # as in `make run`: nothing set
        {"STRIPE_SECRET_KEY": "sk_test_x", "STRIPE_PUBLISHABLE_KEY": "pk_test_x"},
        {"STRIPE_WEBHOOK_SECRET": stripe_helpers.TEST_WEBHOOK_SECRET},
    ],
    ids=["nothing", "keys-without-secret", "secret-without-keys"],
)
def test_while_online_payment_is_off_the_webhook_is_not_found(client, settings, caplog, keys):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    for name, value in keys.items():
        setattr(settings, name, value)
    assert not stripe_gateway.is_configured()
    payload, signature = stripe_helpers.signed_event("payment_intent.succeeded", {"id": "pi_x"})

    with caplog.at_level(logging.DEBUG):
        signed = client.post(
            WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )
        junk = client.post(WEBHOOK, b"\xff junk", content_type="application/json")

    assert signed.status_code == junk.status_code == 404
    assert not StripeEvent.objects.exists()
    # Anyone can post here: nothing of theirs may reach the error log.
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    ours = [record for record in caplog.records if record.name == "members.webhooks"]
    assert ours and all(record.levelno <= logging.INFO for record in ours)


@pytest.mark.parametrize(
    "body, signature",
    [
        (b"{}", "t=1,v1=\u00e9\u00e9"),  # not ASCII: hmac.compare_digest raises TypeError
        (b"{}", "t=abc,v1=00"),
        (b"{}", "v1=00"),
        (b"\xff\xfe not utf-8", "t=1,v1=00"),
        (b"not json", None),
    ],
    ids=["non-ascii-signature", "bad-timestamp", "no-timestamp", "not-utf-8", "unsigned"],
)
def test_an_unsigned_or_malformed_post_is_400(client, stripe_settings, body, signature):
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    response = client.post(WEBHOOK, body, content_type="application/json", **headers)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_the_webhook_accepts_only_post(client, stripe_settings):
    assert client.get(WEBHOOK).status_code == 405


# --- The system check --------------------------------------------------------------------------


def test_the_check_warns_when_the_keys_have_no_webhook_secret(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_x"
    settings.STRIPE_WEBHOOK_SECRET = ""

    assert stripe_keys_without_webhook_secret in checks.registry.registry.get_checks()
    warnings = stripe_keys_without_webhook_secret(None)
    assert [warning.id for warning in warnings] == ["members.W001"]
    assert warnings[0].level == checks.WARNING

    settings.STRIPE_WEBHOOK_SECRET = stripe_helpers.TEST_WEBHOOK_SECRET
    assert stripe_keys_without_webhook_secret(None) == []
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert stripe_keys_without_webhook_secret(None) == []  # payment off on purpose: no noise


def test_manage_py_check_deploy_reports_it_with_production_values():
    result = check_deploy(
        STRIPE_SECRET_KEY="sk_live_x",
        STRIPE_PUBLISHABLE_KEY="pk_live_x",
        STRIPE_WEBHOOK_SECRET="",
    )
    assert result.returncode != 0
    assert "members.W001" in result.stdout + result.stderr
