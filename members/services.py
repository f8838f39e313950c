"""Membership rules as plain functions: views, the admin, tasks and commands all call these."""

import datetime
import logging
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from home.money import format_euros

from . import stripe_gateway
from .models import FeeGrid, FeeTier, Membership, MembershipSettings, Payment
from .tasks import issue_receipt

logger = logging.getLogger(__name__)


class NoMatchingTier(Exception):
    """The grid has no tier for this organisation: staff must complete the grid."""


def membership_period(year, start_month=None):
    """The membership year that starts in `year`: a calendar year unless the settings say the
    year starts in another month."""
    if start_month is None:
        start_month = MembershipSettings.load().year_start_month
    start = datetime.date(year, start_month, 1)
    end = datetime.date(year + 1, start_month, 1) - datetime.timedelta(days=1)
    return start, end


def tier_for(grid: FeeGrid, organisation) -> FeeTier:
    """The computed tier of an organisation: the first of the grid's tiers whose rule applies.

    Free-amount tiers (membre bienfaiteur) are never computed; a member chooses them.
    """
    for tier in grid.tiers.filter(free_amount=False).order_by("order", "minimum"):
        if tier.applies_to(organisation):
            return tier
    raise NoMatchingTier(
        _("La grille %(year)s n’a pas de tranche pour « %(name)s ».")
        % {"year": grid.year, "name": organisation.name}
    )


def amount_for(tier: FeeTier, chosen_cents=None) -> int:
    """The amount due in cents, computed on the server: a fixed tier ignores what was sent; a
    free tier takes the member's amount if it reaches the minimum."""
    if not tier.free_amount:
        return tier.amount_cents
    if chosen_cents is None or chosen_cents < tier.minimum_cents:
        raise ValueError(
            _("Le montant libre doit être d’au moins %(minimum)s.")
            % {"minimum": format_euros(tier.minimum_cents)}
        )
    return chosen_cents


# --- Memberships and payments ------------------------------------------------------------------
# A payment's status only moves forward along these arrows; anything else is ignored, so a late
# or repeated notification (a webhook delivered twice, a "succeeded" after a refund) changes
# nothing.
PAYMENT_TRANSITIONS = {
    "pending": {"succeeded", "failed", "cancelled"},
    "failed": {"succeeded", "failed", "cancelled"},
    "succeeded": {"refunded"},
    "refunded": set(),
    "cancelled": set(),
}


def _live_membership(organisation, year):
    """The membership that counts for that year (a cancelled one does not)."""
    return (
        Membership.objects.filter(organisation=organisation, year=year)
        .exclude(status=Membership.Status.CANCELLED)
        .first()
    )


def start_membership(organisation, grid, tier=None, chosen_cents=None):
    """The organisation's membership for the grid's year: the live one if it exists (a second
    click returns the first), else a new pending one at the amount computed here."""
    existing = _live_membership(organisation, grid.year)
    if existing is not None:
        return existing
    tier = tier or tier_for(grid, organisation)
    start, end = membership_period(grid.year)
    try:
        with transaction.atomic():
            return Membership.objects.create(
                organisation=organisation,
                year=grid.year,
                period_start=start,
                period_end=end,
                tier=tier,
                amount_cents=amount_for(tier, chosen_cents),
            )
    except IntegrityError:  # the same request, a moment earlier, made it
        return _live_membership(organisation, grid.year)


def prepare_membership(organisation, grid, tier=None, chosen_cents=None):
    """The membership a bulletin asks for. A pending one that nobody has paid yet follows the
    latest bulletin (a corrected head count changes the tier); a paid one is left alone."""
    membership = start_membership(organisation, grid, tier, chosen_cents)
    if membership.status != Membership.Status.PENDING:
        return membership
    tier = tier or tier_for(grid, organisation)
    amount = amount_for(tier, chosen_cents)
    if (membership.tier_id, membership.amount_cents) != (tier.pk, amount):
        with transaction.atomic():
            locked = Membership.objects.select_for_update().get(pk=membership.pk)
            if not locked.payments.filter(status=Payment.Status.SUCCEEDED).exists():
                locked.tier, locked.amount_cents = tier, amount
                # Saving every field is equivalent: `locked` was just read under the row lock.
                locked.save(update_fields=["tier", "amount_cents"])  # pragma: no mutate
            membership = locked
    return membership


def payment_for(membership, method):
    """The one payment a member is asked to make: the pending payment of this method and amount,
    or a new one. Clicking « Payer » twice makes one payment (and, online, one PaymentIntent);
    choosing another method or a new amount withdraws the other pending payments, so that the
    member is never asked to pay twice."""
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        pending = list(locked.payments.filter(status=Payment.Status.PENDING).order_by("pk"))
        payment = next(
            (p for p in pending if p.method == method and p.amount_cents == locked.amount_cents),
            None,
        ) or create_payment(locked, method)
    for other in pending:
        if other.pk != payment.pk:
            withdraw_payment(other)
    return payment


def open_online_payment(payment):
    """The payment's Stripe PaymentIntent: created once (its idempotency key is the payment's)
    and its id kept on the payment. Only the POSTs that start an online payment call this (the
    bulletin, « Payer par carte »): the payment page, a GET, only reads the intent. Raises
    stripe_gateway.StripeUnavailable; the payment is then kept, with no intent yet."""

    if payment.stripe_payment_intent_id:
        return stripe_gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    intent = stripe_gateway.create_payment_intent(payment)
    with transaction.atomic():
        Payment.objects.filter(pk=payment.pk, stripe_payment_intent_id__isnull=True).update(
            stripe_payment_intent_id=intent.id
        )
    payment.stripe_payment_intent_id = intent.id
    return intent


def withdraw_payment(payment):
    """Cancel a pending payment the member no longer intends to make. An online one is first
    cancelled at Stripe; if Stripe cannot cancel it (unreachable, or the payment is already
    under way) it stays pending, since it may still succeed, and its webhook will say so."""
    if payment.stripe_payment_intent_id:
        try:
            stripe_gateway.cancel_payment_intent(payment.stripe_payment_intent_id)
        except stripe_gateway.StripeUnavailable:
            return False
    return cancel_payment(payment.pk)


@transaction.atomic
def cancel_payment(payment_id):
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if not _move(payment, Payment.Status.CANCELLED):
        return False
    payment.save(update_fields=["status"])
    return True


def new_reference(membership):
    """A short reference to quote on a transfer: ADH-2027-00042-K7Q."""
    suffix = get_random_string(3, allowed_chars="ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    return f"ADH-{membership.year}-{membership.pk:05d}-{suffix}"


def create_payment(membership, method, stripe_payment_intent_id=None, attempts=5):
    # The reference's random suffix may, rarely, repeat one already given: draw another.
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return Payment.objects.create(
                    membership=membership,
                    method=method,
                    amount_cents=membership.amount_cents,
                    reference=new_reference(membership),
                    stripe_payment_intent_id=stripe_payment_intent_id,
                )
        except IntegrityError:
            if attempt == attempts - 1:
                raise


def _move(payment, status):
    if status not in PAYMENT_TRANSITIONS[payment.status]:
        return False
    payment.status = status
    return True


@transaction.atomic
def confirm_payment(payment_id, *, received_at=None, recorded_by=None, charge_id=None):
    """Mark a payment received and activate its membership, once.

    The payment and its membership are locked (select_for_update), so two confirmations at the
    same time (the webhook and the return page, or a webhook delivered twice) activate once.
    Returns True when this call changed something.
    """
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if not _move(payment, Payment.Status.SUCCEEDED):
        return False
    payment.received_at = received_at or timezone.now()
    payment.recorded_by = recorded_by
    if charge_id:
        payment.stripe_charge_id = charge_id
    payment.save()
    membership = Membership.objects.select_for_update().get(pk=payment.membership_id)
    if membership.status != Membership.Status.PENDING:
        # Money came in for a membership already paid (or cancelled): it is recorded as
        # received, and staff must refund one of the payments.
        logger.error(
            "Payment %s received for membership %s, which is %s: refund one of its payments.",
            payment.reference, membership.pk, membership.status,
        )  # fmt: skip
    if membership.status == Membership.Status.PENDING:
        membership.status = Membership.Status.ACTIVE
        membership.activated_at = payment.received_at
        membership.save(update_fields=["status", "activated_at"])
    # The receipt (numbered, rendered, e-mailed) once this is committed, and only this once.
    transaction.on_commit(partial(_payment_received, payment.pk))
    return True


def _payment_received(payment_id):

    issue_receipt.enqueue(payment_id)


@transaction.atomic
def fail_payment(payment_id):
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.status == Payment.Status.FAILED or not _move(payment, Payment.Status.FAILED):
        return False
    payment.save(update_fields=["status"])
    return True


@transaction.atomic
def refund_payment(payment_id):
    """A refunded payment cancels its membership; nothing later reactivates it."""
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if not _move(payment, Payment.Status.REFUNDED):
        return False
    payment.save(update_fields=["status"])
    membership = Membership.objects.select_for_update().get(pk=payment.membership_id)
    still_paid = membership.payments.filter(status=Payment.Status.SUCCEEDED).exists()
    if not still_paid and membership.status != Membership.Status.CANCELLED:
        membership.status = Membership.Status.CANCELLED
        membership.save(update_fields=["status"])
    return True


class MembershipNotPending(Exception):
    """The membership no longer waits for a payment (paid, cancelled or expired meanwhile)."""

    def __init__(self, membership):
        self.membership = membership
        super().__init__(
            _("L’adhésion « %(membership)s » n’attend pas de paiement (%(status)s).")
            % {"membership": membership, "status": membership.get_status_display()}
        )


# The admin's history names this action (members/wagtail_hooks.py registers its label).
RECORD_ACTION = "members.offline_payment"


def record_offline_payment(
    membership, *, method, amount_cents, received_at, recorded_by, quoted_reference=None
):
    """Staff record a transfer or a cheque they received: it activates the membership, and the
    admin's history keeps who recorded it (with the reference the member quoted, if given).

    The membership is locked and must still be pending (else MembershipNotPending): two staff
    members recording the same cheque at once make one payment."""
    if method not in (Payment.Method.TRANSFER, Payment.Method.CHEQUE):
        raise ValueError(_("Seuls les virements et les chèques s’enregistrent à la main."))
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.status != Membership.Status.PENDING:
            raise MembershipNotPending(locked)
        payment = locked.payments.filter(
            method=method, status=Payment.Status.PENDING
        ).first() or create_payment(locked, method)
        payment.amount_cents = amount_cents
        payment.save(update_fields=["amount_cents"])
        confirm_payment(payment.pk, received_at=received_at, recorded_by=recorded_by)
        payment.refresh_from_db()
        if quoted_reference is not None:
            log(
                payment,
                RECORD_ACTION,
                user=recorded_by,
                data={
                    "method": payment.method,
                    "amount_cents": payment.amount_cents,
                    "quoted_reference": quoted_reference,
                },
            )
    return payment
