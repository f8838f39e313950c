"""The gateway against localstripe: real SDK calls, real HTTP on 127.0.0.1."""

import pytest

from demo.factories.members import OrganisationFactory, grid_2027
from members import stripe_gateway
from members.services import create_payment, start_membership
from tests import stripe as stripe_helpers

pytestmark = pytest.mark.django_db


def test_payment_intent_carries_the_server_amount_and_names_the_membership(stripe_settings):
    grid = grid_2027()
    membership = start_membership(OrganisationFactory(employees=3), grid)
    payment = create_payment(membership, "card")

    intent = stripe_gateway.create_payment_intent(payment)

    assert intent.amount == membership.amount_cents
    assert intent.currency == "eur"
    assert intent.metadata["payment_id"] == str(payment.pk)
    assert intent.metadata["membership_id"] == str(membership.pk)
    paid = stripe_helpers.pay_intent(stripe_gateway.client(), intent.id)
    assert paid.status == "succeeded"
    refund = stripe_gateway.refund(
        payment.__class__(pk=payment.pk, stripe_payment_intent_id=intent.id)
    )
    assert refund.status == "succeeded"


def test_unreachable_stripe_raises_a_clear_error(stripe_down):
    grid = grid_2027()
    payment = create_payment(start_membership(OrganisationFactory(), grid), "card")

    with pytest.raises(stripe_gateway.StripeUnavailable):
        stripe_gateway.create_payment_intent(payment)
