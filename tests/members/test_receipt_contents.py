"""What a receipt says and where it goes, as the treasurer and the member see it.

The e-mail that carries the reçu de cotisation: its subject, the sentence stating what was paid,
when and for which period (French dates, whatever language the request that sent it was in),
the link back to the member area, the association's signature and reply address; the contacts
it goes to (each address once, whatever its case or stray spaces); sending it once only, even
when another run got there first, and a failure that leaves it to the daily retry. Also the
numbering's guarantees outside the everyday path: an error naming the payment that has not been
received, a receipt saved by another issuer meanwhile, a counter behind the receipts. And the
log lines the team reads when something went wrong (a lost file, no contact, SMTP down).
"""

import datetime
import io
import logging
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

import members.receipts as receipts
from demo.factories.members import OrganisationFactory, UserFactory, grid_2027
from home.models import SiteIdentity
from members.contacts import contact_addresses
from members.erasure import pseudonymise_organisation
from members.models import Contact, Payment, Receipt, ReceiptSequence
from members.receipts import (
    PaymentNotReceived,
    issue_receipt_for,
    send_receipt_email,
    send_unsent_receipts,
    store_receipt_pdf,
)
from members.services import create_payment, refund_payment, start_membership
from tests.mail import MAIL_SERVER_DOWN

from .test_receipts import add_contact, paid_payment

pytestmark = pytest.mark.django_db


def flat(text):
    """Spaces (no-break, narrow or not, line breaks) collapsed to one, as a reader sees them."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def sent_receipt(organisation_name="Les Jardins d’Olonne"):
    """A card payment of 120 € received on 14 March 2027, its receipt e-mailed to one contact."""
    payment = paid_payment(OrganisationFactory(name=organisation_name, employees=4))
    add_contact(payment.membership.organisation, primary=True, email="tresorier@example.org")
    receipt = issue_receipt_for(payment)
    assert send_receipt_email(receipt) is True
    [message] = mail.outbox
    return receipt, message


def messages_of(caplog, level):
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "members.receipts" and r.levelno == level
    ]


# --- The e-mail's text ---------------------------------------------------------------------------
def test_the_email_states_the_payment_the_period_and_the_association(site_tree):
    receipt, message = sent_receipt()
    # The subject is one line: the receipt's number and who issued it.
    assert message.subject == "Votre reçu de cotisation n° 2027-0001 — Réseau Test ESS"
    body = flat(message.body)
    assert (
        "Nous avons bien reçu la cotisation 2027 de Les Jardins d’Olonne : 120 €, "
        "réglée par carte bancaire le 14 mars 2027." in body
    )
    assert (
        "Vous trouverez ci-joint le reçu n° 2027-0001, qui vaut attestation d’adhésion "
        "pour la période du 1 janvier 2027 au 31 décembre 2027." in body
    )
    # Signed with the association's name and contact details, from the site settings.
    assert body.endswith("Réseau Test ESS contact@example.org 02 40 00 00 00")


def test_a_receipt_sent_while_english_is_active_is_still_in_french(site_tree):
    # The task may run in a thread left in English by a page under /en/: the receipt is a
    # French document all the same, its dates included.
    translation.activate("en")
    _, message = sent_receipt()
    assert "réglée par carte bancaire le 14 mars 2027." in flat(message.body)
    assert "du 1 janvier 2027 au 31 décembre 2027" in flat(message.body)


@pytest.mark.parametrize(
    "base_url, site",
    [
        ("https://adherents.example.org/", "https://adherents.example.org"),
        ("https://adherents.example.org", "https://adherents.example.org"),
        # The address is used as configured, whatever its last letter (here an upper-case X).
        ("https://RESEAU-ESS.BOX/", "https://RESEAU-ESS.BOX"),
    ],
)
def test_the_download_link_is_the_site_address_followed_by_the_receipt_page(
    settings, base_url, site
):
    settings.WAGTAILADMIN_BASE_URL = base_url
    receipt, message = sent_receipt()
    # One slash between the address and the page, so that the link opens.
    assert site + reverse("members:receipt", args=[receipt.pk]) in message.body.splitlines()


def test_without_an_association_email_there_is_no_reply_address(site_tree):
    SiteIdentity.objects.update(email="")
    _, message = sent_receipt()
    assert message.reply_to == []
    assert "Reply-To" not in message.message()


# --- Who it goes to ------------------------------------------------------------------------------
def test_each_contact_address_once_whatever_its_case_and_none_empty():
    organisation = OrganisationFactory()
    add_contact(organisation, primary=True, email="Tresoriere@Example.org")
    # The same address again, on another account: typed in another case, with a stray space
    # (the database refuses two accounts with one address only when they are written alike).
    add_contact(organisation, email=" tresoriere@example.org")
    add_contact(organisation, email="TRESORIERE@EXAMPLE.ORG ")
    organisation.contacts.create(
        user=UserFactory(username="sans-adresse", email=""), role=Contact.Role.TREASURER
    )
    add_contact(organisation, email="  secretaire@example.org ")
    assert contact_addresses(organisation) == ["Tresoriere@Example.org", "secretaire@example.org"]


def test_a_closed_account_gets_no_receipt():
    organisation = OrganisationFactory()
    add_contact(organisation, primary=True, email="tresoriere@example.org")
    add_contact(organisation, email="ancien@example.org")
    User.objects.filter(email="ancien@example.org").update(is_active=False)
    assert contact_addresses(organisation) == ["tresoriere@example.org"]


def test_the_recipients_are_read_in_one_query(django_assert_num_queries):
    organisation = OrganisationFactory()
    for n in range(3):
        add_contact(organisation, primary=n == 0)
    with django_assert_num_queries(1):
        assert len(contact_addresses(organisation)) == 3


# --- Sent once ------------------------------------------------------------------------------------
def test_a_receipt_already_sent_by_another_run_is_not_sent_again():
    receipt, _ = sent_receipt()
    stale = Receipt.objects.get(pk=receipt.pk)
    sent_at = stale.emailed_at
    stale.emailed_at = None  # read before the other run marked it
    assert send_receipt_email(stale) is False
    assert stale.emailed_at == sent_at  # the caller learns when it went out
    assert len(mail.outbox) == 1


def test_a_run_that_finished_while_this_one_prepared_the_email_wins(monkeypatch):
    payment = paid_payment()
    add_contact(payment.membership.organisation, primary=True)
    receipt = issue_receipt_for(payment)
    other_run = timezone.make_aware(datetime.datetime(2027, 3, 14, 10, 5))
    real_message = receipts._receipt_message

    def message_while_another_run_sends(fresh, recipients, identity):
        message = real_message(fresh, recipients, identity)
        Receipt.objects.filter(pk=fresh.pk).update(emailed_at=other_run)
        return message

    monkeypatch.setattr(receipts, "_receipt_message", message_while_another_run_sends)
    assert send_receipt_email(receipt) is False
    assert mail.outbox == []  # the other run sent it; this one does not send it twice
    assert Receipt.objects.get(pk=receipt.pk).emailed_at == other_run


def test_sending_one_receipt_marks_that_receipt_only():
    grid = grid_2027()
    first, second = (issue_receipt_for(paid_payment(grid=grid)) for _ in range(2))
    for receipt in (first, second):
        add_contact(receipt.payment.membership.organisation, primary=True)
    assert send_receipt_email(first) is True
    assert Receipt.objects.get(pk=second.pk).emailed_at is None
    assert send_unsent_receipts() == 1  # the second still goes out with the daily retry
    assert len(mail.outbox) == 2


def test_the_caller_gets_the_stored_file():
    receipt = issue_receipt_for(paid_payment())
    add_contact(receipt.payment.membership.organisation, primary=True)
    assert send_receipt_email(receipt) is True
    stored = Receipt.objects.get(pk=receipt.pk).pdf.name
    assert stored.startswith("receipts/") and "recu-2027-0001" in stored
    assert receipt.pdf.name == stored


def test_the_receipt_and_its_organisation_are_read_together():
    receipt = issue_receipt_for(paid_payment())
    add_contact(receipt.payment.membership.organisation, primary=True)
    with CaptureQueriesContext(connection) as queries:
        assert send_receipt_email(Receipt.objects.get(pk=receipt.pk)) is True
    # The organisation (its contacts) and the tier (printed on the PDF) come with the receipt,
    # not each in a query of its own.
    alone = [
        q["sql"] for q in queries if re.search(r'FROM "members_(organisation|feetier)"', q["sql"])
    ]
    assert alone == []


# --- When it cannot go --------------------------------------------------------------------------
def test_smtp_down_the_call_says_not_sent_and_the_log_names_the_receipt(settings, caplog):
    receipt = issue_receipt_for(paid_payment())
    add_contact(receipt.payment.membership.organisation, primary=True)
    settings.EMAIL_BACKEND = MAIL_SERVER_DOWN
    assert send_receipt_email(receipt) is False
    assert Receipt.objects.get(pk=receipt.pk).emailed_at is None
    assert messages_of(caplog, logging.WARNING) == [
        "Receipt 2027-0001: the e-mail could not be sent."
    ]
    # The sender's own line names the e-mail and counts its recipients, never their addresses.
    sender_lines = [r.getMessage() for r in caplog.records if r.name == "home.emails"]
    assert sender_lines == ["E-mail members/email/receipt to 1 recipient(s) not sent."]


def test_no_contact_email_the_log_names_the_receipt(caplog):
    receipt = issue_receipt_for(paid_payment())
    assert send_receipt_email(receipt) is False
    assert messages_of(caplog, logging.WARNING) == [
        "Receipt 2027-0001: the organisation has no contact e-mail."
    ]


def test_the_daily_retry_reports_each_receipt_once(settings):
    receipt = issue_receipt_for(paid_payment())
    add_contact(receipt.payment.membership.organisation, primary=True)
    settings.EMAIL_BACKEND = MAIL_SERVER_DOWN
    assert send_receipt_email(receipt) is False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("send_membership_reminders", stdout=out)
    assert "1 reçu envoyé après un échec précédent." in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_daily_retry_leaves_an_erased_organisations_receipts_alone(caplog):
    receipt = issue_receipt_for(paid_payment())  # never sent: no contact had an address yet
    pseudonymise_organisation(receipt.payment.membership.organisation, by_user=None)
    assert send_unsent_receipts() == 0
    # Not even a daily warning about an organisation that no longer has contacts, by design.
    assert messages_of(caplog, logging.WARNING) == []


def test_a_lost_file_the_log_names_the_receipt_and_the_file(caplog):
    receipt = store_receipt_pdf(issue_receipt_for(paid_payment()))
    lost = receipt.pdf.name
    receipt.pdf.storage.delete(lost)
    store_receipt_pdf(receipt)
    assert messages_of(caplog, logging.ERROR) == [
        f"Receipt 2027-0001: its file {lost} is missing, made again."
    ]


# --- Numbering, outside the everyday path --------------------------------------------------------
def test_the_refusal_names_the_payment_not_received():
    membership = start_membership(OrganisationFactory(), grid_2027())
    payment = create_payment(membership, Payment.Method.TRANSFER)
    with pytest.raises(PaymentNotReceived) as refused:
        issue_receipt_for(payment)
    assert str(refused.value) == payment.reference


def test_a_counter_behind_the_receipts_never_gives_a_number_twice():
    grid = grid_2027()
    issue_receipt_for(paid_payment(grid=grid))
    ReceiptSequence.objects.filter(year=2027).update(last_number=0)  # a bad restore
    with pytest.raises(IntegrityError):
        issue_receipt_for(paid_payment(grid=grid))
    assert list(Receipt.objects.values_list("number", flat=True)) == ["2027-0001"]


def test_a_receipt_saved_by_another_issuer_meanwhile_is_the_one(monkeypatch):
    # Where rows cannot be locked (SQLite), another issuer may save the payment's receipt while
    # this one is busy: this one's own then cannot be saved, and it returns theirs.
    payment = paid_payment()
    theirs = issue_receipt_for(payment)
    manager = Receipt.objects
    real_filter, real_create = manager.filter, manager.create
    saved = []  # theirs is seen from the moment this issuer tries to save its own

    def filter_(*args, **kwargs):
        found = real_filter(*args, **kwargs)
        return found if saved else found.none()

    def create(**fields):
        saved.append(True)
        return real_create(**fields)

    monkeypatch.setattr(manager, "filter", filter_)
    monkeypatch.setattr(manager, "create", create)
    assert issue_receipt_for(payment) == theirs
    assert ReceiptSequence.objects.get(year=2027).last_number == 1  # no number used up


def test_a_second_issuer_that_waited_returns_the_receipt_even_after_a_refund(monkeypatch):
    # Issuer A makes the receipt while B waits on the payment's lock, and the payment is refunded
    # before B gets it: B returns A's receipt (it exists, for the books), it does not fail.
    payment = paid_payment()
    made = []

    class PaymentLockedAfterTheOthers:
        Status = Payment.Status

        class objects:
            @staticmethod
            def select_for_update():
                if not made:
                    monkeypatch.setattr(receipts, "Payment", Payment)
                    made.append(issue_receipt_for(payment))  # issuer A
                    assert refund_payment(payment.pk)
                return Payment.objects.select_for_update()

    monkeypatch.setattr(receipts, "Payment", PaymentLockedAfterTheOthers)
    assert issue_receipt_for(payment) == made[0]
    assert Receipt.objects.count() == 1
