"""Background work of members (django-tasks) that is not an e-mail: the receipt of a received
payment, numbered, rendered and sent. The e-mails are in members/emails.py."""

import logging

from django_tasks import task

from .models import Payment
from .receipts import (
    PaymentNotReceived,
    issue_receipt_for,
    send_receipt_email,
    store_receipt_pdf,
)

logger = logging.getLogger(__name__)


@task()
def issue_receipt(payment_id):
    """Number, render and e-mail the receipt of a received payment.

    Enqueued once per confirmation (services.confirm_payment, after the commit), but safe to run
    again: each step does only what is not done yet (receipts.py). Returns the receipt's number,
    or None when the payment is not received (any more).
    """
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        logger.warning("Receipt: payment %s does not exist.", payment_id)
        return None
    try:
        receipt = issue_receipt_for(payment)
    except PaymentNotReceived:
        logger.info("Receipt: payment %s is not received, no receipt.", payment.reference)
        return None
    store_receipt_pdf(receipt)
    send_receipt_email(receipt)
    return receipt.number
