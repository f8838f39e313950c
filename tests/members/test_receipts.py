"""Receipts: numbered without gaps per year, made once, e-mailed once, downloaded by their own."""

import datetime
import io
import re
import time
import zoneinfo

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_tasks import TaskResultStatus
from pypdf import PdfReader

from demo.factories.members import OrganisationFactory, UserFactory, grid_2027
from members.models import Contact, FeeGrid, Payment, Receipt, ReceiptSequence
from members.pdf import render_bulletin_pdf, render_receipt_pdf
from members.receipts import (
    PaymentNotReceived,
    issue_receipt_for,
    send_receipt_email,
    store_receipt_pdf,
)
from members.services import (
    confirm_payment,
    create_payment,
    refund_payment,
    start_membership,
)
from members.tasks import issue_receipt
from tests.concurrency import run_each
from tests.mail import MAIL_SERVER_DOWN

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def pdf_text(content):
    """The PDF's text, spaces (no-break or not) collapsed to one."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def paid_payment(organisation=None, *, received_at=None, grid=None, employees=4):
    """A received card payment, confirmed without running the commit callbacks (no receipt)."""
    organisation = organisation or OrganisationFactory(employees=employees)
    membership = start_membership(organisation, grid or grid_2027())
    payment = create_payment(membership, Payment.Method.CARD)
    confirm_payment(payment.pk, received_at=received_at or paris(2027, 3, 14, 10, 0))
    payment.refresh_from_db()
    return payment


def add_contact(organisation, *, primary=False, email=None, **user_fields):
    user = UserFactory(**({"email": email, "username": email} if email else {}), **user_fields)
    return Contact.objects.create(
        organisation=organisation, user=user, role=Contact.Role.TREASURER, is_primary=primary
    )


# --- Numbering ----------------------------------------------------------------------------------
@pytest.mark.django_db
class TestNumbering:
    def test_numbers_follow_each_other_and_restart_each_year(self):
        grid = grid_2027()
        numbers = [
            issue_receipt_for(paid_payment(grid=grid, received_at=paris(2027, 2, day, 9))).number
            for day in (1, 2, 3)
        ]
        assert numbers == ["2027-0001", "2027-0002", "2027-0003"]
        next_year = issue_receipt_for(paid_payment(grid=grid, received_at=paris(2028, 1, 2, 9)))
        assert (next_year.year, next_year.sequence, next_year.number) == (2028, 1, "2028-0001")
        assert ReceiptSequence.objects.get(year=2027).last_number == 3

    def test_the_year_is_the_local_year_the_money_came_in(self):
        # 00:30 on 1 January in Paris is still 31 December in UTC.
        receipt = issue_receipt_for(paid_payment(received_at=paris(2028, 1, 1, 0, 30)))
        assert receipt.number == "2028-0001"

    def test_issuing_twice_returns_the_same_receipt(self):
        payment = paid_payment()
        first = issue_receipt_for(payment)
        assert issue_receipt_for(payment) == first
        assert Receipt.objects.count() == 1
        assert ReceiptSequence.objects.get(year=2027).last_number == 1

    def test_a_rollback_gives_the_number_back(self):
        grid = grid_2027()
        issue_receipt_for(paid_payment(grid=grid))
        with pytest.raises(RuntimeError), transaction.atomic():
            issue_receipt_for(paid_payment(grid=grid))
            raise RuntimeError("the work around the receipt failed")
        assert issue_receipt_for(paid_payment(grid=grid)).number == "2027-0002"

    def test_only_a_received_payment_gets_a_receipt(self):
        membership = start_membership(OrganisationFactory(), grid_2027())
        payment = create_payment(membership, Payment.Method.TRANSFER)
        with pytest.raises(PaymentNotReceived):
            issue_receipt_for(payment)
        assert not Receipt.objects.exists()
        assert not ReceiptSequence.objects.filter(last_number__gt=0).exists()


# --- The task, once -----------------------------------------------------------------------------
@pytest.mark.django_db
class TestTask:
    def test_running_the_task_twice_makes_one_receipt_and_one_email(self):
        payment = paid_payment()
        add_contact(payment.membership.organisation, primary=True)
        first = issue_receipt.enqueue(payment.pk)
        second = issue_receipt.enqueue(payment.pk)
        assert first.status == second.status == TaskResultStatus.SUCCESSFUL
        assert first.return_value == second.return_value == "2027-0001"
        assert Receipt.objects.count() == 1
        assert len(mail.outbox) == 1
        receipt = Receipt.objects.get()
        assert receipt.pdf and receipt.emailed_at is not None

    def test_confirming_twice_makes_one_receipt_and_one_email(
        self, django_capture_on_commit_callbacks
    ):
        membership = start_membership(OrganisationFactory(), grid_2027())
        add_contact(membership.organisation, primary=True)
        payment = create_payment(membership, Payment.Method.CARD, "pi_twice")
        for _ in range(2):  # the webhook, delivered twice
            with django_capture_on_commit_callbacks(execute=True):
                confirm_payment(payment.pk)
        assert Receipt.objects.filter(payment=payment).count() == 1
        assert len(mail.outbox) == 1

    def test_no_receipt_for_a_payment_not_received(self):
        membership = start_membership(OrganisationFactory(), grid_2027())
        payment = create_payment(membership, Payment.Method.CHEQUE)
        assert issue_receipt.enqueue(payment.pk).return_value is None
        assert not Receipt.objects.exists()
        assert mail.outbox == []


# --- The PDF and the e-mail ---------------------------------------------------------------------
@pytest.mark.django_db
class TestDocument:
    def test_the_pdf_names_the_receipt_the_money_and_both_parties(self, site_tree):
        payment = paid_payment(OrganisationFactory(name="Les Jardins d’Olonne", employees=4))
        receipt = issue_receipt_for(payment)
        content = render_receipt_pdf(receipt)
        text = pdf_text(content)
        assert "2027-0001" in text
        assert "120 €" in text
        assert "Les Jardins d’Olonne" in text
        assert "Réseau Test ESS" in text  # the association, from the site settings
        assert "Carte bancaire" in text
        assert "14 mars 2027" in text
        assert payment.reference in text
        assert "Ce reçu ne vaut pas reçu fiscal" in text
        metadata = PdfReader(io.BytesIO(content)).metadata
        assert metadata.author == "Réseau Test ESS"
        assert "2027-0001" in metadata.title

    def test_large_amounts_and_unusual_letters_still_print(self, site_tree):
        grid = grid_2027()
        tier = grid.tiers.get(free_amount=True)
        organisation = OrganisationFactory(name="Łódź Solidarité")
        membership = start_membership(organisation, grid, tier=tier, chosen_cents=1234567)
        payment = create_payment(membership, Payment.Method.TRANSFER)
        confirm_payment(payment.pk, received_at=paris(2027, 5, 1, 12))
        text = pdf_text(render_receipt_pdf(issue_receipt_for(payment)))
        assert "12 345,67 €" in text
        assert "Lódz Solidarité" in text  # « Ł », « ź » are not in the PDF fonts: replaced

    def test_the_pdf_is_stored_once(self):
        receipt = issue_receipt_for(paid_payment())
        store_receipt_pdf(receipt)
        name = receipt.pdf.name
        assert name.startswith("receipts/") and name.endswith(".pdf")
        store_receipt_pdf(Receipt.objects.get(pk=receipt.pk))
        assert Receipt.objects.get(pk=receipt.pk).pdf.name == name

    def test_a_lost_file_is_made_again(self, caplog):
        receipt = store_receipt_pdf(issue_receipt_for(paid_payment()))
        receipt.pdf.storage.delete(receipt.pdf.name)
        store_receipt_pdf(receipt)
        assert receipt.pdf.storage.exists(receipt.pdf.name)
        assert Receipt.objects.get(pk=receipt.pk).pdf.name == receipt.pdf.name
        assert "is missing" in caplog.text

    def test_the_email_goes_to_the_contacts_with_the_pdf(self, site_tree):
        payment = paid_payment()
        organisation = payment.membership.organisation
        add_contact(organisation, email="secretaire@example.org")
        add_contact(organisation, primary=True, email="tresorier@example.org")
        add_contact(OrganisationFactory(), email="autre@example.org")
        receipt = issue_receipt_for(payment)
        assert send_receipt_email(receipt) is True
        assert receipt.emailed_at is not None
        [message] = mail.outbox
        assert message.to == ["tresorier@example.org", "secretaire@example.org"]
        assert "2027-0001" in message.subject
        assert "120" in message.body and "réglée par carte bancaire" in message.body
        assert reverse("members:receipt", args=[receipt.pk]) in message.body
        [(filename, content, mimetype)] = message.attachments
        assert (filename, mimetype) == ("recu-2027-0001.pdf", "application/pdf")
        assert "2027-0001" in pdf_text(content)
        assert message.reply_to == ["contact@example.org"]
        assert send_receipt_email(Receipt.objects.get(pk=receipt.pk)) is False
        assert len(mail.outbox) == 1

    def test_no_contact_email_no_mark(self):
        receipt = issue_receipt_for(paid_payment())
        assert send_receipt_email(receipt) is False
        assert Receipt.objects.get(pk=receipt.pk).emailed_at is None

    def test_smtp_down_keeps_the_receipt_and_a_retry_sends_it(self, settings):
        payment = paid_payment()
        add_contact(payment.membership.organisation, primary=True)
        settings.EMAIL_BACKEND = MAIL_SERVER_DOWN
        result = issue_receipt.enqueue(payment.pk)
        assert result.status == TaskResultStatus.SUCCESSFUL
        receipt = Receipt.objects.get(payment=payment)
        assert receipt.pdf and receipt.emailed_at is None
        assert mail.outbox == []

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        call_command("send_membership_reminders", stdout=io.StringIO())  # the daily retry
        receipt.refresh_from_db()
        assert receipt.emailed_at is not None
        assert len(mail.outbox) == 1
        assert Receipt.objects.count() == 1
        call_command("send_membership_reminders", stdout=io.StringIO())
        assert len(mail.outbox) == 1


# --- The printable bulletin ---------------------------------------------------------------------
@pytest.mark.django_db
def test_the_bulletin_is_filled_in_for_a_cheque(site_tree):
    from members.models import MembershipSettings

    membership_settings = MembershipSettings.load()
    membership_settings.cheque_payable_to = "Réseau Test ESS — trésorerie"
    membership_settings.cheque_address = "Réseau Test ESS\nBP 12\n44000 Nantes"
    membership_settings.save()
    organisation = OrganisationFactory(name="La Ressourcerie du Port", employees=4)
    add_contact(organisation, primary=True, first_name="Anne", last_name="Marchand")
    membership = start_membership(organisation, grid_2027())
    payment = create_payment(membership, Payment.Method.CHEQUE)

    content = render_bulletin_pdf(membership)
    assert isinstance(content, bytes)
    text = pdf_text(content)
    assert payment.reference in text
    assert "120 €" in text
    assert "La Ressourcerie du Port" in text
    assert "Anne Marchand" in text
    assert "Réseau Test ESS — trésorerie" in text
    assert "BP 12" in text
    assert "Signature" in text
    assert PdfReader(io.BytesIO(content)).metadata.author == "Réseau Test ESS"


# --- Downloads ----------------------------------------------------------------------------------
@pytest.mark.django_db
class TestDownload:
    @pytest.fixture
    def receipt(self):
        payment = paid_payment()
        issue_receipt.enqueue(payment.pk)
        return Receipt.objects.get(payment=payment)

    def url(self, receipt):
        return reverse("members:receipt", args=[receipt.pk])

    def test_a_contact_downloads_their_receipt(self, client, receipt):
        contact = add_contact(receipt.payment.membership.organisation)
        client.force_login(contact.user)
        response = client.get(self.url(receipt))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert 'attachment; filename="recu-2027-0001.pdf"' == response["Content-Disposition"]
        assert "no-cache" in response["Cache-Control"]
        assert "2027-0001" in pdf_text(b"".join(response.streaming_content))

    def test_another_member_gets_a_404(self, client, receipt):
        stranger = add_contact(OrganisationFactory())
        client.force_login(stranger.user)
        assert client.get(self.url(receipt)).status_code == 404

    def test_an_anonymous_visitor_is_sent_to_the_login(self, client, receipt):
        response = client.get(self.url(receipt))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("members:login"))

    def test_who_may_view_receipts_downloads_any(self, client, receipt):
        reader = UserFactory(is_staff=True)
        # Staff work in the admin, with its second factor (given: the conftest logs them in so).
        reader.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_receipt", "access_admin"])
        )
        for user in (reader, UserFactory(is_superuser=True)):
            client.force_login(user)
            response = client.get(self.url(receipt))
            assert response.status_code == 200
            assert response["Content-Type"] == "application/pdf"

    def test_staff_without_the_permission_are_treated_as_members(self, client, receipt):
        staff = add_contact(OrganisationFactory(), is_staff=True)
        client.force_login(staff.user)
        assert client.get(self.url(receipt)).status_code == 404
        # Their own organisation's receipt, they get, as any of its contacts.
        own = issue_receipt_for(paid_payment(staff.organisation, grid=FeeGrid.objects.get()))
        assert client.get(self.url(own)).status_code == 200

    def test_a_refunded_payments_receipt_is_404_for_the_member_only(self, client, receipt):
        with transaction.atomic():
            assert refund_payment(receipt.payment_id)
        contact = add_contact(receipt.payment.membership.organisation)
        client.force_login(contact.user)
        assert client.get(self.url(receipt)).status_code == 404
        organisation = reverse("members:organisation", args=[contact.organisation_id])
        page = client.get(organisation).content.decode()
        assert "(remboursé" in page
        assert self.url(receipt) not in page and "Télécharger le reçu" not in page
        # The network's team still gets it, for its accounts.
        client.force_login(UserFactory(is_superuser=True))
        assert client.get(self.url(receipt)).status_code == 200

    def test_a_receipt_not_rendered_yet_is_rendered_on_the_spot(self, client):
        receipt = issue_receipt_for(paid_payment())  # the task has not run
        contact = add_contact(receipt.payment.membership.organisation)
        client.force_login(contact.user)
        response = client.get(self.url(receipt))
        assert response.status_code == 200
        assert "2027-0001" in pdf_text(b"".join(response.streaming_content))
        assert Receipt.objects.get(pk=receipt.pk).pdf


# --- Concurrency (PostgreSQL) -------------------------------------------------------------------
WINDOW = 0.2  # seconds spent inside the numbering: the race window


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_control_without_a_lock_two_receipts_take_the_same_number():
    ReceiptSequence.objects.create(year=2027)

    def take_unlocked():
        with transaction.atomic():
            counter = ReceiptSequence.objects.get(year=2027)  # no select_for_update
            time.sleep(WINDOW)
            counter.last_number += 1
            counter.save(update_fields=["last_number"])
            return counter.last_number

    results = run_each(take_unlocked, take_unlocked)
    assert results == [1, 1]  # the race the lock must prevent


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_receipts_made_at_once_are_numbered_without_gaps(monkeypatch):
    import members.receipts as receipts

    real_format = receipts.format_number

    def slow_format(year, sequence):  # called while the year's counter is locked
        time.sleep(WINDOW)
        return real_format(year, sequence)

    monkeypatch.setattr(receipts, "format_number", slow_format)
    grid = grid_2027()
    payments = []
    for _ in range(6):
        membership = start_membership(OrganisationFactory(), grid)
        add_contact(membership.organisation, primary=True)
        payments.append(create_payment(membership, Payment.Method.CARD))

    # Each thread confirms its own payment; the commit runs the receipt task in that thread.
    confirmations = [
        (lambda pk=p.pk: confirm_payment(pk, received_at=paris(2027, 6, 1, 12))) for p in payments
    ]
    results = run_each(*confirmations)
    assert results == [True] * 6
    receipts_made = Receipt.objects.order_by("sequence")
    assert [r.sequence for r in receipts_made] == [1, 2, 3, 4, 5, 6]
    assert len({r.number for r in receipts_made}) == 6
    assert {r.payment_id for r in receipts_made} == {p.pk for p in payments}
    assert ReceiptSequence.objects.get(year=2027).last_number == 6
    assert Receipt.objects.filter(emailed_at__isnull=True).count() == 0
    assert len(mail.outbox) == 6
