"""Dues paid by SEPA direct debit: the bank takes days to say yes or no, and the intent stays
`processing` meanwhile. The membership is active only once the debit succeeded; a debit that
fails days later leaves the payment failed and the membership unpaid.

Real `stripe` SDK calls against localstripe on 127.0.0.1; events delivered as signed webhook
POSTs. localstripe cannot hold a SEPA intent in `processing`: a good IBAN succeeds at once (only
its webhook is delayed) and a failing one fails after half a second. So while the debit is under
way, and only then, `stripe_gateway.retrieve_payment_intent` is stubbed to read the intent as
Stripe has it during those days: `processing`.
"""

import contextlib
import time

import pytest
import stripe

from members import stripe_gateway
from members.models import Membership, Payment, Receipt
from tests.stripe import deliver

pytestmark = pytest.mark.django_db

GOOD_IBAN = "DE89370400440532013000"
FAILING_IBAN = "DE62370400440532013001"  # localstripe's IBAN whose debit fails


def choose_sepa(client, membership):
    """The member chooses « Prélèvement SEPA » (a POST) and lands on the payment page, which
    makes the intent."""
    url = f"/espace-membre/adhesion/{membership.pk}/paiement/"
    client.post(url, {"moyen": "sepa"})
    assert client.get(url).status_code == 200
    payment = membership.payments.get(status="pending")
    assert payment.method == Payment.Method.SEPA and payment.stripe_payment_intent_id
    return payment


def sign_mandate(intent_id, iban):
    """What Stripe.js does when the member gives an IBAN and accepts the mandate."""
    client = stripe_gateway.client()
    method = client.v1.payment_methods.create(
        params={
            "type": "sepa_debit",
            "sepa_debit": {"iban": iban},
            "billing_details": {"name": "Les Jardins Partagés", "email": "tresorier@example.org"},
        }
    )
    client.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
    return client.v1.payment_intents.confirm(intent_id)


@contextlib.contextmanager
def debit_under_way():
    """Within it, Stripe reads our intents as `processing` (see the module's docstring): the
    days between the mandate and the bank's answer."""
    real_retrieve = stripe_gateway.retrieve_payment_intent

    def processing(intent_id):
        intent = real_retrieve(intent_id)
        return stripe.PaymentIntent.construct_from(
            {
                "id": intent.id,
                "object": "payment_intent",
                "amount": intent.amount,
                "currency": intent.currency,
                "metadata": intent.metadata.to_dict(),
                "payment_method_types": ["sepa_debit"],
                "latest_charge": None,
                "status": "processing",
            },
            None,
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stripe_gateway, "retrieve_payment_intent", processing)
        yield


def wait_for_status(intent_id, status, timeout=10):
    """localstripe settles a SEPA debit in the background, half a second after the mandate."""
    deadline = time.monotonic() + timeout
    while stripe_gateway.retrieve_payment_intent(intent_id).status != status:
        assert time.monotonic() < deadline, f"{intent_id} never became {status}"
        time.sleep(0.1)


def assert_under_way_and_unpaid(client, membership, payment):
    """During the days of the debit: nothing active, no receipt, the member told the payment is
    under way, and no second debit offered."""
    membership.refresh_from_db()
    payment.refresh_from_db()
    assert membership.status == Membership.Status.PENDING
    assert payment.status == Payment.Status.PENDING
    assert not Receipt.objects.filter(payment=payment).exists()
    page = client.get(f"/espace-membre/adhesion/{membership.pk}/retour/").content.decode()
    assert "Paiement en cours de traitement" in page
    status = client.get(f"/espace-membre/adhesion/{membership.pk}/statut/").json()
    assert status["status"] == "processing"
    # Back on « Payer »: the page sends the member to the status, not to a second mandate.
    again = client.get(f"/espace-membre/adhesion/{membership.pk}/paiement/")
    assert again.status_code == 302
    assert again["Location"].endswith(f"/espace-membre/adhesion/{membership.pk}/retour/")
    assert membership.payments.count() == 1


def test_a_debit_is_not_active_while_processing_and_is_once_it_succeeded(
    client, member, stripe_settings, django_capture_on_commit_callbacks
):
    payment = choose_sepa(client, member)
    intent_id = payment.stripe_payment_intent_id
    sign_mandate(intent_id, GOOD_IBAN)

    with debit_under_way():
        response = deliver(client, "payment_intent.processing", {"id": intent_id}, "evt_processing")
        assert response.status_code == 200
        assert_under_way_and_unpaid(client, member, payment)

    # Days later the bank pays.
    assert stripe_gateway.retrieve_payment_intent(intent_id).status == "succeeded"
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, "payment_intent.succeeded", {"id": intent_id}, "evt_succeeded")

    assert response.status_code == 200
    member.refresh_from_db()
    payment.refresh_from_db()
    assert member.status == Membership.Status.ACTIVE
    assert payment.status == Payment.Status.SUCCEEDED and payment.stripe_charge_id
    assert Receipt.objects.filter(payment=payment).count() == 1


def test_a_debit_that_fails_days_later_leaves_the_membership_unpaid(
    client, member, stripe_settings
):
    payment = choose_sepa(client, member)
    intent_id = payment.stripe_payment_intent_id
    # localstripe's own word at the moment of the mandate: the debit is under way.
    assert sign_mandate(intent_id, FAILING_IBAN).status == "processing"

    with debit_under_way():
        response = deliver(client, "payment_intent.processing", {"id": intent_id}, "evt_processing")
        assert response.status_code == 200
        assert_under_way_and_unpaid(client, member, payment)

    # Days later the bank refuses the debit: the intent asks for another payment method.
    wait_for_status(intent_id, "requires_payment_method")
    response = deliver(client, "payment_intent.payment_failed", {"id": intent_id}, "evt_failed")

    assert response.status_code == 200
    member.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert member.status == Membership.Status.PENDING
    assert not Receipt.objects.filter(payment=payment).exists()
    page = client.get(f"/espace-membre/adhesion/{member.pk}/retour/").content.decode()
    assert "Le paiement a échoué" in page and "Réessayer le paiement" in page
    # Trying again makes a new attempt with its own intent; the failed one stays failed.
    retry = choose_sepa(client, member)
    assert retry.pk != payment.pk and retry.stripe_payment_intent_id != intent_id
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
