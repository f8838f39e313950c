"""Receipts (reçu de cotisation / attestation d'adhésion): numbered, rendered, e-mailed.

Three steps, each safe to run again (the task that chains them may run twice, or be retried
after a failure), and each committed on its own so a later failure never undoes an earlier one:

1. `issue_receipt_for(payment)` gives the payment its number. Numbers run per calendar year of
   the payment's receipt (as a treasurer's books do: a 2028 membership paid in December 2027 is
   on a 2027 receipt), « 2027-0001 », « 2027-0002 »… The year's counter (ReceiptSequence) is
   locked while a number is taken, in the same transaction as the receipt's insert: two receipts
   made at once wait for each other, and a rollback gives the number back, so there is no gap
   and no number is used twice.
2. `store_receipt_pdf(receipt)` renders the PDF once and keeps it (private storage); it is never
   regenerated, so a later change of the association's details does not alter an issued receipt.
3. `send_receipt_email(receipt)` e-mails it once to the organisation's contacts. If sending
   fails, `emailed_at` stays empty and a later run sends it.
"""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from home.emails import NotSent, absolute_url, send_message, templated_message
from home.identity import site_identity
from home.money import format_euros

from .contacts import contact_addresses
from .models import Payment, Receipt, ReceiptSequence

logger = logging.getLogger(__name__)


class PaymentNotReceived(ValueError):
    """Only a received (succeeded) payment gets a receipt."""


def receipt_year(payment):
    """The year a receipt is numbered in: the calendar year (local time) the money came in."""
    received = payment.received_at or timezone.now()
    return timezone.localtime(received).year


def format_number(year, sequence):
    return f"{year}-{sequence:04d}"


def _take_number(year):
    """The next number of `year`, taken under a lock on the year's counter. Must run inside the
    transaction that stores the receipt, so that a rollback gives the number back."""
    if not ReceiptSequence.objects.filter(year=year).exists():
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the transaction usable
                ReceiptSequence.objects.get_or_create(year=year)
        except IntegrityError:
            pass  # another transaction created the year's counter at the same moment
    counter = ReceiptSequence.objects.select_for_update().get(year=year)
    counter.last_number += 1
    # Equivalent mutant (update_fields=None): the only other field, year, is saved unchanged.
    counter.save(update_fields=["last_number"])  # pragma: no mutate
    return counter.last_number


def issue_receipt_for(payment):
    """The payment's receipt: the existing one, or a new one with the next number of its year.

    Raises PaymentNotReceived for a payment that is not (or no longer) succeeded.
    """
    # Equivalent mutants: without this look, the one under the lock returns the same receipt.
    existing = Receipt.objects.filter(payment_id=payment.pk).first()  # pragma: no mutate
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            # Locking the payment first serialises two issuers of the same payment (the second
            # then finds the receipt), and always in the same order: payment, then counter.
            payment = Payment.objects.select_for_update().get(pk=payment.pk)
            existing = Receipt.objects.filter(payment_id=payment.pk).first()
            if existing is not None:
                return existing
            if payment.status != Payment.Status.SUCCEEDED:
                raise PaymentNotReceived(payment.reference)
            year = receipt_year(payment)
            sequence = _take_number(year)
            return Receipt.objects.create(
                payment=payment,
                year=year,
                sequence=sequence,
                number=format_number(year, sequence),
            )
    except IntegrityError:
        # Only where rows cannot be locked: another issuer's receipt for this payment is the one.
        existing = Receipt.objects.filter(payment_id=payment.pk).first()
        if existing is None:
            raise
        return existing


def receipt_filename(receipt):
    return f"recu-{receipt.number}.pdf"


def store_receipt_pdf(receipt):
    """Render the receipt's PDF and keep it, unless it already has one. Two runs at once both
    render, but only the first to record its file keeps it; the other's file is removed.

    A recorded file that has gone from the storage (a lost disk, a bad restore) is made again,
    with an error in the log: the member still gets a receipt with the same number and amounts.
    """
    field = receipt.pdf.field
    previous = receipt.pdf.name or ""
    if previous:
        if field.storage.exists(previous):
            return receipt
        logger.error("Receipt %s: its file %s is missing, made again.", receipt.number, previous)
    from .pdf import render_receipt_pdf  # reportlab on first use (home/pdf.py)

    content = render_receipt_pdf(receipt)
    name = field.storage.save(
        field.generate_filename(receipt, receipt_filename(receipt)), ContentFile(content)
    )
    recorded = Receipt.objects.filter(pk=receipt.pk, pdf=previous).update(pdf=name)
    if not recorded:
        field.storage.delete(name)
        receipt.pdf = Receipt.objects.values_list("pdf", flat=True).get(pk=receipt.pk)
    else:
        receipt.pdf = name
    return receipt


def _lower_first(text):
    return text[:1].lower() + text[1:]


def _receipt_message(receipt, recipients, identity):
    payment = receipt.payment
    membership = payment.membership
    context = {
        "receipt": receipt,
        "organisation": membership.organisation,
        "membership": membership,
        # Equivalent mutants: neither e-mail template reads "payment"; renaming it changes nothing.
        "payment": payment,  # pragma: no mutate
        "amount": format_euros(payment.amount_cents),
        "method": _lower_first(payment.get_method_display()),  # « par prélèvement SEPA »
        "received_on": formats.date_format(
            timezone.localtime(payment.received_at or receipt.issued_at), "j F Y"
        ),
        "period_start": formats.date_format(membership.period_start, "j F Y"),
        "period_end": formats.date_format(membership.period_end, "j F Y"),
        "download_url": absolute_url(reverse("members:receipt", args=[receipt.pk])),
    }
    message = templated_message("members/email/receipt", context, recipients, identity=identity)
    receipt.pdf.open("rb")
    try:
        message.attach(receipt_filename(receipt), receipt.pdf.read(), "application/pdf")
    finally:
        receipt.pdf.close()
    return message


def send_receipt_email(receipt, identity=None):
    """E-mail the receipt, with its PDF, to the organisation's contacts, once (`identity`: the
    SiteIdentity a run sending many read once).

    Returns True when this call sent it. The conditional update (emailed_at still empty) and the
    sending share one transaction: a second run at the same moment waits on the row, then finds
    it sent; a failure to send rolls the mark back, so a later run tries again.
    """
    if receipt.emailed_at is not None:
        return False
    fresh = Receipt.objects.select_related(
        "payment__membership__organisation", "payment__membership__tier"
    ).get(pk=receipt.pk)
    if fresh.emailed_at is not None:
        receipt.emailed_at = fresh.emailed_at
        return False
    recipients = contact_addresses(fresh.payment.membership.organisation)
    if not recipients:
        logger.warning("Receipt %s: the organisation has no contact e-mail.", fresh.number)
        return False
    store_receipt_pdf(fresh)
    receipt.pdf = fresh.pdf
    with translation.override(settings.LANGUAGE_CODE):  # the dates and the method, in French
        message = _receipt_message(fresh, recipients, identity)
    now = timezone.now()
    try:
        with transaction.atomic():
            claimed = Receipt.objects.filter(pk=fresh.pk, emailed_at__isnull=True).update(
                emailed_at=now
            )
            if not claimed:
                return False
            if not send_message(message, "members/email/receipt"):
                raise NotSent
    except NotSent:  # SMTP down, refused, timed out…: the receipt stays, to be sent later
        logger.warning("Receipt %s: the e-mail could not be sent.", fresh.number)
        return False
    receipt.emailed_at = now
    return True


def send_unsent_receipts():
    """Send the receipts whose e-mail failed before (SMTP down…); returns how many went out.
    Run by the daily job, so that a failure is retried without anyone noticing it."""
    unsent = Receipt.objects.filter(
        emailed_at__isnull=True, payment__membership__organisation__pseudonymised_at__isnull=True
    ).order_by("pk")
    identity = site_identity()
    return sum(1 for receipt in unsent.iterator() if send_receipt_email(receipt, identity))
