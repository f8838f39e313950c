"""Dues paid online: PaymentIntents created by the server, the signed webhook as the source of
truth. Real `stripe` SDK calls against localstripe on 127.0.0.1; webhooks are signed with the
test secret exactly as Stripe signs them."""

import pytest
import stripe
from django.core import mail

from demo.factories.members import OrganisationFactory, UserFactory
from members import stripe_gateway
from members.models import Contact, Membership, Payment, Receipt, StripeEvent
from members.services import payment_for, start_membership
from tests import stripe as stripe_helpers
from tests.stripe import WEBHOOK, deliver

pytestmark = pytest.mark.django_db


def open_payment_page(client, membership, method="card"):
    """« Payer par carte » (a POST that starts the payment), then the payment page it leads to."""
    url = f"/espace-membre/adhesion/{membership.pk}/paiement/"
    assert client.post(url, {"moyen": method})["Location"] == url
    response = client.get(url)
    assert response.status_code == 200
    payment = membership.payments.get(method=method, status="pending")
    return response, payment


def pay_and_notify(client, payment, django_capture_on_commit_callbacks, event_id="evt_paid"):
    stripe_helpers.pay_intent(stripe_gateway.client(), payment.stripe_payment_intent_id)
    return notify(client, payment, django_capture_on_commit_callbacks, event_id)


def notify(client, payment, django_capture_on_commit_callbacks, event_id="evt_paid"):
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(
            client, "payment_intent.succeeded", {"id": payment.stripe_payment_intent_id}, event_id
        )
    return response


def test_the_payment_page_creates_one_intent_for_the_server_amount(client, member, stripe_settings):
    response, payment = open_payment_page(client, member)
    html = response.content.decode()

    intent = stripe_gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    assert intent.amount == 30000 == member.amount_cents
    assert intent.metadata["membership_id"] == str(member.pk)
    assert f'data-client-secret="{intent.client_secret}"' in html
    assert "https://js.stripe.com" in response["Content-Security-Policy"]
    # Reloading the page (or a double click) reuses the payment and its intent.
    open_payment_page(client, member)
    assert member.payments.count() == 1
    assert member.payments.get().stripe_payment_intent_id == intent.id


def test_a_signed_success_activates_once_with_one_receipt_and_one_email(
    client, member, stripe_settings, django_capture_on_commit_callbacks
):
    _, payment = open_payment_page(client, member)
    mail.outbox.clear()

    assert pay_and_notify(client, payment, django_capture_on_commit_callbacks).status_code == 200
    # The same event delivered again changes nothing.
    assert notify(client, payment, django_capture_on_commit_callbacks).status_code == 200

    member.refresh_from_db()
    payment.refresh_from_db()
    assert member.status == Membership.Status.ACTIVE
    assert payment.status == Payment.Status.SUCCEEDED and payment.stripe_charge_id
    assert Payment.objects.filter(membership=member).count() == 1
    assert StripeEvent.objects.filter(event_id="evt_paid").count() == 1
    assert Receipt.objects.filter(payment=payment).count() == 1
    assert len(mail.outbox) == 1
    # The return page now says so, and links the receipt.
    page = client.get(f"/espace-membre/adhesion/{member.pk}/retour/").content.decode()
    assert "Paiement reçu" in page and payment.receipt.number in page


def test_the_return_page_says_processing_until_the_webhook(client, member, stripe_settings):
    _, payment = open_payment_page(client, member)
    stripe_helpers.pay_intent(stripe_gateway.client(), payment.stripe_payment_intent_id)

    page = client.get(f"/espace-membre/adhesion/{member.pk}/retour/?redirect_status=succeeded")
    status = client.get(f"/espace-membre/adhesion/{member.pk}/statut/").json()

    assert "Paiement en cours de traitement" in page.content.decode()
    assert status["status"] == "processing"
    member.refresh_from_db()
    assert member.status == Membership.Status.PENDING


def test_bad_or_missing_signature_answers_400_and_changes_nothing(client, member, stripe_settings):
    _, payment = open_payment_page(client, member)
    stripe_helpers.pay_intent(stripe_gateway.client(), payment.stripe_payment_intent_id)
    obj = {"id": payment.stripe_payment_intent_id}

    forged = deliver(client, "payment_intent.succeeded", obj, secret="whsec_someone_else")
    payload, _sig = stripe_helpers.signed_event("payment_intent.succeeded", obj)
    unsigned = client.post(WEBHOOK, payload, content_type="application/json")
    stale = deliver(client, "payment_intent.succeeded", obj, timestamp=1_000_000_000)

    assert (forged.status_code, unsigned.status_code, stale.status_code) == (400, 400, 400)
    member.refresh_from_db()
    assert member.status == Membership.Status.PENDING
    assert not StripeEvent.objects.exists()


def test_an_unknown_event_type_answers_200_and_changes_nothing(client, member, stripe_settings):
    response = deliver(client, "customer.created", {"id": "cus_123"})
    assert response.status_code == 200
    assert not StripeEvent.objects.exists()


def test_a_late_success_after_a_refund_does_not_reactivate(
    client, member, stripe_settings, django_capture_on_commit_callbacks
):
    _, payment = open_payment_page(client, member)
    pay_and_notify(client, payment, django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    stripe_gateway.refund(payment)

    refunded = deliver(client, "charge.refunded", {"id": payment.stripe_charge_id}, "evt_refund")
    late = deliver(
        client, "payment_intent.succeeded", {"id": payment.stripe_payment_intent_id}, "evt_late"
    )

    assert refunded.status_code == late.status_code == 200
    payment.refresh_from_db()
    member.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert member.status == Membership.Status.CANCELLED


def test_a_declined_card_marks_the_payment_failed_and_offers_a_retry(
    client, member, stripe_settings
):
    _, payment = open_payment_page(client, member)
    with pytest.raises(stripe.CardError):  # a card that attaches but whose charge is declined
        stripe_helpers.pay_intent(
            stripe_gateway.client(), payment.stripe_payment_intent_id, card="4000000000000341"
        )
    intent = stripe_gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    assert intent.status == "requires_payment_method"
    deliver(client, "payment_intent.payment_failed", {"id": payment.stripe_payment_intent_id})

    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    page = client.get(f"/espace-membre/adhesion/{member.pk}/retour/").content.decode()
    assert "Le paiement a échoué" in page and "Réessayer le paiement" in page


def test_with_stripe_unreachable_the_member_is_told_and_can_retry(
    client, member, stripe_down, stripe_server
):
    url = f"/espace-membre/adhesion/{member.pk}/paiement/"
    response = client.post(url, {"moyen": "card"})

    assert response.status_code == 503
    html = response.content.decode()
    assert "Le service de paiement en ligne ne répond pas" in html
    assert "rien n’est perdu" in html
    assert 'name="moyen" value="card"' in html  # « Réessayer » posts again
    payment = member.payments.get()
    assert payment.status == "pending" and payment.stripe_payment_intent_id is None
    member.refresh_from_db()
    assert member.status == Membership.Status.PENDING
    # The payment page (a GET) opens nothing at Stripe: it offers the buttons again.
    assert "Comment souhaitez-vous payer ?" in client.get(url).content.decode()

    # Stripe is back: « Réessayer » gives the same payment its intent.
    stripe_down.STRIPE_API_BASE = stripe_server
    stripe_down.STRIPE_SECRET_KEY = stripe_helpers.TEST_SECRET_KEY
    assert client.post(url, {"moyen": "card"})["Location"] == url
    assert client.get(url).status_code == 200
    payment.refresh_from_db()
    assert payment.stripe_payment_intent_id and member.payments.count() == 1


def test_a_webhook_that_cannot_reread_the_intent_asks_stripe_to_retry(
    client, member, stripe_settings, stripe_down, django_capture_on_commit_callbacks
):
    # stripe_down came last: keys point at a closed port, but the webhook secret is the test
    # one again so that the signature is good.
    stripe_down.STRIPE_WEBHOOK_SECRET = stripe_helpers.TEST_WEBHOOK_SECRET
    payment = payment_for(member, "card")
    payment.stripe_payment_intent_id = "pi_unreachable"
    payment.save()

    response = deliver(client, "payment_intent.succeeded", {"id": "pi_unreachable"}, "evt_retry")

    assert response.status_code == 503
    assert not StripeEvent.objects.filter(event_id="evt_retry").exists()
    member.refresh_from_db()
    assert member.status == Membership.Status.PENDING


def test_an_intent_created_elsewhere_is_ignored(client, member, stripe_settings):
    intent = stripe_gateway.client().v1.payment_intents.create(
        params={"amount": 500, "currency": "eur", "payment_method_types": ["card"]}
    )
    stripe_helpers.pay_intent(stripe_gateway.client(), intent.id)
    assert deliver(client, "payment_intent.succeeded", {"id": intent.id}).status_code == 200
    member.refresh_from_db()
    assert member.status == Membership.Status.PENDING


def test_another_member_gets_404_on_every_payment_page(client, member, stripe_settings):
    client.force_login(UserFactory())
    for suffix in ("paiement/", "retour/", "statut/", "virement-cheque/", "bulletin.pdf"):
        response = client.get(f"/espace-membre/adhesion/{member.pk}/{suffix}")
        assert response.status_code == 404, suffix
    renew = client.get(f"/espace-membre/organisation/{member.organisation_id}/renouveler/")
    assert renew.status_code == 404
    assert not member.payments.exists()


def test_switching_method_withdraws_the_other_pending_payments(client, member, stripe_settings):
    _, card = open_payment_page(client, member)
    client.post(f"/espace-membre/adhesion/{member.pk}/virement-cheque/", {"moyen": "transfer"})

    card.refresh_from_db()
    intent = stripe_gateway.retrieve_payment_intent(card.stripe_payment_intent_id)
    assert card.status == Payment.Status.CANCELLED and intent.status == "canceled"
    transfer = member.payments.get(status="pending")
    assert transfer.method == "transfer"

    # Back to the card: the transfer is withdrawn, a new intent is made; one payment is open.
    open_payment_page(client, member)
    transfer.refresh_from_db()
    assert transfer.status == Payment.Status.CANCELLED
    assert member.payments.filter(status="pending").count() == 1


def test_a_payment_under_way_at_stripe_is_not_withdrawn(client, member, stripe_settings):
    _, card = open_payment_page(client, member)
    stripe_helpers.pay_intent(stripe_gateway.client(), card.stripe_payment_intent_id)

    client.post(f"/espace-membre/adhesion/{member.pk}/virement-cheque/", {"moyen": "cheque"})

    card.refresh_from_db()
    assert card.status == Payment.Status.PENDING  # its webhook will confirm it


def test_without_a_webhook_secret_online_payment_is_not_offered(client, member, stripe_settings):
    stripe_settings.STRIPE_WEBHOOK_SECRET = ""
    response = client.get(f"/espace-membre/adhesion/{member.pk}/paiement/")
    assert response.status_code == 302 and "virement-cheque" in response["Location"]
    assert deliver(client, "payment_intent.succeeded", {"id": "pi_x"}).status_code == 404


def test_a_past_year_can_no_longer_be_paid(client, stripe_settings):
    from members import renewals

    user = UserFactory()
    organisation = OrganisationFactory()
    Contact.objects.create(organisation=organisation, user=user, role="president")
    from demo.factories.members import make_grid

    old = start_membership(organisation, make_grid(renewals.open_years()[0] - 1))
    client.force_login(user)
    for suffix in ("paiement/", "virement-cheque/"):
        response = client.get(f"/espace-membre/adhesion/{old.pk}/{suffix}", follow=True)
        assert "ne peut plus être réglée" in response.content.decode()
    assert not old.payments.exists()


def test_a_plain_staff_account_sees_no_other_organisation(client, member, stripe_settings):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(f"/espace-membre/adhesion/{member.pk}/retour/").status_code == 404
