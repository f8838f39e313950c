"""The mail server is the one edge that cannot fail on demand here: these stand in for it.

`settings.EMAIL_BACKEND = MAIL_SERVER_DOWN` (or the `mail_server_down` fixture) makes every
message refused the way a stopped SMTP server refuses it; the code under test runs as it does in
production, through Django's mail API and home/emails.py.

`identity_reads()` counts how often the site identity (the signature of every e-mail) is read:
a run that sends many e-mails reads it once."""

from unittest import mock

from django.core.mail.backends.base import BaseEmailBackend

from home.models import SiteIdentity

MAIL_SERVER_DOWN = "tests.mail.MailServerDown"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class MailServerDown(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def identity_reads():
    """A mock standing in for SiteIdentity.for_site while the block runs, which it calls
    through to: its `call_count` is how many times the identity was read."""
    return mock.patch.object(SiteIdentity, "for_site", wraps=SiteIdentity.for_site)
