"""The member portal's forms in a real browser: password reset, organisation details and
contacts, each reached and submitted with the keyboard alone, with no serious a11y issue, also
when the form shows its errors."""

import re

from django.core import mail
from playwright.sync_api import expect

from demo.factories.members import OrganisationFactory, UserFactory, valid_siret
from members.models import Contact, Organisation
from tests.e2e.portal_steps import (
    PASSWORD,
    contact_who_logs_in,
    follow_with_keyboard,
    invitation_link,
    invite_with_keyboard,
    log_in_with_keyboard,
    type_credentials,
)

ALICE = "alice@jardins.example.org"


def make_member():
    organisation = OrganisationFactory(name="Les Jardins Partagés")
    contact_who_logs_in(ALICE, organisation, first_name="Alice", last_name="Martin")
    return organisation


def test_password_reset_with_the_keyboard(page, demo_server, axe):
    make_member()
    mail.outbox = []
    page.goto(demo_server + "/espace-membre/connexion/")
    # From the e-mail field: the password, the button, then the « forgotten » link.
    page.get_by_label("Adresse e-mail").focus()
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=re.compile("Mot de passe oublié"))).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe oublié")
    assert axe(page) == []
    page.get_by_label("Adresse e-mail").focus()
    page.keyboard.type("Alice@Jardins.example.org")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    assert axe(page) == []

    [message] = mail.outbox
    link = re.search(r"https?://\S+/mot-de-passe/nouveau/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir un mot de passe")
    assert axe(page) == []
    page.locator("#id_new_password1").focus()
    page.keyboard.type("court")
    page.keyboard.press("Tab")
    page.keyboard.type("autre")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Les deux mots de passe ne correspondent pas.")).to_be_visible()
    assert axe(page) == []  # the form with its errors

    new_password = "un-tout-nouveau-secret-2027"
    page.locator("#id_new_password1").focus()
    page.keyboard.type(new_password)
    page.keyboard.press("Tab")
    page.keyboard.type(new_password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe enregistré")
    assert axe(page) == []


def test_organisation_details_edited_with_the_keyboard(page, demo_server, axe):
    organisation = make_member()
    log_in_with_keyboard(page, demo_server, ALICE)
    follow_with_keyboard(page, page.get_by_role("link", name="Modifier les informations"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier les informations")
    assert axe(page) == []

    siret = page.get_by_label("SIRET")
    siret.focus()
    page.keyboard.type("12345678901234")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Rien n’a été enregistré")
    expect(page.get_by_text("Ce numéro SIRET n’existe pas")).to_have_count(2)
    expect(page.get_by_label("SIRET")).to_have_value("12345678901234")
    assert axe(page) == []  # the form with its errors

    # The summary's link leads to the field.
    follow_with_keyboard(page, page.get_by_role("link", name="SIRET"))
    expect(page).to_have_url(re.compile(r"#id_siret$"))
    page.get_by_label("SIRET").focus()
    page.keyboard.press("ControlOrMeta+a")
    good = valid_siret(1234)
    page.keyboard.type(good)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les Jardins Partagés")
    expect(
        page.get_by_text("Les informations de l’organisation sont enregistrées.")
    ).to_be_visible()
    assert Organisation.objects.get(pk=organisation.pk).siret == good
    assert axe(page) == []


def test_contacts_invited_revoked_and_removed_with_the_keyboard(page, demo_server, axe):
    organisation = make_member()
    denis = UserFactory(email="denis@jardins.example.org", first_name="Denis", last_name="Petit")
    Contact.objects.create(organisation=organisation, user=denis, role="secretary")
    mail.outbox = []
    log_in_with_keyboard(page, demo_server, ALICE)
    follow_with_keyboard(page, page.get_by_role("link", name="Contacts", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts")
    assert axe(page) == []

    invite_with_keyboard(page, "pas-une-adresse")
    expect(page.get_by_text("Saisissez une adresse e-mail valide")).to_have_count(2)
    assert axe(page) == []  # the form with its errors

    invite_with_keyboard(page, "chloe@jardins.example.org", "Chloé", "Bernard")
    expect(
        page.get_by_text("Une invitation a été envoyée à chloe@jardins.example.org.")
    ).to_be_visible()
    # Pending, not a contact yet (as for an address that has an account).
    expect(page.get_by_role("rowheader", name="chloe@jardins.example.org")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Chloé Bernard")).to_have_count(0)
    assert axe(page) == []
    assert [m.to for m in mail.outbox] == [["chloe@jardins.example.org"]]

    # The invitation is revoked with the keyboard: its link no longer serves.
    revoke = page.get_by_role("button", name="Révoquer l’invitation de chloe@jardins.example.org")
    revoke.focus()
    expect(revoke).to_be_focused()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("L’invitation de chloe@jardins.example.org est révoquée")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Invitations en attente")).to_have_count(0)
    assert axe(page) == []
    page.goto(invitation_link(mail.outbox[0]))
    expect(page.get_by_role("alert")).to_contain_text("Cette invitation a été annulée")
    page.go_back()

    # Removing asks for a confirmation, in a disclosure opened with the keyboard.
    summary = page.locator("summary", has_text="Retirer Denis Petit")
    summary.focus()
    page.keyboard.press("Enter")
    confirm = page.get_by_role("button", name="Confirmer le retrait de Denis Petit")
    expect(confirm).to_be_visible()
    page.keyboard.press("Tab")
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Denis Petit n’est plus contact de l’organisation.")).to_be_visible()
    expect(page.get_by_text("Seul contact")).to_be_visible()
    assert axe(page) == []


def test_an_existing_account_accepts_its_invitation_with_the_keyboard(page, demo_server, axe):
    organisation = make_member()
    velo = OrganisationFactory(name="Atelier Vélo")
    bob = contact_who_logs_in(
        "bob@velo.example.org", velo, role="treasurer", first_name="Bob", last_name="Durand"
    )
    mail.outbox = []
    log_in_with_keyboard(page, demo_server, ALICE)
    follow_with_keyboard(page, page.get_by_role("link", name="Contacts", exact=True))
    invite_with_keyboard(page, "bob@velo.example.org")
    expect(page.get_by_text("Une invitation a été envoyée à bob@velo.example.org.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Bob Durand")).to_have_count(0)
    [message] = mail.outbox
    link = invitation_link(message)

    # Alice opens Bob's link: it is not hers, and the page says how to change accounts.
    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("envoyée à une autre adresse")
    assert axe(page) == []
    switch = page.get_by_role("button", name="Me déconnecter et changer de compte")
    switch.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(
        re.compile(r"/espace-membre/connexion/\?next=%2Fespace-membre%2Finvitation%2F")
    )
    type_credentials(page, "bob@velo.example.org")

    # Back on the invitation, as Bob: one confirmation, with the keyboard.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Devenir contact de Les Jardins Partagés"
    )
    expect(page.get_by_text("Alice Martin vous invite")).to_be_visible()
    assert axe(page) == []
    accept = page.get_by_role("button", name="Accepter l’invitation")
    accept.focus()
    expect(accept).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les Jardins Partagés")
    expect(
        page.get_by_text("Vous êtes maintenant contact de Les Jardins Partagés.")
    ).to_be_visible()
    assert axe(page) == []
    assert organisation.contacts.filter(user=bob, role="president").exists()

    # The link again: already done.
    page.goto(link)
    expect(page.get_by_text("Vous êtes déjà contact de Les Jardins Partagés")).to_be_visible()
    assert axe(page) == []
    assert organisation.contacts.filter(user=bob).count() == 1


def test_a_new_address_accepts_its_invitation_with_the_keyboard(page, demo_server, axe):
    organisation = make_member()
    mail.outbox = []
    log_in_with_keyboard(page, demo_server, ALICE)
    follow_with_keyboard(page, page.get_by_role("link", name="Contacts", exact=True))
    invite_with_keyboard(page, "chloe@jardins.example.org", "Chloé")
    expect(page.get_by_text("Une invitation a été envoyée")).to_be_visible()
    [message] = mail.outbox
    link = invitation_link(message)
    page.context.clear_cookies()  # Chloé, in her own browser

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Devenir contact de Les Jardins Partagés"
    )
    expect(page.get_by_label("Prénom")).to_have_value("Chloé")
    assert axe(page) == []
    page.locator("#id_last_name").focus()
    page.keyboard.type("Bernard")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les Jardins Partagés")
    expect(
        page.get_by_text("Vous êtes maintenant contact de Les Jardins Partagés.")
    ).to_be_visible()
    assert axe(page) == []
    assert organisation.contacts.filter(user__email="chloe@jardins.example.org").exists()
