"""Adding a contact by e-mail never attaches an existing account: its owner is invited, and becomes
a contact only by accepting, logged in with that account, within a week, once. Staff accounts are
never invited, and the page answers the same whatever the address. A mail server that is down
costs nothing already saved."""

import re
import time
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core import signing
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from home.models import SiteIdentity
from members import views
from members.models import Contact

from .factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SENT = "Une invitation a été envoyée à {}."


@pytest.fixture
def alice():
    user = UserFactory(
        email="alice@jardins.example.org", first_name="Alice", last_name="Martin", username="alice"
    )
    organisation = OrganisationFactory(name="Les Jardins Partagés", rna="W442000001")
    Contact.objects.create(organisation=organisation, user=user, role="president", is_primary=True)
    return user


@pytest.fixture
def jardins(alice):
    return alice.member_contacts.get().organisation


@pytest.fixture
def bob():
    """An account of another organisation's contact."""
    user = UserFactory(email="bob@velo.example.org", first_name="Bob", last_name="Durand")
    organisation = OrganisationFactory(name="Atelier Vélo", rna="W442000002")
    Contact.objects.create(organisation=organisation, user=user, role="treasurer", is_primary=True)
    return user


@pytest.fixture
def member(client, alice):
    client.force_login(alice)
    return client


class FailingEmailBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def add(client, organisation, email, role="secretary", phone="", capture=None):
    url = reverse("members:contact_add", args=[organisation.pk])
    data = {"new-email": email, "new-role": role, "new-phone": phone}
    if capture is None:
        return client.post(url, data)
    with capture(execute=True):
        return client.post(url, data)


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def invitation_path(message):
    return re.search(r"https?://[^/\s]+(/espace-membre/invitation/[^/\s]+/)", message.body).group(1)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def invitation(member, jardins, bob, mailoutbox):
    """Alice invites Bob to Les Jardins Partagés; the link's path."""
    response = add(member, jardins, "BOB@velo.example.org", phone="02 40 12 34 56")
    assert response.status_code == 302
    [message] = mailoutbox
    return invitation_path(message)


# --- Adding an existing account invites it -----------------------------------------------------


def test_an_existing_account_is_invited_not_attached(
    member, jardins, bob, mailoutbox, django_capture_on_commit_callbacks
):
    response = add(
        member, jardins, "BOB@velo.example.org", capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:contacts", args=[jardins.pk])
    assert not jardins.contacts.filter(user=bob).exists()
    assert User.objects.filter(email__iexact="bob@velo.example.org").count() == 1
    assert messages_of(response) == [("success", SENT.format("BOB@velo.example.org"))]

    [message] = mailoutbox
    assert message.to == ["bob@velo.example.org"]
    assert message.subject == (
        "Invitation à devenir contact de Les Jardins Partagés dans l’espace membre"
    )
    assert "Alice Martin vous invite à devenir contact de « Les Jardins Partagés »" in message.body
    assert "(Secrétaire)" in message.body
    assert "valable 7 jours" in message.body
    assert "/espace-membre/mot-de-passe/oublie/" in message.body
    # No password link: nobody but the owner starts a reset of their account.
    assert "/mot-de-passe/nouveau/" not in message.body
    assert invitation_path(message).startswith("/espace-membre/invitation/")

    # The page lists only the contacts there are.
    page = member.get(response["Location"]).content.decode()
    assert "bob@velo.example.org" not in page
    # Bob still sees only his own organisation.
    assert "Les Jardins Partagés" not in logged_in(bob).get("/espace-membre/").content.decode()


def test_the_answer_is_the_same_for_a_new_address(
    member, jardins, bob, mailoutbox, django_capture_on_commit_callbacks
):
    new = add(member, jardins, "chloe@example.org", capture=django_capture_on_commit_callbacks)
    existing = add(member, jardins, "bob@velo.example.org")
    assert (new.status_code, new["Location"]) == (existing.status_code, existing["Location"])
    assert messages_of(new) == [("success", SENT.format("chloe@example.org"))]
    assert messages_of(existing) == [("success", SENT.format("bob@velo.example.org"))]
    assert [m.to for m in mailoutbox] == [["chloe@example.org"], ["bob@velo.example.org"]]


@pytest.mark.parametrize(
    "account",
    [{"is_staff": True}, {"is_superuser": True}, {"is_staff": True, "is_superuser": True},
     {"is_active": False}],
    ids=["staff", "superuser", "both", "inactive"],
)  # fmt: skip
def test_staff_accounts_are_never_invited_and_the_page_does_not_say_so(
    member, jardins, mailoutbox, django_capture_on_commit_callbacks, account
):
    staff = UserFactory(email="juree@reseau.example.org", **account)
    response = add(
        member, jardins, "Juree@reseau.example.org", capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert messages_of(response) == [("success", SENT.format("Juree@reseau.example.org"))]
    assert mailoutbox == []
    assert not Contact.objects.filter(user=staff).exists()


# --- Accepting ---------------------------------------------------------------------------------


def test_the_invited_person_accepts_once(jardins, bob, invitation):
    anonymous = Client().get(invitation)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("members:login") + "?next=")

    client = logged_in(bob)
    page = client.get(invitation)
    assert page.status_code == 200
    assert "no-cache" in page["Cache-Control"]
    html = page.content.decode()
    assert "Alice Martin vous invite à devenir contact de Les Jardins Partagés" in html
    assert "comme Secrétaire" in html
    assert "Accepter l’invitation" in html
    assert not jardins.contacts.filter(user=bob).exists()  # looking changes nothing

    response = client.post(invitation)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:organisation", args=[jardins.pk])
    contact = jardins.contacts.get(user=bob)
    assert (contact.role, contact.phone, contact.is_primary) == (
        "secretary",
        "02 40 12 34 56",
        False,
    )
    detail = client.get(response["Location"]).content.decode()
    assert "Vous êtes maintenant contact de Les Jardins Partagés." in detail

    # The same link again: already done, nothing doubled.
    for again in (client.get(invitation), client.post(invitation)):
        assert again.status_code == 200
        assert "Vous êtes déjà contact de Les Jardins Partagés" in again.content.decode()
    assert jardins.contacts.filter(user=bob).count() == 1


def test_the_email_may_differ_in_case(jardins, bob, invitation):
    User.objects.filter(pk=bob.pk).update(email="Bob@Velo.example.org")
    bob.refresh_from_db()
    assert logged_in(bob).post(invitation).status_code == 302
    assert jardins.contacts.filter(user=bob).exists()


def test_another_account_cannot_use_the_link(alice, jardins, bob, invitation):
    eve = UserFactory(email="eve@example.org")
    for user in (eve, alice):
        client = logged_in(user)
        for response in (client.get(invitation), client.post(invitation)):
            assert response.status_code == 403
            html = response.content.decode()
            assert "Cette invitation a été envoyée à une autre adresse" in html
            assert user.email in html
            assert "Accepter l’invitation" not in html
    assert jardins.contacts.count() == 1
    assert not Contact.objects.filter(user=eve).exists()


def test_an_account_given_the_invited_address_later_cannot_use_it(jardins, bob, invitation):
    """The link names the account, not only the address."""
    User.objects.filter(pk=bob.pk).update(email="bob@ailleurs.example.org")
    newcomer = UserFactory(email="bob@velo.example.org")
    assert logged_in(newcomer).post(invitation).status_code == 403
    assert not jardins.contacts.filter(user=newcomer).exists()


def test_the_link_expires_after_seven_days(jardins, bob, invitation):
    client = logged_in(bob)
    fake_time = mock.Mock()
    with mock.patch("django.core.signing.time", fake_time):
        fake_time.time.return_value = time.time() + 6 * 86400
        assert client.get(invitation).status_code == 200
        fake_time.time.return_value = time.time() + 7 * 86400 + 60
        for response in (client.get(invitation), client.post(invitation)):
            assert response.status_code == 410
            html = response.content.decode()
            assert "Cette invitation a expiré." in html
            assert "Accepter l’invitation" not in html
    assert not jardins.contacts.filter(user=bob).exists()


def test_an_altered_link_does_nothing(jardins, bob, alice):
    client = logged_in(bob)
    forged = signing.dumps(
        {"o": jardins.pk, "u": bob.pk, "e": bob.email, "r": "president", "p": "", "b": alice.pk},
        salt="another.salt",
    )
    for token in (forged, "pas-un-jeton"):
        url = reverse("members:invitation_accept", args=[token])
        response = client.post(url)
        assert response.status_code == 400
        assert "Ce lien d’invitation n’est pas valide." in response.content.decode()
    assert not jardins.contacts.filter(user=bob).exists()


def test_accepting_needs_a_csrf_token(jardins, bob, invitation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    assert client.post(invitation).status_code == 403
    assert not jardins.contacts.filter(user=bob).exists()


def test_an_erased_organisation_cannot_be_joined(jardins, bob, invitation):
    type(jardins).objects.filter(pk=jardins.pk).update(pseudonymised_at=timezone.now())
    response = logged_in(bob).post(invitation)
    assert response.status_code == 404
    assert "Cette organisation n’existe plus." in response.content.decode()
    assert not jardins.contacts.filter(user=bob).exists()


def test_an_account_made_staff_since_cannot_accept(jardins, bob, invitation):
    User.objects.filter(pk=bob.pk).update(is_staff=True)
    bob.refresh_from_db()
    response = logged_in(bob).post(invitation)
    assert response.status_code == 403
    assert "ne peut pas être rattaché" in response.content.decode()
    assert not jardins.contacts.filter(user=bob).exists()


def test_the_token_carries_a_role_of_the_list_only(jardins, bob, alice):
    token = views.make_invitation_token(jardins, bob, role="pirate", phone="", invited_by=alice)
    client = logged_in(bob)
    assert client.post(reverse("members:invitation_accept", args=[token])).status_code == 302
    assert jardins.contacts.get(user=bob).role == "other"


# --- A mail server that is down ----------------------------------------------------------------


def test_smtp_down_keeps_the_new_contact_and_warns(
    member, jardins, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    response = add(member, jardins, "chloe@example.org", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert jardins.contacts.filter(user__email="chloe@example.org").exists()
    [(level, text)] = messages_of(response)
    assert level == "warning"
    assert text == (
        "Le contact est enregistré, mais l’e-mail n’a pas pu partir : chloe@example.org pourra "
        "choisir son mot de passe avec « Mot de passe oublié » sur la page de connexion."
    )
    assert "not sent" in caplog.text and "SMTP server unreachable" in caplog.text
    page = member.get(response["Location"])
    assert page.status_code == 200
    assert "chloe@example.org" in page.content.decode()  # in the list of contacts


def test_a_warning_is_shown_as_such(member, jardins, settings):
    """Outside a test's transaction the e-mail leaves at once, and its warning is on the page."""
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    with mock.patch.object(views.transaction, "on_commit", lambda callback: callback()):
        response = add(member, jardins, "chloe@example.org")
    html = member.get(response["Location"]).content.decode()
    assert '<div class="alert alert-warning">Le contact est enregistré, mais' in html
    assert "Une invitation a été envoyée" not in html


def test_smtp_down_for_an_invitation_warns(member, jardins, bob, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    response = add(member, jardins, "bob@velo.example.org")
    assert response.status_code == 302
    [(level, text)] = messages_of(response)
    assert level == "warning"
    assert "L’invitation n’a pas pu partir" in text
    assert not jardins.contacts.filter(user=bob).exists()
    assert "SMTP server unreachable" in caplog.text


# --- Subjects are plain text -------------------------------------------------------------------

NAME = "L’Atelier & Co d'Anjou"


def test_subjects_are_not_html_escaped(client, bob, mailoutbox, django_capture_on_commit_callbacks):
    atelier = OrganisationFactory(name=NAME)
    alice = UserFactory(email="alice@atelier.example.org", first_name="Alice")
    Contact.objects.create(organisation=atelier, user=alice, role="president", is_primary=True)
    client.force_login(alice)
    add(client, atelier, "chloe@example.org", capture=django_capture_on_commit_callbacks)
    add(client, atelier, "bob@velo.example.org")
    new, invited = mailoutbox
    assert new.subject == f"Vous êtes contact de {NAME} dans l’espace membre"
    assert invited.subject == f"Invitation à devenir contact de {NAME} dans l’espace membre"
    assert f"« {NAME} »" in new.body and f"« {NAME} »" in invited.body


def test_the_password_reset_subject_is_not_html_escaped(client, alice, mailoutbox):
    from wagtail.models import Site

    SiteIdentity.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"name": NAME}
    )
    client.post(reverse("members:password_reset"), {"email": "alice@jardins.example.org"})
    [message] = mailoutbox
    assert message.subject == f"{NAME} : choisir un nouveau mot de passe"
