"""The member portal in a real browser: log in with the keyboard alone, no serious a11y issue."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from demo.factories.members import OrganisationFactory, grid_2027
from members.models import Payment, Receipt
from members.services import start_membership
from tests.e2e.portal_steps import contact_who_logs_in, follow_with_keyboard, type_credentials


def test_member_logs_in_with_the_keyboard_and_sees_their_organisation(page, demo_server, axe):
    organisation = OrganisationFactory(name="Les Jardins Partagés")
    contact_who_logs_in("alice@jardins.example.org", organisation, is_primary=False)
    membership = start_membership(organisation, grid_2027())
    paid = Payment.objects.create(
        membership=membership,
        method="cheque",
        amount_cents=6000,
        reference="ADH-2027-1",
        status="succeeded",
        received_at=timezone.now(),
    )
    Receipt.objects.create(payment=paid, year=2027, sequence=1, number="2027-0001")
    Payment.objects.create(
        membership=membership, method="transfer", amount_cents=6000, reference="ADH-2027-2"
    )

    page.goto(demo_server + "/espace-membre/")
    expect(page).to_have_url(re.compile(r"/espace-membre/connexion/"))
    assert axe(page) == []

    type_credentials(page, "alice@jardins.example.org")

    expect(page.get_by_role("heading", level=1)).to_have_text("Espace membre")
    link = page.get_by_role("link", name="Les Jardins Partagés")
    expect(link).to_be_visible()
    assert axe(page) == []
    follow_with_keyboard(page, link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Les Jardins Partagés")
    expect(page.get_by_role("link", name="Télécharger le reçu 2027-0001")).to_be_visible()
    expect(page.get_by_role("link", name="Payer l’adhésion 2027").first).to_be_visible()
    assert axe(page) == []

    follow_with_keyboard(page, page.get_by_role("link", name="Changer mon mot de passe"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Changer mon mot de passe")
    assert axe(page) == []
