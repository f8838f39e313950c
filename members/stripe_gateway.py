"""Every call to Stripe goes through here, with the SDK's client.

Callers get Stripe objects back, or `StripeUnavailable` when Stripe cannot be reached or refuses:
the page then degrades (a clear message, the payment stays pending) and nothing is lost.
"""

import logging

from django.conf import settings

logger = logging.getLogger(__name__)

# Which Stripe payment method type each of our online methods uses.
STRIPE_METHOD_TYPES = {"card": "card", "sepa": "sepa_debit"}


class StripeUnavailable(Exception):
    """Stripe could not be reached, or refused the call."""


class InvalidEvent(ValueError):
    """A webhook's payload or signature is not Stripe's."""


def _sdk():
    """Stripe's SDK, imported on first use. With the HTTP client it brings, it weighs about
    33 MB in each app server's worker, which pages, the portal and the jury never need; a
    worker's first payment call pays its import once (0.4 s)."""
    import stripe

    return stripe


def is_configured():
    """Online payment needs the keys and the webhook secret: without the webhook, a member
    would pay and never see their membership activated."""
    return bool(
        settings.STRIPE_SECRET_KEY
        and settings.STRIPE_PUBLISHABLE_KEY
        and settings.STRIPE_WEBHOOK_SECRET
    )


def client():
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return _sdk().StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base,
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
    )


def _call(what, function, *args, **kwargs):
    stripe = _sdk()
    try:
        return function(*args, **kwargs)
    except stripe.StripeError as error:
        logger.warning("Stripe: %s failed: %s", what, error)
        raise StripeUnavailable(str(error)) from error


def create_payment_intent(payment):
    """The PaymentIntent of one payment attempt. The amount is the one stored on the server; the
    idempotency key makes a repeated call (double click, retry) return the same intent."""
    membership = payment.membership
    params = {
        "amount": payment.amount_cents,
        "currency": "eur",
        "payment_method_types": [STRIPE_METHOD_TYPES[payment.method]],
        "metadata": {
            "payment_id": str(payment.pk),
            "membership_id": str(membership.pk),
            "organisation_id": str(membership.organisation_id),
            "year": str(membership.year),
            "reference": payment.reference,
        },
    }
    return _call(
        "PaymentIntent create",
        client().v1.payment_intents.create,
        params=params,
        options={"idempotency_key": f"membership-payment-{payment.pk}"},
    )


def retrieve_payment_intent(intent_id):
    return _call("PaymentIntent retrieve", client().v1.payment_intents.retrieve, intent_id)


def cancel_payment_intent(intent_id):
    """Cancel an intent nobody has paid yet; an intent already paid or under way cannot be."""
    intent = retrieve_payment_intent(intent_id)
    if intent.status == "canceled":
        return intent
    if intent.status not in ("requires_payment_method", "requires_confirmation", "requires_action"):
        raise StripeUnavailable(f"PaymentIntent {intent_id} is {intent.status}")
    return _call("PaymentIntent cancel", client().v1.payment_intents.cancel, intent_id)


def retrieve_charge(charge_id):
    return _call("Charge retrieve", client().v1.charges.retrieve, charge_id)


def refund(payment):
    """Refund a card or SEPA payment in full; asking twice refunds once."""
    return _call(
        "Refund create",
        client().v1.refunds.create,
        params={"payment_intent": payment.stripe_payment_intent_id},
        options={"idempotency_key": f"membership-refund-{payment.pk}"},
    )


def construct_event(payload, signature_header):
    """The verified event; InvalidEvent (a ValueError) for a bad payload or signature."""
    stripe = _sdk()
    try:
        return stripe.Webhook.construct_event(
            payload, signature_header, settings.STRIPE_WEBHOOK_SECRET
        )
    except stripe.SignatureVerificationError as error:
        raise InvalidEvent(str(error)) from error
