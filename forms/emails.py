"""E-mails of the volunteer matching: one place that renders and sends them.

Templates live in templates/forms/email/<name>_subject.txt and <name>_body.txt. A failure to
send is logged and reported as False, never raised: what caused the e-mail is already saved.
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

logger = logging.getLogger(__name__)


def absolute_url(path):
    """`path` (from reverse) on the site's public address, for links in e-mails."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def absolute_reverse(viewname, args=None, kwargs=None, language=None):
    """reverse() in `language` (the site's by default), made absolute."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return absolute_url(reverse(viewname, args=args, kwargs=kwargs))


def _identity():
    from home.models import SiteIdentity

    return SiteIdentity.objects.filter(site__is_default_site=True).first()


def send(template, context, recipients, language=None):
    """Render forms/email/<template>_subject.txt and _body.txt in `language` (French by
    default) and send them to `recipients`; True when sent."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return False
    identity = _identity()
    context = {"association": identity.name if identity else "", **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"forms/email/{template}_subject.txt", context).split())
        body = render_to_string(f"forms/email/{template}_body.txt", context)
    reply_to = [identity.email] if identity and identity.email else None
    message = EmailMessage(subject, body, to=recipients, reply_to=reply_to)
    try:
        message.send()
    except Exception:  # SMTP down, refused address…
        logger.exception("Volunteering e-mail %s to %s not sent.", template, recipients)
        return False
    return True


def staff_recipients():
    """Addresses of the active users who may change matches (and superusers)."""
    permission = Permission.objects.filter(
        content_type__app_label="forms", codename="change_match"
    ).first()
    allowed = Q(is_superuser=True)
    if permission is not None:
        allowed |= Q(user_permissions=permission) | Q(groups__permissions=permission)
    users = get_user_model().objects.filter(allowed, is_active=True).exclude(email="").distinct()
    return sorted({user.email for user in users})
