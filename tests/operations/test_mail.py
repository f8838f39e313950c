"""The outbox: an e-mail the mail server cannot take now is kept and sent later, once; a real
SMTP server (aiosmtpd on 127.0.0.1) receives them."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from deploy.services import MailSink, free_port
from operations import mail as outbox
from operations.models import QueuedMail

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    """A running SMTP sink and the settings of production's outbox in front of it."""
    port = free_port()
    sink = MailSink(port).start()
    settings.EMAIL_BACKEND = "operations.mail.OutboxBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 3
    yield sink
    sink.stop()


def message(to="tresoriere@asso.example.org", subject="Votre reçu"):
    return EmailMessage(subject, "Bonjour,\nvoici votre reçu.", "reseau@example.org", [to])


def test_a_message_goes_straight_out_when_the_server_answers(smtp):
    assert message().send() == 1
    assert [recipients for recipients, _ in smtp.received()] == [["tresoriere@asso.example.org"]]
    assert not QueuedMail.objects.exists()


def test_the_server_down_keeps_the_message_and_sends_it_later_once(smtp, caplog):
    smtp.stop()
    for index in range(3):
        # The caller sees it accepted: a receipt is marked e-mailed, a task succeeds.
        assert message(to=f"contact{index}@asso.example.org").send() == 1
    assert QueuedMail.objects.filter(sent_at=None).count() == 3
    queued = QueuedMail.objects.first()
    assert queued.attempts == 1 and "Connection refused" in queued.last_error
    unavailable = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(unavailable) == 1  # one line for the outage, not one per message

    # Not yet due: nothing is tried before the back-off has passed.
    assert outbox.send_queued() == (0, 0, 0)
    smtp.start()
    later = timezone.now() + timedelta(minutes=2)
    assert outbox.send_queued(now=later) == (3, 0, 0)
    assert sorted(r[0] for r, _ in smtp.received()) == [
        f"contact{i}@asso.example.org" for i in range(3)
    ]
    _, sent = smtp.received()[0]
    assert sent["Subject"] == "Votre reçu"
    assert "voici votre re" in sent.get_content()
    # Sent rows are not sent again.
    assert outbox.send_queued(now=later + timedelta(hours=1)) == (0, 0, 0)
    assert len(smtp.received()) == 3


def test_a_still_failing_server_backs_off_then_gives_up(smtp, caplog):
    smtp.stop()
    message().send()
    first_try = timezone.now() + timedelta(minutes=1, seconds=1)
    assert outbox.send_queued(now=first_try) == (0, 1, 0)
    queued = QueuedMail.objects.get()
    assert queued.sent_at is None and queued.failed_at is None
    assert queued.attempts == 2  # counted: a server that never answers must end somewhere
    assert queued.next_attempt_at == first_try + outbox.BACKOFF[1]
    now = first_try
    for _ in range(outbox.MAX_ATTEMPTS):
        now += timedelta(hours=2)
        outbox.send_queued(now=now)
    queued.refresh_from_db()
    assert queued.failed_at is not None and queued.attempts == outbox.MAX_ATTEMPTS
    given_up = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(given_up) == 1 and "tresoriere" not in given_up[0]  # no address in the log
    # Kept a month for staff to see why, then deleted.
    outbox.send_queued(now=now + outbox.KEEP_FAILED + timedelta(days=1))
    assert not QueuedMail.objects.exists()


def test_a_server_that_hangs_up_mid_run_leaves_the_rest_for_later(smtp, monkeypatch):
    smtp.stop()
    for index in range(3):
        message(to=f"c{index}@asso.example.org").send()
    smtp.start()

    def hang_up(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(smtplib.SMTP, "sendmail", hang_up)
    later = timezone.now() + timedelta(minutes=2)
    assert outbox.send_queued(now=later) == (0, 1, 0)  # stopped at the first
    # Not counted against the messages: the server went away, not them.
    assert set(QueuedMail.objects.values_list("attempts", flat=True)) == {1}


def test_a_permanent_refusal_gives_up_after_a_few_attempts(smtp, monkeypatch, caplog):
    def refuse(self, from_addr, to_addrs, msg, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({to_addrs[0]: (550, b"No such user")})

    monkeypatch.setattr(smtplib.SMTP, "sendmail", refuse)
    message(to="inconnu@asso.example.org").send()
    queued = QueuedMail.objects.get()
    now = timezone.now()
    for _attempt in range(2, outbox.PERMANENT_FAILURE_ATTEMPTS + 1):
        now += timedelta(hours=2)
        outbox.send_queued(now=now)
    queued.refresh_from_db()
    assert queued.failed_at is not None and queued.attempts == outbox.PERMANENT_FAILURE_ATTEMPTS
    assert any("given up" in r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    assert outbox.send_queued(now=now + timedelta(days=1)) == (0, 0, 0)


def test_sent_messages_are_deleted_after_a_week(smtp):
    smtp.stop()
    message().send()
    smtp.start()
    sent_at = timezone.now() + timedelta(minutes=5)
    outbox.send_queued(now=sent_at)
    assert QueuedMail.objects.count() == 1
    outbox.send_queued(now=sent_at + outbox.KEEP_SENT + timedelta(minutes=1))
    assert not QueuedMail.objects.exists()


def test_a_second_run_sends_nothing_again(smtp):
    """A second sender (another scheduler) finds the rows sent and skips them; while one holds
    a row, the other skips it too (select_for_update(skip_locked=True))."""
    smtp.stop()
    message(to="a@asso.example.org").send()
    message(to="b@asso.example.org").send()
    smtp.start()
    later = timezone.now() + timedelta(minutes=2)
    first = outbox.send_queued(now=later)
    second = outbox.send_queued(now=later)
    assert first == (2, 0, 0) and second == (0, 0, 0)
    assert len(smtp.received()) == 2


def test_the_locmem_backend_of_the_tests_is_untouched():
    message().send()
    assert len(mail.outbox) == 1
    assert isinstance(get_connection(), mail.backends.locmem.EmailBackend)
