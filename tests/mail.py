"""The mail server is the one edge that cannot fail on demand here: these stand in for it.

`settings.EMAIL_BACKEND = MAIL_SERVER_DOWN` (or the `mail_server_down` fixture) makes every
message refused the way a stopped SMTP server refuses it; the code under test runs as it does in
production, through Django's mail API and home/emails.py."""

from django.core.mail.backends.base import BaseEmailBackend

MAIL_SERVER_DOWN = "tests.mail.MailServerDown"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class MailServerDown(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")
