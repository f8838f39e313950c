"""Adding a contact by e-mail invites: whether the address has an account or not, the organisation
gets a pending invitation (a row, its token stored only as a hash), the page says the same, and
only the e-mail differs. The person becomes a contact by accepting, once, within a week, while the
invitation is neither revoked nor replaced and its inviter still a contact. Staff accounts are
never invited. E-mails leave from the task queue after the commit; a mail server that is down
costs nothing saved."""

import re
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.signals import task_enqueued

from home.models import SiteIdentity
from members.models import Contact, ContactInvitation
from tests.mail import MAIL_SERVER_DOWN

from .factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SENT = "Une invitation a été envoyée à {}."
PASSWORD = "un-mot-de-passe-solide-42"


@pytest.fixture
def bob():
    """An account of another organisation's contact."""
    user = UserFactory(email="bob@velo.example.org", first_name="Bob", last_name="Durand")
    organisation = OrganisationFactory(name="Atelier Vélo", rna="W442000002")
    Contact.objects.create(organisation=organisation, user=user, role="treasurer", is_primary=True)
    return user


@pytest.fixture
def velo(bob):
    return bob.member_contacts.get().organisation


@pytest.fixture
def member(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def claire(jardins):
    """A second contact of Les Jardins Partagés."""
    user = UserFactory(email="claire@jardins.example.org", first_name="Claire")
    Contact.objects.create(organisation=jardins, user=user, role="treasurer")
    return user


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the tasks' enqueueing) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def add(client, organisation, email, commit, role="secretary", phone="", **names):
    url = reverse("members:contact_add", args=[organisation.pk])
    data = {"new-email": email, "new-role": role, "new-phone": phone}
    data.update({f"new-{key}": value for key, value in names.items()})
    with commit():
        return client.post(url, data)


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def invitation_path(message):
    return re.search(r"https?://[^/\s]+(/espace-membre/invitation/[^/\s]+/)", message.body).group(1)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@contextmanager
def days_later(days):
    """The clock moved on by `days` (timezone.now is what every expiry is checked against)."""
    real_now = timezone.now
    with mock.patch("django.utils.timezone.now", lambda: real_now() + timedelta(days=days)):
        yield


def revoke_url(invitation):
    return reverse("members:invitation_revoke", args=[invitation.organisation_id, invitation.pk])


@pytest.fixture
def invitation(member, jardins, bob, mailoutbox, commit):
    """Alice invites Bob to Les Jardins Partagés; the link's path."""
    response = add(member, jardins, "BOB@velo.example.org", commit, phone="02 40 12 34 56")
    assert response.status_code == 302
    [message] = mailoutbox
    mailoutbox.clear()
    return invitation_path(message)


# --- Inviting: the same page for every address ---------------------------------------------------


def test_an_existing_account_is_invited_not_attached(
    member, alice, jardins, bob, mailoutbox, commit
):
    response = add(member, jardins, "BOB@velo.example.org", commit)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:contacts", args=[jardins.pk])
    assert not jardins.contacts.filter(user=bob).exists()
    assert User.objects.filter(email__iexact="bob@velo.example.org").count() == 1
    assert messages_of(response) == [("success", SENT.format("BOB@velo.example.org"))]
    invitation = ContactInvitation.objects.get()
    assert (invitation.invitee, invitation.invited_by, invitation.status) == (bob, alice, "pending")
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)

    [message] = mailoutbox
    assert message.to == ["bob@velo.example.org"]  # the account's own address
    assert message.subject == (
        "Invitation à devenir contact de Les Jardins Partagés dans l’espace membre"
    )
    assert "Alice Martin vous invite à devenir contact de « Les Jardins Partagés »" in message.body
    assert "(Secrétaire)" in message.body
    assert "sert une seule fois et reste valable 7 jours" in message.body
    assert "/espace-membre/mot-de-passe/oublie/" in message.body
    # No password link: nobody but the owner starts a reset of their account.
    assert "/mot-de-passe/nouveau/" not in message.body
    assert invitation_path(message).startswith("/espace-membre/invitation/")

    # The page lists the invitation as pending, not as a contact.
    page = member.get(response["Location"]).content.decode()
    assert "Invitations en attente" in page
    assert "BOB@velo.example.org" in page and "Bob Durand" not in page
    # Bob still sees only his own organisation.
    assert "Les Jardins Partagés" not in logged_in(bob).get("/espace-membre/").content.decode()


def test_the_page_is_the_same_for_a_new_address(member, jardins, bob, mailoutbox, commit):
    """The finding's other half: a new address used to appear at once as a contact, an existing
    account did not. Now neither is a contact before accepting, and no account is made."""
    new = add(member, jardins, "chloe@example.org", commit, first_name="Chloé")
    new_page = member.get(new["Location"]).content.decode()
    ContactInvitation.objects.all().delete()
    existing = add(member, jardins, "bob@velo.example.org", commit, first_name="Chloé")
    existing_page = member.get(existing["Location"]).content.decode()

    assert (new.status_code, new["Location"]) == (existing.status_code, existing["Location"])
    assert messages_of(new) == [("success", SENT.format("chloe@example.org"))]
    assert messages_of(existing) == [("success", SENT.format("bob@velo.example.org"))]

    def masked(html):
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        html = re.sub(r"/invitations/\d+/", "/invitations/N/", html)
        for address in ("chloe@example.org", "bob@velo.example.org"):
            html = html.replace(address, "ADDRESS")
        return html

    assert masked(new_page) == masked(existing_page)
    assert jardins.contacts.count() == 1
    assert not User.objects.filter(email="chloe@example.org").exists()
    # Only the e-mail differs: a password to choose, or an account to log in with.
    chloe, bob_mail = mailoutbox
    assert "vous y choisirez le mot de passe" in chloe.body
    assert "connectez-vous avec cette adresse" in bob_mail.body


@pytest.mark.parametrize(
    "account",
    [{"is_staff": True}, {"is_superuser": True}, {"is_staff": True, "is_superuser": True},
     {"is_active": False}],
    ids=["staff", "superuser", "both", "inactive"],
)  # fmt: skip
def test_staff_accounts_are_never_invited_and_the_page_does_not_say_so(
    member, jardins, mailoutbox, commit, account
):
    staff = UserFactory(email="juree@reseau.example.org", **account)
    response = add(member, jardins, "Juree@reseau.example.org", commit)
    assert response.status_code == 302
    assert messages_of(response) == [("success", SENT.format("Juree@reseau.example.org"))]
    assert "Juree@reseau.example.org" in member.get(response["Location"]).content.decode()
    assert mailoutbox == []
    assert not Contact.objects.filter(user=staff).exists()


def test_the_email_leaves_from_the_queue_after_the_commit_without_its_token(
    member, jardins, bob, mailoutbox, django_capture_on_commit_callbacks
):
    enqueued = []

    def record(sender, task_result, **kwargs):
        enqueued.append(task_result)

    task_enqueued.connect(record)
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            member.post(
                reverse("members:contact_add", args=[jardins.pk]),
                {"new-email": "bob@velo.example.org", "new-role": "other"},
            )
        assert mailoutbox == [] and enqueued == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        task_enqueued.disconnect(record)
    [result] = enqueued
    assert result.task.name == "send_contact_invitation"
    [message] = mailoutbox
    token = invitation_path(message).rstrip("/").rsplit("/", 1)[1]
    assert token not in repr(result.args) + repr(result.kwargs)


def test_the_token_is_stored_only_as_its_hash(jardins, invitation):
    token = invitation.rstrip("/").rsplit("/", 1)[1]
    row = ContactInvitation.objects.get()
    assert len(token) >= 40  # secrets.token_urlsafe(32)
    assert row.token_hash == ContactInvitation.digest(token) != token
    stored = " ".join(str(value) for value in ContactInvitation.objects.values().get().values())
    assert token not in stored


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
    row = ContactInvitation.objects.get()
    assert row.status == "accepted" and row.accepted_at is not None
    detail = client.get(response["Location"]).content.decode()
    assert "Vous êtes maintenant contact de Les Jardins Partagés." in detail

    # The same link again: already done, nothing doubled.
    for again in (client.get(invitation), client.post(invitation)):
        assert again.status_code == 200
        assert "Vous êtes déjà contact de Les Jardins Partagés" in again.content.decode()
    assert jardins.contacts.filter(user=bob).count() == 1


def test_the_finding_replayed_a_removed_invitee_cannot_use_the_link_again(
    member, jardins, bob, invitation
):
    """Invite, accept, remove the invitee: the same link used to make them a contact again for
    the rest of the week. It is refused, in French, and no contact is made."""
    bob_client = logged_in(bob)
    assert bob_client.post(invitation).status_code == 302
    bob_contact = jardins.contacts.get(user=bob)
    removed = member.post(reverse("members:contact_remove", args=[jardins.pk, bob_contact.pk]))
    assert removed.status_code == 302
    assert not jardins.contacts.filter(user=bob).exists()

    for response in (bob_client.get(invitation), bob_client.post(invitation)):
        assert response.status_code == 410
        html = response.content.decode()
        assert "Cette invitation a déjà servi : un lien d’invitation ne sert qu’une fois." in html
        assert "Accepter l’invitation" not in html
    assert not jardins.contacts.filter(user=bob).exists()


def test_a_new_address_chooses_its_password_on_the_link(member, jardins, mailoutbox, commit):
    add(member, jardins, "chloe@example.org", commit, role="treasurer", phone="02 40 00 00 00",
        first_name="Chloé", last_name="Bernard")  # fmt: skip
    [message] = mailoutbox
    link = invitation_path(message)
    assert "Alice Martin vous invite à devenir contact de « Les Jardins Partagés »" in message.body
    assert not User.objects.filter(email="chloe@example.org").exists()

    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "choisissez le mot de passe de votre compte" in html
    assert 'value="Chloé"' in html and 'value="Bernard"' in html
    assert "Connecté·e" not in html

    form = {"first_name": "Chloé", "last_name": "Bernard", "password1": PASSWORD}
    wrong = visitor.post(link, {**form, "password2": "autre chose"})
    assert wrong.status_code == 200
    assert "Les deux mots de passe ne correspondent pas." in wrong.content.decode()
    assert not User.objects.filter(email="chloe@example.org").exists()

    done = visitor.post(link, {**form, "password2": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("members:organisation", args=[jardins.pk])
    user = User.objects.get(email="chloe@example.org")
    assert user.check_password(PASSWORD) and user.get_full_name() == "Chloé Bernard"
    contact = jardins.contacts.get(user=user)
    assert (contact.role, contact.phone, contact.is_primary) == (
        "treasurer",
        "02 40 00 00 00",
        False,
    )
    assert "Les Jardins Partagés" in visitor.get("/espace-membre/").content.decode()  # logged in

    # Once only: someone else with the link gets nothing.
    again = Client().post(link, {**form, "password2": PASSWORD})
    assert again.status_code == 410
    assert User.objects.filter(email="chloe@example.org").count() == 1


def test_a_new_address_that_got_an_account_since_logs_in_to_accept(
    member, jardins, mailoutbox, commit
):
    add(member, jardins, "chloe@example.org", commit)
    link = invitation_path(mailoutbox[0])
    chloe = UserFactory(email="chloe@example.org")
    assert Client().get(link)["Location"].startswith(reverse("members:login"))
    assert logged_in(chloe).post(link).status_code == 302
    assert jardins.contacts.filter(user=chloe).exists()


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
    """The invitation names the account, not only the address."""
    User.objects.filter(pk=bob.pk).update(email="bob@ailleurs.example.org")
    newcomer = UserFactory(email="bob@velo.example.org")
    assert logged_in(newcomer).post(invitation).status_code == 403
    assert not jardins.contacts.filter(user=newcomer).exists()


def test_the_link_expires_after_seven_days(jardins, bob, invitation):
    # Logged in again each time: a session lasts 12 hours (SESSION_COOKIE_AGE).
    with days_later(6):
        assert logged_in(bob).get(invitation).status_code == 200
    with days_later(7.01):
        client = logged_in(bob)
        for response in (client.get(invitation), client.post(invitation)):
            assert response.status_code == 410
            html = response.content.decode()
            assert "Cette invitation a expiré." in html
            assert "Accepter l’invitation" not in html
    assert not jardins.contacts.filter(user=bob).exists()


def test_an_altered_link_does_nothing(jardins, bob, invitation):
    client = logged_in(bob)
    token = invitation.rstrip("/").rsplit("/", 1)[1]
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (altered, "pas-un-jeton", ContactInvitation.objects.get().token_hash):
        response = client.post(reverse("members:invitation_accept", args=[bad]))
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


def test_a_role_no_longer_in_the_list_becomes_other(jardins, bob, invitation):
    ContactInvitation.objects.update(role="pirate")
    assert logged_in(bob).post(invitation).status_code == 302
    assert jardins.contacts.get(user=bob).role == "other"


# --- Revoked -----------------------------------------------------------------------------------

REVOKED = "Cette invitation a été annulée"


def test_a_new_invitation_replaces_the_previous_one(member, jardins, bob, invitation, mailoutbox,
                                                    commit):  # fmt: skip
    add(member, jardins, "bob@velo.example.org", commit, role="treasurer")
    [message] = mailoutbox
    client = logged_in(bob)
    old = client.post(invitation)
    assert old.status_code == 410 and REVOKED in old.content.decode()
    assert ContactInvitation.objects.pending().count() == 1
    assert client.post(invitation_path(message)).status_code == 302
    assert jardins.contacts.get(user=bob).role == "treasurer"


def test_revoked_when_the_inviter_is_removed(jardins, alice, bob, claire, invitation):
    alice_contact = jardins.contacts.get(user=alice)
    response = logged_in(claire).post(
        reverse("members:contact_remove", args=[jardins.pk, alice_contact.pk])
    )
    assert response.status_code == 302
    assert ContactInvitation.objects.get().status == "revoked"
    refused = logged_in(bob).post(invitation)
    assert refused.status_code == 410 and REVOKED in refused.content.decode()
    assert not jardins.contacts.filter(user=bob).exists()


def test_revoked_when_the_inviter_leaves_by_themselves(member, jardins, alice, bob, claire,
                                                      invitation):  # fmt: skip
    me = jardins.contacts.get(user=alice)
    member.post(reverse("members:contact_remove", args=[jardins.pk, me.pk]))
    assert logged_in(bob).post(invitation).status_code == 410
    assert not jardins.contacts.filter(user=bob).exists()


def test_an_inviter_gone_another_way_still_voids_the_link(jardins, alice, bob, claire, invitation):
    """A contact deleted elsewhere (the admin, a script) revokes nothing: the accept checks."""
    Contact.objects.filter(organisation=jardins, user=alice).delete()
    response = logged_in(bob).post(invitation)
    assert response.status_code == 410
    assert "n’est plus contact de l’organisation" in response.content.decode()
    assert not jardins.contacts.filter(user=bob).exists()


def test_the_revoke_button(member, jardins, bob, invitation):
    row = ContactInvitation.objects.get()
    page = member.get(reverse("members:contacts", args=[jardins.pk])).content.decode()
    assert f'action="{revoke_url(row)}"' in page
    assert "Révoquer" in page

    response = member.post(revoke_url(row))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:contacts", args=[jardins.pk])
    assert messages_of(response) == [
        ("success", "L’invitation de BOB@velo.example.org est révoquée : son lien ne sert plus.")
    ]
    row.refresh_from_db()
    assert row.status == "revoked" and row.revoked_at is not None
    page = member.get(response["Location"]).content.decode()
    assert "Invitations en attente" not in page

    refused = logged_in(bob).post(invitation)
    assert refused.status_code == 410 and REVOKED in refused.content.decode()
    assert not jardins.contacts.filter(user=bob).exists()
    # Revoking again changes nothing.
    assert messages_of(member.post(revoke_url(row))) == [
        ("info", "Cette invitation n’était plus en attente.")
    ]


def test_an_accepted_invitation_cannot_be_revoked(member, jardins, bob, invitation):
    logged_in(bob).post(invitation)
    member.post(revoke_url(ContactInvitation.objects.get()))
    assert ContactInvitation.objects.get().status == "accepted"
    assert jardins.contacts.filter(user=bob).exists()


def test_a_member_of_another_organisation_cannot_revoke(jardins, bob, velo, invitation):
    row = ContactInvitation.objects.get()
    client = logged_in(bob)
    assert client.post(revoke_url(row)).status_code == 404
    # Nor through their own organisation's address.
    other = reverse("members:invitation_revoke", args=[velo.pk, row.pk])
    assert client.post(other).status_code == 404
    assert ContactInvitation.objects.get().status == "pending"


def test_revoking_is_for_logged_in_members_with_post_and_csrf(member, alice, jardins, invitation):
    row = ContactInvitation.objects.get()
    anonymous = Client().post(revoke_url(row))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("members:login") + "?next=")
    assert member.get(revoke_url(row)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(revoke_url(row)).status_code == 403
    assert ContactInvitation.objects.get().status == "pending"


# --- A mail server that is down ----------------------------------------------------------------


def test_smtp_down_keeps_the_invitation_and_the_page_answers_the_same(
    member, jardins, settings, commit, caplog, mailoutbox
):
    settings.EMAIL_BACKEND = MAIL_SERVER_DOWN
    response = add(member, jardins, "chloe@example.org", commit)
    assert response.status_code == 302
    assert messages_of(response) == [("success", SENT.format("chloe@example.org"))]
    assert ContactInvitation.objects.pending().filter(email="chloe@example.org").exists()
    assert "not sent" in caplog.text and "SMTP server unreachable" in caplog.text
    page = member.get(response["Location"])
    assert page.status_code == 200
    assert "chloe@example.org" in page.content.decode()  # in the pending invitations

    # The server back, inviting again sends a link that works.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    add(member, jardins, "chloe@example.org", commit)
    [message] = mailoutbox
    assert Client().get(invitation_path(message)).status_code == 200


# --- Subjects are plain text -------------------------------------------------------------------

NAME = "L’Atelier & Co d'Anjou"


def test_subjects_are_not_html_escaped(client, bob, mailoutbox, commit):
    atelier = OrganisationFactory(name=NAME)
    alice = UserFactory(email="alice@atelier.example.org", first_name="Alice")
    Contact.objects.create(organisation=atelier, user=alice, role="president", is_primary=True)
    client.force_login(alice)
    add(client, atelier, "chloe@example.org", commit)
    add(client, atelier, "bob@velo.example.org", commit)
    new, invited = mailoutbox
    subject = f"Invitation à devenir contact de {NAME} dans l’espace membre"
    assert new.subject == invited.subject == subject
    assert f"« {NAME} »" in new.body and f"« {NAME} »" in invited.body


def test_the_password_reset_subject_is_not_html_escaped(client, alice, mailoutbox):
    from wagtail.models import Site

    SiteIdentity.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"name": NAME}
    )
    client.post(reverse("members:password_reset"), {"email": "alice@jardins.example.org"})
    [message] = mailoutbox
    assert message.subject == f"{NAME} : choisir un nouveau mot de passe"
