"""E-mail that survives a mail server outage: the outbox.

With `EMAIL_URL` set, EMAIL_BACKEND is `OutboxBackend`. Each message goes straight to the SMTP
server, as before. When the server cannot take it now (down, refusing connections, a temporary
4xx answer), the message is kept as it would have been sent, bytes and envelope, in the
`QueuedMail` table, and the caller sees it accepted: a receipt, an invitation or a bulletin's
confirmation is never lost, and code that sends need not know. `manage.py send_queued_mail`
(every minute, by the scheduler) sends what waits, oldest first, backing off after each failure;
a message the server rejects for good (5xx) is retried a few times, then marked failed and logged
as an error for staff to see.

Each queued message is claimed in a transaction (row locks on PostgreSQL, skipped when another
sender holds them), sent, then marked sent in the same transaction: two schedulers never send it
twice. A crash between the server's acceptance and the commit would send it again: at least
once, never zero.

Sent rows are deleted after a week (they hold personal data: addresses and contents).
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import sanitize_address
from django.db import transaction
from django.utils import timezone

from .models import QueuedMail
from .outages import Outage

logger = logging.getLogger(__name__)
outage = Outage("Mail server (SMTP)", logger)

# After the n-th failed attempt, wait BACKOFF[n - 1] (then the last value) before the next one.
BACKOFF = [timedelta(minutes=m) for m in (1, 2, 5, 10, 30, 60)]
# A message the server rejects for good (5xx) is tried this many times in all, then failed.
PERMANENT_FAILURE_ATTEMPTS = 3
# Temporary failures: tried for about two days (1+2+5+10+30+60 min, then hourly).
MAX_ATTEMPTS = 50
KEEP_SENT = timedelta(days=7)
# Given-up messages stay for staff to see why, then go too.
KEEP_FAILED = timedelta(days=30)


def delivery_connection():
    """The real backend behind the outbox (SMTP, from EMAIL_URL)."""
    return get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)


def _envelope(message):
    encoding = message.encoding or settings.DEFAULT_CHARSET
    return (
        sanitize_address(message.from_email, encoding),
        [sanitize_address(address, encoding) for address in message.recipients()],
    )


def _is_permanent(error):
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [answer[0] for answer in error.recipients.values()]
        return bool(codes) and all(500 <= c < 600 for c in codes)
    return isinstance(code, int) and 500 <= code < 600


def queue(message, error):
    """Keep `message` for a later attempt (it counts as one failed attempt)."""

    from_email, recipients = _envelope(message)
    QueuedMail.objects.create(
        from_email=from_email,
        recipients="\n".join(recipients),
        subject=str(message.subject)[:255],
        content=message.message().as_bytes(linesep="\r\n"),
        attempts=1,
        next_attempt_at=timezone.now() + BACKOFF[0],
        last_error=str(error)[:1000],
    )


class OutboxBackend(BaseEmailBackend):
    """Sends now when the server takes it, keeps it in the outbox when it cannot."""

    def send_messages(self, email_messages):
        messages = [m for m in email_messages if m.recipients()]
        if not messages:
            return 0
        connection = delivery_connection()
        try:
            connection.open()
        except (smtplib.SMTPException, OSError) as error:
            outage.failed(error)
            for message in messages:
                queue(message, error)
            return len(messages)
        try:
            for message in messages:
                try:
                    connection.send_messages([message])
                except (smtplib.SMTPException, OSError) as error:
                    if _is_permanent(error):
                        logger.error("Mail refused by the server (%s): %s", message.subject, error)
                    else:
                        outage.failed(error)
                    queue(message, error)
                else:
                    outage.recovered()
        finally:
            try:
                connection.close()
            except (smtplib.SMTPException, OSError):
                pass
        return len(messages)


def send_queued(now=None, limit=500):
    """Send what waits in the outbox; returns (sent, still waiting, failed for good)."""

    now = now or timezone.now()
    QueuedMail.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    QueuedMail.objects.filter(failed_at__lt=now - KEEP_FAILED).delete()
    due = QueuedMail.objects.filter(
        sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")
    ids = list(due.values_list("pk", flat=True)[:limit])
    sent = waiting = failed = 0
    if not ids:
        return sent, waiting, failed
    connection = delivery_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as error:
        # Counted against each message, so that a server that never takes them (a wrong
        # password, a TLS mistake) ends in « given up » and an error, not an endless wait.
        outage.failed(error)
        for pk in ids:
            outcome = _record_failure(pk, error, now)
            waiting += outcome == "waiting"
            failed += outcome == "failed"
        return 0, waiting, failed
    try:
        for pk in ids:
            outcome = _send_one(connection, pk, now)
            if outcome == "disconnected":  # the rest wait for the next run, uncounted
                waiting += 1
                break
            sent += outcome == "sent"
            waiting += outcome == "waiting"
            failed += outcome == "failed"
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            pass
    if sent:
        logger.info("Outbox: %d queued e-mail(s) sent.", sent)
    return sent, waiting, failed


def _lock_pending(pk):
    """The queued mail, locked, if it still waits; None when it was sent or given up, or when
    another scheduler holds it. Call inside a transaction."""

    return (
        QueuedMail.objects.select_for_update(skip_locked=True)
        .filter(pk=pk, sent_at__isnull=True, failed_at__isnull=True)
        .first()
    )


def _send_one(connection, pk, now):
    with transaction.atomic():
        mail = _lock_pending(pk)
        if mail is None:  # sent or being sent by another scheduler
            return "skipped"
        try:
            connection.connection.sendmail(
                mail.from_email, mail.recipients.split("\n"), bytes(mail.content)
            )
        except smtplib.SMTPServerDisconnected as error:
            # The server went away: not this message's fault. Counted once, for the run.
            outage.failed(error)
            return "disconnected"
        except (smtplib.SMTPException, OSError) as error:
            return _fail(mail, error, now)
        mail.sent_at = now
        mail.save(update_fields=["sent_at"])
        outage.recovered()
        return "sent"


def _record_failure(pk, error, now):
    with transaction.atomic():
        mail = _lock_pending(pk)
        return "skipped" if mail is None else _fail(mail, error, now)


def _fail(mail, error, now):
    """One more failed attempt: the next one later, or given up (logged as an error)."""
    mail.attempts += 1
    mail.last_error = str(error)[:1000]
    limit = PERMANENT_FAILURE_ATTEMPTS if _is_permanent(error) else MAX_ATTEMPTS
    if mail.attempts >= limit:
        mail.failed_at = now
        logger.error(
            "Outbox: « %s » (queued mail %s) given up after %d attempts: %s",
            mail.subject,
            mail.pk,
            mail.attempts,
            error,
        )
    else:
        mail.next_attempt_at = now + BACKOFF[min(mail.attempts, len(BACKOFF)) - 1]
    mail.save(update_fields=["attempts", "last_error", "failed_at", "next_attempt_at"])
    return "failed" if mail.failed_at else "waiting"
