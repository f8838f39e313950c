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

from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from demo.factories.members import OrganisationFactory
from tests import stripe as stripe_helpers
from tests.e2e.bulletin_steps import fill_organisation_and_contact, pay_card_membership
from tests.e2e.portal_steps import contact_who_logs_in, log_in

PASSWORD = "un-mot-de-passe-solide-42"


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

    fill_organisation_and_contact(
        page, name="La Ressourcerie du Lac", rna="W442777001",
        email="ines@ressourcerie.example.org", password=PASSWORD,
    )  # fmt: skip
    card = page.get_by_label("Carte bancaire")
    card.focus()
    page.keyboard.press("Space")
    expect(card).to_be_checked()
    for label in ("J’ai lu les statuts", "J’ai lu comment le réseau utilise ces informations"):
        page.get_by_label(re.compile(label)).focus()
        page.keyboard.press("Space")
    page.get_by_role("button", name="Envoyer le bulletin").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Paiement de la cotisation")
    expect(page.locator("#payment-unavailable")).to_be_visible()  # Stripe.js was refused
    assert axe(page) == []
    screenshot(page, "membership-payment")

    payment = pay_card_membership("W442777001", 30000)
    membership = payment.membership

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
    organisation = OrganisationFactory(name="Atelier Vélo du Port", employees=0)
    contact_who_logs_in("paul@velo.example.org", organisation, is_primary=False)
    base = live_server.url
    log_in(page, base, "paul@velo.example.org")

    page.goto(base + f"/espace-membre/organisation/{organisation.pk}/renouveler/")
    expect(page.locator("#id_org-name")).to_have_value("Atelier Vélo du Port")
    assert axe(page) == []
    page.get_by_label("Chèque").check()
    page.get_by_label(re.compile("J’ai lu les statuts")).check()
    page.get_by_label(re.compile("J’ai lu comment le réseau utilise ces informations")).check()
    page.get_by_role("button", name="Envoyer le bulletin").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Payer par chèque")
    expect(page.get_by_text("Réseau Coup de Pousse – ESS Pays de la Loire").first).to_be_visible()
    assert axe(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("bulletin pré-rempli")).click()
    text = "".join(p.extract_text() for p in PdfReader(download_info.value.path()).pages)
    assert "Atelier Vélo du Port" in text and "ADH-" in text
    page.get_by_role("button", name="Payer plutôt par virement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Payer par virement")
    expect(page.get_by_text("FR7630006000011234567890189")).to_be_visible()
    assert axe(page) == []
