"""Joining and paying in a real browser, as the issue describes it:

1. fill in the bulletin in Chromium (keyboard for the choices) and choose card;
2. the PaymentIntent now exists in localstripe;
3. it is paid server-side with the test card (Stripe.js cannot load here: the browser is not
   allowed to leave 127.0.0.1, and the page says the payment form could not load);
4. localstripe sends the signed `payment_intent.succeeded` webhook to the live server;
5. the membership is active, and the receipt PDF downloads from the portal.
"""

import io
import re
import time

from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from members import stripe_gateway
from members.models import Membership
from tests import stripe as stripe_helpers

PASSWORD = "un-mot-de-passe-solide-42"


def wait_for(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def test_join_pay_by_card_and_download_the_receipt(
    page, live_server, stripe_settings, stripe_server, axe, screenshot
):
    call_command("load_demo_content", verbosity=0)
    call_command("load_demo_members", verbosity=0)
    base = live_server.url.replace("localhost", "127.0.0.1")
    stripe_helpers.register_webhook(
        stripe_server,
        f"{base}/stripe/webhook/",
        events=["payment_intent.succeeded", "payment_intent.payment_failed"],
    )

    page.goto(base + "/adherer/bulletin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bulletin d’adhésion")
    assert axe(page) == []

    page.locator("#id_org-name").fill("La Ressourcerie du Lac")
    page.locator("#id_org-legal_form").select_option("association")
    page.locator("#id_org-rna").fill("W442777001")
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
    page.locator("#id_contact-email").fill("ines@ressourcerie.example.org")
    page.locator("#id_contact-role").select_option("treasurer")
    page.locator("#id_contact-password1").fill(PASSWORD)
    page.locator("#id_contact-password2").fill(PASSWORD)
    card = page.get_by_label("Carte bancaire")
    card.focus()
    page.keyboard.press("Space")
    expect(card).to_be_checked()
    for label in ("J’ai lu les statuts", "J’accepte que ces informations"):
        page.get_by_label(re.compile(label)).focus()
        page.keyboard.press("Space")
    page.get_by_role("button", name="Envoyer le bulletin").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Paiement de la cotisation")
    expect(page.locator("#payment-unavailable")).to_be_visible()  # Stripe.js was refused
    assert axe(page) == []
    screenshot(page, "membership-payment")

    membership = Membership.objects.get(organisation__rna="W442777001")
    assert membership.amount_cents == 30000
    payment = membership.payments.get()
    intent = stripe_gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    assert intent.amount == 30000 and intent.status == "requires_payment_method"

    stripe_helpers.pay_intent(stripe_gateway.client(), intent.id)

    def active():
        membership.refresh_from_db()
        return membership.status == Membership.Status.ACTIVE

    assert wait_for(active), "localstripe's webhook did not activate the membership"

    page.goto(f"{base}/espace-membre/adhesion/{membership.pk}/retour/")
    expect(page.locator("#payment-status")).to_contain_text("Paiement reçu")
    assert axe(page) == []
    receipt = payment.__class__.objects.get(pk=payment.pk).receipt

    page.goto(f"{base}/espace-membre/organisation/{membership.organisation_id}/")
    link = page.get_by_role("link", name=re.compile(re.escape(receipt.number)))
    with page.expect_download() as download_info:
        link.focus()
        page.keyboard.press("Enter")
    text = "".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(open(download_info.value.path(), "rb").read())).pages
    )
    assert receipt.number in text
    assert "300" in text and "€" in text
    assert "La Ressourcerie du Lac" in text


def test_transfer_instructions_and_cheque_bulletin_are_accessible(page, live_server, axe):
    call_command("load_demo_content", verbosity=0)
    call_command("load_demo_members", verbosity=0)
    from members.models import Contact
    from tests.members.factories import OrganisationFactory, UserFactory

    user = UserFactory(email="paul@velo.example.org")
    user.set_password(PASSWORD)
    user.save()
    organisation = OrganisationFactory(name="Atelier Vélo du Port", employees=0)
    Contact.objects.create(organisation=organisation, user=user, role="president")
    base = live_server.url
    page.goto(base + "/espace-membre/connexion/")
    page.get_by_label("Adresse e-mail").fill("paul@velo.example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace membre")

    page.goto(base + f"/espace-membre/organisation/{organisation.pk}/renouveler/")
    expect(page.locator("#id_org-name")).to_have_value("Atelier Vélo du Port")
    assert axe(page) == []
    page.get_by_label("Chèque").check()
    page.get_by_label(re.compile("J’ai lu les statuts")).check()
    page.get_by_label(re.compile("J’accepte que ces informations")).check()
    page.get_by_role("button", name="Envoyer le bulletin").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Payer par chèque")
    expect(page.get_by_text("Réseau Coup de Pousse – ESS Pays de la Loire").first).to_be_visible()
    assert axe(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("bulletin pré-rempli")).click()
    text = "".join(p.extract_text() for p in PdfReader(download_info.value.path()).pages)
    assert "Atelier Vélo du Port" in text and "ADH-" in text
    page.get_by_role("link", name="Payer plutôt par virement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Payer par virement")
    expect(page.get_by_text("FR7630006000011234567890189")).to_be_visible()
    assert axe(page) == []
