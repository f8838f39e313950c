"""Background work of the membership (django-tasks): receipts and their e-mails."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def issue_receipt(payment_id):
    """Number, render and e-mail the receipt of a received payment.

    Enqueued once per confirmation (services.confirm_payment, after the commit), but safe to run
    again: each step does only what is not done yet (receipts.py). Returns the receipt's number,
    or None when the payment is not received (any more).
    """
    from .models import Payment
    from .receipts import (
        PaymentNotReceived,
        issue_receipt_for,
        send_receipt_email,
        store_receipt_pdf,
    )

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


@task()
def send_bulletin_confirmation(payment_id):
    """Confirm a bulletin to the organisation's contacts: the amount, the reference and how to
    pay. A failure to send is logged; the bulletin itself is already saved."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from .models import Payment
    from .pages import MembershipSettings
    from .receipts import receipt_recipients, site_identity
    from .services import format_euros

    payment = (
        Payment.objects.select_related("membership__organisation", "membership__tier")
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        return False
    membership = payment.membership
    recipients = receipt_recipients(membership.organisation)
    if not recipients:
        return False
    online = payment.method in (Payment.Method.CARD, Payment.Method.SEPA)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    identity = site_identity()
    context = {
        "payment": payment,
        "membership": membership,
        "organisation": membership.organisation,
        "amount": format_euros(payment.amount_cents).replace("\u202f", " "),
        "options": MembershipSettings.load(),
        "association": identity,
        "pay_url": base
        + reverse("members:pay" if online else "members:offline", args=[membership.pk]),
        "portal_url": base + reverse("members:portal"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("members/email/bulletin_subject.txt", context).split())
        body = render_to_string("members/email/bulletin_body.txt", context)
    message = EmailMessage(
        subject, body, to=recipients, reply_to=[identity.email] if identity.email else None
    )
    try:
        message.send()
    except Exception:  # SMTP down: the member has the same details on screen
        logger.exception("Bulletin confirmation for %s not sent.", payment.reference)
        return False
    return True
