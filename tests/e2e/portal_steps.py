"""Steps of the member portal the browser tests share: a user or a contact who can log in,
logging in with the mouse or with the keyboard alone, following a link with the keyboard, and
inviting a contact from the « Contacts » page with the keyboard."""

import re

from playwright.sync_api import expect

from demo.factories.awards import PASSWORD, make_user
from members.models import Contact


def user_who_logs_in(email, **fields):
    """A user of that address with PASSWORD (the shared factories' one)."""
    return make_user(email=email, username=email, **fields)


def contact_who_logs_in(email, organisation, *, role="president", is_primary=True, **fields):
    """A user with PASSWORD, contact of `organisation`; returns the user."""
    user = user_who_logs_in(email, **fields)
    Contact.objects.create(organisation=organisation, user=user, role=role, is_primary=is_primary)
    return user


def log_in(page, base_url, email):
    """The login page's form filled in and sent with Enter: the portal's home."""
    page.goto(base_url + "/espace-membre/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace membre")


def log_in_with_keyboard(page, base_url, email):
    page.goto(base_url + "/espace-membre/connexion/")
    type_credentials(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace membre")


def type_credentials(page, email):
    """On the login page, with the keyboard alone: the address, Tab, the password, Enter."""
    page.get_by_label("Adresse e-mail").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def follow_with_keyboard(page, link):
    link.focus()
    expect(link).to_be_focused()
    page.keyboard.press("Enter")


def invite_with_keyboard(page, email, *names):
    """The « Contacts » page's add form, with the keyboard alone: the address (replacing what the
    field holds), then the given first and last names, each a Tab further, sent with Enter."""
    add_form = page.locator("form", has=page.get_by_role("button", name="Ajouter le contact"))
    add_form.get_by_label("Adresse e-mail").focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(email)
    for name in names:
        page.keyboard.press("Tab")
        page.keyboard.type(name)
    page.keyboard.press("Enter")


def invitation_link(message):
    return re.search(r"https?://\S+/espace-membre/invitation/\S+/", message.body).group(0)
