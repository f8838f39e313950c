"""The member portal in a real browser: log in with the keyboard alone, no serious a11y issue."""

import re

from playwright.sync_api import expect

from members.models import Contact
from tests.members.factories import OrganisationFactory, UserFactory

PASSWORD = "un-mot-de-passe-solide-42"


def test_member_logs_in_with_the_keyboard_and_sees_their_organisation(page, demo_server, axe):
    user = UserFactory(email="alice@jardins.example.org")
    user.set_password(PASSWORD)
    user.save()
    organisation = OrganisationFactory(name="Les Jardins Partagés")
    Contact.objects.create(organisation=organisation, user=user, role="president")

    page.goto(demo_server + "/espace-membre/")
    expect(page).to_have_url(re.compile(r"/espace-membre/connexion/"))
    assert axe(page) == []

    email = page.get_by_label("Adresse e-mail")
    email.focus()
    page.keyboard.type("alice@jardins.example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Espace membre")
    link = page.get_by_role("link", name="Les Jardins Partagés")
    expect(link).to_be_visible()
    assert axe(page) == []
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les Jardins Partagés")
    assert axe(page) == []
