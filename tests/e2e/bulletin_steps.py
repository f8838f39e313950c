"""Steps the membership browser tests share: filling in the bulletin's organisation and contact,
and paying a card membership server-side as Stripe.js would (it cannot load here)."""

import time

from playwright.sync_api import expect

from members import stripe_gateway
from members.models import Membership
from tests import stripe as stripe_helpers


def fill_organisation_and_contact(page, *, name, rna, email, password):
    """A 12-employee association (the « De 10 à 49 salariés » tier, 300 €) and its treasurer,
    with an account and a password."""
    page.locator("#id_org-name").fill(name)
    page.locator("#id_org-legal_form").select_option("association")
    page.locator("#id_org-rna").fill(rna)
    page.locator("#id_org-address").fill("5 quai de la Loire")
    page.locator("#id_org-postal_code").fill("44200")
    page.locator("#id_org-city").fill("Nantes")
    page.locator("#id_org-departement").fill("44")
    page.locator("#id_org-employees").fill("12")
    page.locator("#id_org-budget_bracket").select_option("200000")
    # The tier is shown as soon as the size is known.
    expect(page.locator("#tier-estimate")).to_contain_text("De 10 à 49 salariés")
    page.locator("#id_contact-first_name").fill("Inès")
    page.locator("#id_contact-last_name").fill("Moreau")
    page.locator("#id_contact-email").fill(email)
    page.locator("#id_contact-role").select_option("treasurer")
    page.locator("#id_contact-password1").fill(password)
    page.locator("#id_contact-password2").fill(password)


def wait_for(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def pay_card_membership(rna, amount_cents):
    """The organisation's card payment: its intent exists in localstripe for the server's
    amount; it is paid server-side and localstripe's signed webhook activates the membership.
    Returns the payment."""
    membership = Membership.objects.get(organisation__rna=rna)
    assert membership.amount_cents == amount_cents
    payment = membership.payments.get()
    intent = stripe_gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    assert intent.amount == amount_cents and intent.status == "requires_payment_method"
    stripe_helpers.pay_intent(stripe_gateway.client(), intent.id)

    def active():
        membership.refresh_from_db()
        return membership.status == Membership.Status.ACTIVE

    assert wait_for(active), "localstripe's webhook did not activate the membership"
    return payment
