"""Every e-mail of the site leaves through here: rendered from two templates, in French unless
told otherwise, signed by the association, and sent under one failure policy.

Templates: `<prefix>_subject.txt` (one line: its whitespace is folded) and `<prefix>_body.txt`.
Their context always has `association` (the name the site shows) and `identity` (the
SiteIdentity: address, e-mail, phone); replies go to the association's address when it has one.

The failure policy: the mail server's refusal is logged (the template and the number of
recipients, never their addresses) and answered False, never raised. What caused the e-mail is
already saved, and in production the outbox (operations/mail.py) keeps what the server cannot
take now and retries it. A caller that must know (a receipt sent once, a reminder recorded with
its e-mail) reads the answer and undoes its own mark. The e-mails that follow a person's action
are sent from the tasks framework (each app's `tasks`), so no page waits for the mail server.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .identity import site_identity

logger = logging.getLogger(__name__)


def absolute_url(path):
    """`path` (from reverse) on the site's public address, for links in e-mails."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def site_url(request):
    """The site's address as `request` reached it, without the final slash: what an e-mail sent
    on this request's behalf (an invitation) puts before its links."""
    return request.build_absolute_uri("/").rstrip("/")


def absolute_reverse(viewname, args=None, kwargs=None, language=None):
    """reverse() in `language` (the site's by default), made absolute."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return absolute_url(reverse(viewname, args=args, kwargs=kwargs))


def render_templated_mail(prefix, context, language=None, identity=None):
    """(subject, body) of `<prefix>_subject.txt` and `<prefix>_body.txt` in `language`.
    `identity` is the SiteIdentity already read, if any: a run sending many e-mails reads it
    once rather than once per e-mail."""
    identity = identity or site_identity()
    context = {
        "association": identity.name or settings.SITE_NAME_DEFAULT,
        "identity": identity,
        **context,
    }
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        body = render_to_string(f"{prefix}_body.txt", context)
    return subject, body


def templated_message(
    prefix, context, recipients, *, language=None, identity=None, **message_kwargs
):
    """The EmailMessage of `prefix` for `recipients`, replying to the association: for a caller
    that attaches a file or sends on its own connection before `send_message`. A loop that sends
    many passes the `identity` it read once (see `render_templated_mail`)."""
    identity = identity or site_identity()
    subject, body = render_templated_mail(prefix, context, language, identity)
    message_kwargs.setdefault("reply_to", [identity.email] if identity.email else None)
    return EmailMessage(subject, body, to=list(recipients), **message_kwargs)


class NotSent(Exception):
    """`send_message` answered False inside a transaction that marked the e-mail as sent (a
    reminder's row, a receipt's « e-mailed » stamp): raised to roll that mark back, and caught
    by the same caller, so a later run tries again."""


def send_message(message, label):
    """Send `message`; True when the mail server (or the outbox) took it, False, logged, when
    not. `label` names the e-mail in the log (a template, never an address)."""
    try:
        message.send()
    except Exception:  # SMTP down, an address refused…
        logger.exception("E-mail %s to %d recipient(s) not sent.", label, len(message.to))
        return False
    return True


def send_templated_mail(
    prefix, context, recipients, *, language=None, identity=None, **message_kwargs
):
    """Render `prefix`'s two templates and send them to `recipients` (empty addresses left
    out). True when sent; False when there was no one to send to or the server refused.
    `identity`: as for `templated_message`."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return False
    message = templated_message(
        prefix, context, recipients, language=language, identity=identity, **message_kwargs
    )
    return send_message(message, prefix)


def addresses_of_users_with_permission(app_label, codename):
    """E-mail addresses of the active users holding `app_label.codename` (directly or through a
    group) and of the active superusers: the staff an app tells of something to do."""
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    allowed = Q(is_superuser=True)
    if permission is not None:
        allowed |= Q(user_permissions=permission) | Q(groups__permissions=permission)
    users = get_user_model().objects.filter(allowed, is_active=True).exclude(email="").distinct()
    return sorted({user.email for user in users})
