"""The member portal: login by e-mail, and nobody sees an organisation but their own."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.factories.members import OrganisationFactory, UserFactory, grid_2027
from members.models import Contact, Membership, Payment, Receipt
from members.services import start_membership
from tests.mail import MAIL_SERVER_DOWN

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide-42"


@pytest.fixture
def alice():
    user = UserFactory(email="alice@jardins.example.org", username="alice")
    user.set_password(PASSWORD)
    user.save()
    organisation = OrganisationFactory(name="Les Jardins Partagés")
    Contact.objects.create(organisation=organisation, user=user, role="president")
    start_membership(organisation, grid_2027())
    return user


@pytest.fixture
def other_organisation():
    bob = UserFactory(email="bob@velo.example.org")
    organisation = OrganisationFactory(name="Atelier Vélo")
    Contact.objects.create(organisation=organisation, user=bob, role="treasurer")
    return organisation


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/espace-membre/")
    assert response.status_code == 302
    assert response["Location"].startswith("/espace-membre/connexion/")


def test_login_with_the_email_whatever_its_case(client, alice):
    response = client.post(
        "/espace-membre/connexion/",
        {"username": "Alice@Jardins.Example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/espace-membre/"
    portal = client.get("/espace-membre/")
    html = portal.content.decode()
    assert "Les Jardins Partagés" in html
    assert "Adhésion 2027 : En attente de paiement" in html
    assert "120\u00a0€" in html


def test_a_wrong_password_says_so_in_french_and_keeps_the_email(client, alice):
    response = client.post(
        "/espace-membre/connexion/",
        {"username": "alice@jardins.example.org", "password": "faux"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect" in html
    assert 'value="alice@jardins.example.org"' in html


def test_a_member_sees_only_their_own_organisation(client, alice, other_organisation):
    client.force_login(alice)
    portal = client.get("/espace-membre/").content.decode()
    assert "Les Jardins Partagés" in portal
    assert "Atelier Vélo" not in portal
    own = alice.member_contacts.get().organisation
    assert client.get(reverse("members:organisation", args=[own.pk])).status_code == 200
    other = client.get(reverse("members:organisation", args=[other_organisation.pk]))
    assert other.status_code == 404
    assert "Atelier Vélo" not in other.content.decode()


def test_portal_pages_are_never_cached(client, alice):
    client.force_login(alice)
    response = client.get("/espace-membre/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_portal_query_budget(client, alice, django_assert_max_num_queries):
    client.force_login(alice)
    client.get("/espace-membre/")
    with django_assert_max_num_queries(10):
        assert client.get("/espace-membre/").status_code == 200


# --- Password reset and change -----------------------------------------------------------------


def _reset_link(message):
    return re.search(r"https?://[^/\s]+(/\S+/mot-de-passe/nouveau/\S+/)", message.body).group(1)


def test_the_login_page_links_to_the_password_reset(client):
    html = client.get("/espace-membre/connexion/").content.decode()
    assert f'href="{reverse("members:password_reset")}"' in html
    assert "Mot de passe oublié" in html


def test_a_reset_email_goes_to_a_known_address_whatever_its_case(client, alice, mailoutbox):
    response = client.post(
        reverse("members:password_reset"), {"email": "ALICE@jardins.example.org"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:password_reset_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["alice@jardins.example.org"]
    assert "mot de passe" in message.subject
    assert "/espace-membre/mot-de-passe/nouveau/" in message.body
    assert "valable 3 jours" in message.body


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, alice, mailoutbox):
    known = client.post(reverse("members:password_reset"), {"email": "alice@jardins.example.org"})
    unknown = client.post(reverse("members:password_reset"), {"email": "nobody@example.org"})
    assert len(mailoutbox) == 1
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    done = client.get(unknown["Location"]).content.decode()
    assert "Si l’adresse indiquée correspond à un compte" in done


def test_the_reset_link_sets_a_new_password_and_logs_in(client, alice, mailoutbox):
    client.post(reverse("members:password_reset"), {"email": "alice@jardins.example.org"})
    link = _reset_link(mailoutbox[0])
    form_page = client.get(link)
    assert form_page.status_code == 302  # to the same page without the token in the address
    page = client.get(form_page["Location"])
    assert "Choisir un mot de passe" in page.content.decode()
    new_password = "un-tout-nouveau-secret-2027"
    done = client.post(
        form_page["Location"], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("members:password_reset_complete")
    assert client.get("/espace-membre/").status_code == 200  # logged in
    client.logout()
    login = client.post(
        reverse("members:login"),
        {"username": "alice@jardins.example.org", "password": new_password},
    )
    assert login.status_code == 302 and client.get("/espace-membre/").status_code == 200
    client.logout()
    # The link served once: it is no longer valid.
    assert "plus valable" in client.get(link, follow=True).content.decode()


def test_a_contact_without_a_password_can_choose_one(client, other_organisation, mailoutbox):
    bob = other_organisation.contacts.get().user
    bob.set_unusable_password()
    bob.save()
    client.post(reverse("members:password_reset"), {"email": "bob@velo.example.org"})
    assert [m.to for m in mailoutbox] == [["bob@velo.example.org"]]


def test_an_account_made_by_a_form_without_a_password_can_choose_one(client, mailoutbox):
    """A volunteer's account (made by the offer form, no organisation) gets the link."""
    UserFactory(email="camille@exemple.fr", password="!")  # unusable, no member contact
    client.post(reverse("members:password_reset"), {"email": "Camille@Exemple.fr"})
    assert [m.to for m in mailoutbox] == [["camille@exemple.fr"]]


def test_no_reset_for_passwordless_accounts_that_reach_the_admin(client, mailoutbox):
    """Wagtail's own user forms make superusers and editors (a group with admin access)
    without is_staff: none of them is opened from the public site."""
    from django.contrib.auth.models import Group, Permission

    editors = Group.objects.create(name="Rédaction")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    UserFactory(email="root@example.org", password="!", is_superuser=True)
    UserFactory(email="editrice@example.org", password="!").groups.add(editors)
    for email in ("root@example.org", "editrice@example.org"):
        response = client.post(reverse("members:password_reset"), {"email": email})
        assert response["Location"] == reverse("members:password_reset_done")
    assert mailoutbox == []
    # The same editor with a password of their own may reset it, as anyone.
    editor = editors.user_set.get()
    editor.set_password("un-mot-de-passe-solide-42")
    editor.save()
    client.post(reverse("members:password_reset"), {"email": "editrice@example.org"})
    assert [m.to for m in mailoutbox] == [["editrice@example.org"]]


def test_no_reset_for_inactive_or_passwordless_staff_accounts(client, alice, mailoutbox):
    UserFactory(email="staff@example.org", password="!", is_staff=True)  # unusable, no contact
    alice.is_active = False
    alice.save()
    for email in ("staff@example.org", "alice@jardins.example.org"):
        response = client.post(reverse("members:password_reset"), {"email": email})
        assert response["Location"] == reverse("members:password_reset_done")
    assert mailoutbox == []


def test_the_reset_email_leaves_from_the_queue_without_its_link(client, alice, mailoutbox):
    """The task makes the link when it runs: no reset token waits among the queue's stored
    arguments, and an account closed in between gets nothing."""
    from django_tasks.signals import task_enqueued

    from members.emails import send_password_reset

    enqueued = []

    def record(sender, task_result, **kwargs):
        enqueued.append(task_result)

    task_enqueued.connect(record)
    try:
        client.post(reverse("members:password_reset"), {"email": "alice@jardins.example.org"})
    finally:
        task_enqueued.disconnect(record)
    [result] = enqueued
    assert result.task.name == "send_password_reset"
    link = _reset_link(mailoutbox[0])
    uid, token = link.rstrip("/").split("/")[-2:]
    assert token not in repr(result.args) and uid not in repr(result.args)

    alice.is_active = False
    alice.save()
    assert send_password_reset.call(*result.args, **result.kwargs) is False
    assert len(mailoutbox) == 1


def test_a_mail_server_down_changes_nothing_in_the_reset_answer(client, alice, settings, caplog):
    settings.EMAIL_BACKEND = MAIL_SERVER_DOWN
    url = reverse("members:password_reset")
    response = client.post(url, {"email": "alice@jardins.example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("members:password_reset_done")
    assert "SMTP server unreachable" in caplog.text


def test_a_mismatched_new_password_is_refused_in_french(client, alice, mailoutbox):
    client.post(reverse("members:password_reset"), {"email": "alice@jardins.example.org"})
    url = client.get(_reset_link(mailoutbox[0]))["Location"]
    response = client.post(url, {"new_password1": "abcdefgh-1234", "new_password2": "autre"})
    assert response.status_code == 200
    assert "Les deux mots de passe ne correspondent pas" in response.content.decode()


def test_a_member_changes_their_password(client, alice):
    url = reverse("members:password_change")
    assert client.get(url)["Location"].startswith("/espace-membre/connexion/")
    client.force_login(alice)
    assert f'href="{url}"' in client.get("/espace-membre/").content.decode()
    new_password = "encore-un-autre-secret-42"
    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert "Votre mot de passe a été modifié." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(new_password)
    assert "no-cache" in client.get(url)["Cache-Control"]


# --- Status, history, payment and renewal links, receipts --------------------------------------


def _membership_of(user):
    return user.member_contacts.get().organisation.memberships.get()


def test_a_pending_card_payment_links_to_the_payment_page(client, alice):
    membership = _membership_of(alice)
    Payment.objects.create(membership=membership, method="card", amount_cents=12000, reference="R1")
    client.force_login(alice)
    pay = reverse("members:pay", args=[membership.pk])
    assert f'href="{pay}"' in client.get("/espace-membre/").content.decode()
    detail = client.get(reverse("members:organisation", args=[membership.organisation_id]))
    assert f'href="{pay}"' in detail.content.decode()


def test_a_declared_transfer_links_to_its_instructions(client, alice):
    membership = _membership_of(alice)
    Payment.objects.create(
        membership=membership, method="transfer", amount_cents=12000, reference="ADH-1"
    )
    client.force_login(alice)
    html = client.get("/espace-membre/").content.decode()
    assert f'href="{reverse("members:offline", args=[membership.pk])}"' in html
    assert reverse("members:pay", args=[membership.pk]) not in html


def test_history_shows_payments_receipts_and_the_renewal(client, alice):
    membership = _membership_of(alice)
    failed = Payment.objects.create(
        membership=membership, method="card", amount_cents=12000, reference="ADH-F", status="failed"
    )
    paid = Payment.objects.create(
        membership=membership,
        method="cheque",
        amount_cents=12000,
        reference="ADH-P",
        status="succeeded",
        received_at=timezone.now(),
    )
    receipt = Receipt.objects.create(payment=paid, year=2027, sequence=7, number="2027-0007")
    Membership.objects.filter(pk=membership.pk).update(status="active")
    client.force_login(alice)
    html = client.get(reverse("members:organisation", args=[membership.organisation_id]))
    html = html.content.decode()
    assert "Chèque, 120\u00a0€ (reçu" in html
    assert "ADH-P" in html and failed.reference in html and "(échoué)" in html
    assert f'href="{reverse("members:receipt", args=[receipt.pk])}"' in html
    assert "Télécharger le reçu 2027-0007" in html
    renew = reverse("members:renew", args=[membership.organisation_id])
    assert f'href="{renew}"' in html
    assert reverse("members:pay", args=[membership.pk]) not in html
    assert f'href="{renew}"' in client.get("/espace-membre/").content.decode()


def test_organisation_page_query_budget(client, alice, django_assert_max_num_queries):
    membership = _membership_of(alice)
    for n in range(3):
        payment = Payment.objects.create(
            membership=membership, method="cheque", amount_cents=100, reference=f"R{n}"
        )
        Receipt.objects.create(payment=payment, year=2027, sequence=n, number=f"2027-{n}")
    client.force_login(alice)
    url = reverse("members:organisation", args=[membership.organisation_id])
    client.get(url)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
