"""Payments move only forward, and confirming twice activates once."""

import datetime

import pytest
from django.utils import timezone

from demo.factories.members import OrganisationFactory, grid_2027
from members.models import Membership, Payment
from members.services import (
    confirm_payment,
    create_payment,
    fail_payment,
    record_offline_payment,
    refund_payment,
    start_membership,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership():
    return start_membership(OrganisationFactory(employees=4), grid_2027())


def test_a_new_membership_is_pending_at_the_grid_amount(membership):
    assert membership.status == Membership.Status.PENDING
    assert membership.amount_cents == 12000
    assert (membership.period_start, membership.period_end) == (
        datetime.date(2027, 1, 1),
        datetime.date(2027, 12, 31),
    )


def test_clicking_twice_makes_one_membership(membership):
    again = start_membership(membership.organisation, membership.tier.grid)
    assert again.pk == membership.pk
    assert Membership.objects.count() == 1


def test_confirming_twice_activates_once(membership):
    payment = create_payment(membership, Payment.Method.CARD, "pi_123")
    assert confirm_payment(payment.pk) is True
    first = Membership.objects.get(pk=membership.pk)
    assert first.status == Membership.Status.ACTIVE
    assert confirm_payment(payment.pk) is False  # the webhook, delivered a second time
    assert Membership.objects.get(pk=membership.pk).activated_at == first.activated_at


def test_a_late_success_after_a_refund_does_not_reactivate(membership):
    payment = create_payment(membership, Payment.Method.CARD, "pi_456")
    confirm_payment(payment.pk)
    assert refund_payment(payment.pk) is True
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.CANCELLED
    assert confirm_payment(payment.pk) is False
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.REFUNDED
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.CANCELLED


def test_a_failed_card_can_succeed_on_retry(membership):
    payment = create_payment(membership, Payment.Method.CARD, "pi_789")
    assert fail_payment(payment.pk) is True
    assert fail_payment(payment.pk) is False
    assert confirm_payment(payment.pk) is True
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.ACTIVE


def test_staff_record_a_cheque(membership, admin_user):
    received = timezone.now() - datetime.timedelta(days=2)
    payment = record_offline_payment(
        membership,
        method=Payment.Method.CHEQUE,
        amount_cents=12000,
        received_at=received,
        recorded_by=admin_user,
    )
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.recorded_by == admin_user
    assert payment.received_at == received
    assert payment.reference.startswith("ADH-2027-")
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.ACTIVE


def test_only_transfers_and_cheques_are_recorded_by_hand(membership, admin_user):
    with pytest.raises(ValueError, match="virements et les chèques"):
        record_offline_payment(
            membership,
            method=Payment.Method.CARD,
            amount_cents=12000,
            received_at=timezone.now(),
            recorded_by=admin_user,
        )
    assert not Payment.objects.exists()


def test_references_are_unique(membership):
    references = {create_payment(membership, Payment.Method.TRANSFER).reference for _ in range(30)}
    assert len(references) == 30


def test_a_membership_already_paid_takes_no_second_offline_payment(membership, admin_user):
    """The service locks the membership and checks it still waits: the admin's second click,
    or a colleague's, is told so and records nothing."""
    from members.services import MembershipNotPending

    record = dict(
        method=Payment.Method.CHEQUE,
        amount_cents=12000,
        received_at=timezone.now(),
        recorded_by=admin_user,
        quoted_reference="CHQ 1",
    )
    first = record_offline_payment(membership, **record)
    with pytest.raises(MembershipNotPending, match="n’attend pas de paiement \\(Active\\)"):
        record_offline_payment(membership, **record)
    assert list(Payment.objects.values_list("pk", flat=True)) == [first.pk]
    # The history keeps who recorded it and the reference the member quoted.
    from wagtail.models import ModelLogEntry

    entry = ModelLogEntry.objects.get(action="members.offline_payment")
    assert entry.user_id == admin_user.pk and entry.data["quoted_reference"] == "CHQ 1"
