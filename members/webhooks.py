"""Stripe's webhook: the source of truth for online payments.

An event is only a trigger. Its signature is checked, its id is recorded once (a second
delivery changes nothing), and the object it names is read again from Stripe before anything
changes, inside the same transaction as the event record: if Stripe cannot be reached, nothing
is recorded and the answer 503 makes Stripe deliver the event again later.
"""

import logging

from django.db import transaction
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import stripe_gateway
from .models import Payment, StripeEvent
from .services import cancel_payment, confirm_payment, fail_payment, refund_payment

logger = logging.getLogger(__name__)


def _payment_of_intent(intent):
    """Our payment for this PaymentIntent: by its id, else by the id in its metadata (the page
    that created the intent may have failed before storing its id)."""
    payment = Payment.objects.filter(stripe_payment_intent_id=intent.id).first()
    if payment is None:
        metadata = intent.metadata.to_dict() if intent.metadata else {}
        payment_id = metadata.get("payment_id")
        payment = Payment.objects.filter(
            pk=payment_id if str(payment_id or "").isdigit() else 0,
            stripe_payment_intent_id__isnull=True,
        ).first()
        if payment is not None:
            payment.stripe_payment_intent_id = intent.id
            payment.save(update_fields=["stripe_payment_intent_id"])
    return payment


def _refunded_in_full(charge_id):
    """Whether the intent's charge was given back in full, as Stripe has it now."""
    return bool(charge_id) and stripe_gateway.retrieve_charge(charge_id).refunded


def handle_payment_intent(intent_id):
    """payment_intent.succeeded / payment_failed: act on the intent's status as Stripe has it
    now, not on the event's name."""
    intent = stripe_gateway.retrieve_payment_intent(intent_id)
    payment = _payment_of_intent(intent)
    if payment is None:
        logger.info("Stripe: PaymentIntent %s is not one of ours", intent_id)
        return
    if intent.status == "succeeded":
        if intent.amount != payment.amount_cents or intent.currency != "eur":
            logger.error(
                "Stripe: PaymentIntent %s paid %s %s, payment %s expects %s eur: not activated",
                intent.id, intent.amount, intent.currency, payment.pk, payment.amount_cents,
            )  # fmt: skip
            return
        if payment.amount_cents != payment.membership.amount_cents:
            # An old attempt (failed, then the bulletin sent again with another tier) whose
            # intent was paid after all: the membership is not bought at the old amount. Staff
            # see the money at Stripe and settle it with the member.
            logger.error(
                "Stripe: PaymentIntent %s paid %s for payment %s, but membership %s now costs %s:"
                " not activated",
                intent.id, intent.amount, payment.pk, payment.membership_id,
                payment.membership.amount_cents,
            )  # fmt: skip
            return
        charge = intent.latest_charge
        charge_id = charge if isinstance(charge, str) else getattr(charge, "id", None)
        if _refunded_in_full(charge_id):
            # Stripe does not promise the order of its events: the refund came first, while the
            # payment was still pending, and changed nothing. The money went back: the
            # membership is not bought, and the member may pay again.
            logger.warning(
                "Stripe: PaymentIntent %s was refunded before its success arrived: payment %s"
                " cancelled, membership not activated",
                intent.id, payment.pk,
            )  # fmt: skip
            cancel_payment(payment.pk)
            return
        confirm_payment(payment.pk, charge_id=charge_id)
    elif intent.status == "requires_payment_method":
        fail_payment(payment.pk)
    elif intent.status == "canceled":
        cancel_payment(payment.pk)


def handle_charge_refunded(charge_id):
    charge = stripe_gateway.retrieve_charge(charge_id)
    if not charge.refunded:  # partly refunded: staff decide what it means for the membership
        logger.warning("Stripe: charge %s partly refunded; membership left as it is", charge_id)
        return
    intent_id = charge.payment_intent  # an id or None: the charge is read unexpanded
    # A charge made without a PaymentIntent (by another tool, through the Charges API) has none:
    # filtering on None would mean IS NULL and pick one of our transfers or cheques.
    payment = None
    if intent_id:
        payment = Payment.objects.filter(stripe_payment_intent_id=intent_id).first()
    if payment is None:
        payment = Payment.objects.filter(stripe_charge_id=charge.id).first()
    if payment is not None:
        refund_payment(payment.pk)


HANDLERS = {
    "payment_intent.succeeded": handle_payment_intent,
    "payment_intent.payment_failed": handle_payment_intent,
    "payment_intent.canceled": handle_payment_intent,
    "charge.refunded": handle_charge_refunded,
}


@csrf_exempt
@require_POST
def stripe_webhook(request):
    if not stripe_gateway.is_configured():
        # Online payment is off, so there is no webhook: anyone may post here, and must not be
        # able to fill the error log. A real Stripe event is not lost: Stripe retries a 404.
        logger.debug("Stripe webhook received while online payment is off: 404")
        return HttpResponse(status=404)
    signature = request.headers.get("Stripe-Signature", "")
    if not signature.isascii():
        # A real signature is ASCII; the SDK's hmac.compare_digest raises TypeError (a 500) on
        # anything else, so such a header counts as missing.
        signature = ""
    try:
        event = stripe_gateway.construct_event(request.body, signature)
    except ValueError:  # stripe_gateway.InvalidEvent, or a payload that is not JSON
        logger.warning("Stripe webhook refused: bad payload or signature")
        return HttpResponse(status=400)
    handler = HANDLERS.get(event.type)
    if handler is None:
        return HttpResponse(status=200)  # not an event we use: acknowledged, nothing changed
    try:
        with transaction.atomic():
            _, created = StripeEvent.objects.get_or_create(
                event_id=event.id, defaults={"type": event.type}
            )
            if created:
                handler(event.data.object.id)
    except stripe_gateway.StripeUnavailable:
        return HttpResponse(status=503)  # nothing recorded: Stripe will deliver it again
    return HttpResponse(status=200)
