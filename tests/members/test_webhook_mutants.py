"""The webhook's edge cases: which payment an event is about, and what the logs tell staff.

A PaymentIntent is ours by its id, or by the payment id in its metadata only when that id is
digits and names a payment that has no intent yet; a refunded charge is ours by its
PaymentIntent, or else by the charge id we kept. Whatever is not ours changes nothing, and the
error log says which intent, amount and payment staff must settle by hand.

Real `stripe` SDK calls against localstripe on 127.0.0.1, events delivered as signed POSTs.
"""

import logging

import pytest
from django.utils import timezone

from demo.factories.members import OrganisationFactory
from members import stripe_gateway
from members.models import FeeGrid, Membership, Payment
from members.services import (
    confirm_payment,
    new_reference,
    open_online_payment,
    payment_for,
    record_offline_payment,
    start_membership,
)
from tests import stripe as stripe_helpers
from tests.stripe import assert_still_unpaid, deliver

pytestmark = pytest.mark.django_db


def intent_made_elsewhere(*, amount, metadata=None, currency="eur"):
    """A PaymentIntent made outside this site (the Stripe Dashboard, another tool), paid by
    card."""
    client = stripe_gateway.client()
    params = {"amount": amount, "currency": currency, "payment_method_types": ["card"]}
    if metadata is not None:
        params["metadata"] = metadata
    intent = client.v1.payment_intents.create(params=params)
    return stripe_helpers.pay_intent(client, intent.id)


def paid_transfer_of_another_organisation():
    """Another organisation's membership, paid by transfer and recorded by staff: a payment
    with no PaymentIntent, the newest of the site."""
    membership = start_membership(OrganisationFactory(), FeeGrid.objects.get(year=2027))
    return record_offline_payment(
        membership, method=Payment.Method.TRANSFER, amount_cents=membership.amount_cents,
        received_at=timezone.now(), recorded_by=None,
    )  # fmt: skip


def webhook_logs(caplog, level):
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "members.webhooks" and record.levelno == level
    ]


# --- Which payment a PaymentIntent is about ------------------------------------------------------


def test_a_payment_id_that_is_not_digits_is_ignored(
    client, member, stripe_settings, django_capture_on_commit_callbacks
):
    """An intent made by hand whose metadata holds the transfer reference instead of our
    payment's number: it is not taken for the member's pending payment, even at the right
    amount."""
    payment = payment_for(member, "card")
    intent = intent_made_elsewhere(
        amount=member.amount_cents, metadata={"payment_id": payment.reference}
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, "payment_intent.succeeded", {"id": intent.id})

    assert response.status_code == 200
    assert_still_unpaid(member, payment)
    assert payment.stripe_payment_intent_id is None


def test_an_intent_without_metadata_is_not_taken_for_payment_number_1(
    client, member, stripe_settings, django_capture_on_commit_callbacks
):
    """The site's very first payment (n°1) still waits for its card payment: an intent paid
    elsewhere, at the same amount but naming no payment, is not bound to it."""
    first = Payment.objects.create(
        pk=1, membership=member, method=Payment.Method.CARD,
        amount_cents=member.amount_cents, reference=new_reference(member),
    )  # fmt: skip
    intent = intent_made_elsewhere(amount=member.amount_cents)

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, "payment_intent.succeeded", {"id": intent.id})

    assert response.status_code == 200
    assert_still_unpaid(member, first)
    assert first.stripe_payment_intent_id is None


def test_a_second_intent_naming_a_payment_that_has_its_own_is_ignored(
    client, member, stripe_settings, django_capture_on_commit_callbacks
):
    """The payment already has the intent the site opened for it: another intent whose metadata
    names it (made by hand in the Dashboard) does not take its place nor activate it."""
    payment = payment_for(member, "card")
    own = open_online_payment(payment)
    other = intent_made_elsewhere(
        amount=member.amount_cents, metadata={"payment_id": str(payment.pk)}
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, "payment_intent.succeeded", {"id": other.id})

    assert response.status_code == 200
    assert_still_unpaid(member, payment)
    assert payment.stripe_payment_intent_id == own.id


def test_the_charge_id_is_kept_when_stripe_names_the_charge_by_its_id(
    client, member, stripe_settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Stripe sends `latest_charge` as the charge's id (a string); localstripe sends the whole
    charge. The intent is read from localstripe, then given the shape Stripe gives it: that is
    the only stand-in here, since localstripe cannot send it so."""
    payment = payment_for(member, "card")
    intent = open_online_payment(payment)
    charge_id = stripe_helpers.pay_intent(stripe_gateway.client(), intent.id).latest_charge.id
    real_retrieve = stripe_gateway.retrieve_payment_intent

    def as_stripe_sends_it(intent_id):
        intent = real_retrieve(intent_id)
        intent["latest_charge"] = intent.latest_charge.id
        return intent

    monkeypatch.setattr(stripe_gateway, "retrieve_payment_intent", as_stripe_sends_it)

    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "payment_intent.succeeded", {"id": intent.id})

    payment.refresh_from_db()
    member.refresh_from_db()
    assert member.status == Membership.Status.ACTIVE
    # Kept, so that a refund made in the Dashboard can be traced to this payment.
    assert payment.stripe_charge_id == charge_id


# --- What the logs tell staff --------------------------------------------------------------------


def test_an_intent_that_is_not_ours_is_logged_with_its_id(client, member, stripe_settings, caplog):
    intent = intent_made_elsewhere(amount=500)

    with caplog.at_level(logging.INFO, logger="members.webhooks"):
        deliver(client, "payment_intent.succeeded", {"id": intent.id})

    assert webhook_logs(caplog, logging.INFO) == [
        f"Stripe: PaymentIntent {intent.id} is not one of ours"
    ]


@pytest.mark.parametrize("amount, currency", [(100, "eur"), (30000, "usd")])
def test_the_error_log_says_what_was_paid_and_what_was_expected(
    client, member, stripe_settings, caplog, amount, currency
):
    """Money came in that activates nothing: the log gives staff the intent, what it paid and
    the payment it was for, to settle it with the member."""
    payment = payment_for(member, "card")
    intent = intent_made_elsewhere(
        amount=amount, currency=currency, metadata={"payment_id": str(payment.pk)}
    )

    with caplog.at_level(logging.INFO, logger="members.webhooks"):
        deliver(client, "payment_intent.succeeded", {"id": intent.id})

    assert webhook_logs(caplog, logging.ERROR) == [
        f"Stripe: PaymentIntent {intent.id} paid {amount} {currency}, payment {payment.pk}"
        f" expects 30000 eur: not activated"
    ]
    assert_still_unpaid(member, payment)


def test_the_error_log_says_an_old_attempt_was_paid_after_the_amount_changed(
    client, member, stripe_settings, caplog
):
    payment = payment_for(member, "card")
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.FAILED)
    Membership.objects.filter(pk=member.pk).update(amount_cents=40000)
    intent = intent_made_elsewhere(amount=30000, metadata={"payment_id": str(payment.pk)})

    with caplog.at_level(logging.INFO, logger="members.webhooks"):
        deliver(client, "payment_intent.succeeded", {"id": intent.id})

    assert webhook_logs(caplog, logging.ERROR) == [
        f"Stripe: PaymentIntent {intent.id} paid 30000 for payment {payment.pk}, but membership"
        f" {member.pk} now costs 40000: not activated"
    ]
    member.refresh_from_db()
    assert member.status == Membership.Status.PENDING


def test_a_partial_refund_is_logged_with_the_charge(
    client, member, stripe_settings, caplog, django_capture_on_commit_callbacks
):
    payment = payment_for(member, "card")
    intent = open_online_payment(payment)
    charge_id = stripe_helpers.pay_intent(stripe_gateway.client(), intent.id).latest_charge.id
    stripe_gateway.client().v1.refunds.create(params={"payment_intent": intent.id, "amount": 5000})

    with caplog.at_level(logging.INFO, logger="members.webhooks"):
        deliver(client, "charge.refunded", {"id": charge_id})

    assert webhook_logs(caplog, logging.WARNING) == [
        f"Stripe: charge {charge_id} partly refunded; membership left as it is"
    ]


# --- Which payment a refunded charge is about ----------------------------------------------------


def test_a_refund_finds_the_payment_by_its_intent_when_the_charge_id_was_not_kept(
    client, member, stripe_settings
):
    """A card payment confirmed without its charge id (members/demo.py confirms them so) is
    refunded through its PaymentIntent; the newest payment without an intent (another
    organisation's transfer) is not touched."""
    payment = payment_for(member, "card")
    intent = open_online_payment(payment)
    charge_id = stripe_helpers.pay_intent(stripe_gateway.client(), intent.id).latest_charge.id
    confirm_payment(payment.pk)
    transfer = paid_transfer_of_another_organisation()
    stripe_gateway.refund(payment)

    response = deliver(client, "charge.refunded", {"id": charge_id})

    assert response.status_code == 200
    payment.refresh_from_db()
    member.refresh_from_db()
    assert payment.stripe_charge_id is None
    assert payment.status == Payment.Status.REFUNDED
    assert member.status == Membership.Status.CANCELLED
    transfer.refresh_from_db()
    assert transfer.status == Payment.Status.SUCCEEDED
    assert transfer.membership.status == Membership.Status.ACTIVE


def test_a_refund_finds_the_payment_by_its_charge_when_the_intent_is_not_ours(
    client, member, stripe_settings
):
    """A payment known by its charge id only (the charge of an intent made elsewhere) is
    refunded when Stripe says that charge was refunded in full."""
    intent = intent_made_elsewhere(amount=member.amount_cents)
    payment = payment_for(member, "card")
    confirm_payment(payment.pk, charge_id=intent.latest_charge.id)
    stripe_gateway.client().v1.refunds.create(params={"payment_intent": intent.id})

    response = deliver(client, "charge.refunded", {"id": intent.latest_charge.id})

    assert response.status_code == 200
    payment.refresh_from_db()
    member.refresh_from_db()
    assert payment.stripe_payment_intent_id is None
    assert payment.status == Payment.Status.REFUNDED
    assert member.status == Membership.Status.CANCELLED


def refunded_charge_without_intent():
    """A charge made at Stripe without any PaymentIntent (the Charges API of another tool),
    refunded in full."""
    client = stripe_gateway.client()
    method = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }
    )
    charge = client.v1.charges.create(
        params={"amount": 30000, "currency": "eur", "source": method.id}
    )
    client.v1.refunds.create(params={"charge": charge.id})
    assert charge.payment_intent is None
    return charge


def test_a_refunded_charge_without_intent_is_acknowledged_and_changes_nothing(
    client, member, stripe_settings, django_capture_on_commit_callbacks
):
    payment = payment_for(member, "card")
    intent = open_online_payment(payment)
    stripe_helpers.pay_intent(stripe_gateway.client(), intent.id)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "payment_intent.succeeded", {"id": intent.id})
    charge = refunded_charge_without_intent()

    response = deliver(client, "charge.refunded", {"id": charge.id})

    assert response.status_code == 200
    payment.refresh_from_db()
    member.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert member.status == Membership.Status.ACTIVE


def test_a_refunded_charge_without_intent_does_not_refund_a_transfer(
    client, member, stripe_settings
):
    transfer = paid_transfer_of_another_organisation()
    charge = refunded_charge_without_intent()

    deliver(client, "charge.refunded", {"id": charge.id})

    transfer.refresh_from_db()
    assert transfer.status == Payment.Status.SUCCEEDED
    assert transfer.membership.status == Membership.Status.ACTIVE
