"""Choosing how to pay is a POST: opening a link, even one sent from another site, never
withdraws a payment under way nor starts a new one (finding 7 of the security review)."""

import pytest
from django.test import Client

from members import stripe_gateway
from members.models import Payment

pytestmark = pytest.mark.django_db


def _urls(membership):
    base = f"/espace-membre/adhesion/{membership.pk}"
    return f"{base}/paiement/", f"{base}/virement-cheque/"


def test_a_link_with_moyen_cancels_nothing(client, member, stripe_settings):
    pay, offline = _urls(member)
    client.post(pay, {"moyen": "card"})
    client.get(pay)
    card = member.payments.get()
    assert card.stripe_payment_intent_id

    for link in (f"{offline}?moyen=cheque", f"{offline}?moyen=transfer", f"{pay}?moyen=sepa"):
        assert client.get(link).status_code == 200

    card.refresh_from_db()
    assert card.status == Payment.Status.PENDING
    assert member.payments.count() == 1
    intent = stripe_gateway.retrieve_payment_intent(card.stripe_payment_intent_id)
    assert intent.status != "canceled"


def test_without_a_pending_payment_the_pages_offer_buttons_and_write_nothing(
    client, member, stripe_settings
):
    pay, offline = _urls(member)
    html = client.get(pay).content.decode()
    assert "Comment souhaitez-vous payer ?" in html
    assert 'name="moyen" value="card"' in html and 'method="post"' in html
    html = client.get(offline).content.decode()
    assert "Payer par virement ou par chèque" in html
    assert 'name="moyen" value="cheque"' in html
    assert not member.payments.exists()


def test_the_buttons_choose_and_switch(client, member, stripe_settings):
    pay, offline = _urls(member)
    response = client.post(offline, {"moyen": "cheque"})
    assert response.status_code == 302 and response["Location"] == offline
    assert "Payer par chèque" in client.get(offline).content.decode()
    cheque = member.payments.get()
    assert cheque.method == "cheque"

    client.post(offline, {"moyen": "transfer"})
    cheque.refresh_from_db()
    assert cheque.status == Payment.Status.CANCELLED
    assert member.payments.get(status="pending").method == "transfer"


def test_clicking_twice_makes_one_payment(client, member, stripe_settings):
    pay, _ = _urls(member)
    client.post(pay, {"moyen": "card"})
    client.post(pay, {"moyen": "card"})
    assert member.payments.filter(status="pending").count() == 1


def test_a_cross_site_post_is_refused(member, stripe_settings):
    # A form on another site can make the browser POST, but not with our CSRF token.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member.organisation.contacts.get().user)
    _, offline = _urls(member)
    assert browser.post(offline, {"moyen": "cheque"}).status_code == 403
    assert not member.payments.exists()
