"""Background work of the applications (django-tasks): the e-mails to applicants and partners."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

logger = logging.getLogger(__name__)


def _site_name():
    from home.identity import site_name

    return site_name()


def _send(template_prefix, context, to):
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        body = render_to_string(f"{template_prefix}_body.txt", context)
    EmailMessage(" ".join(subject.split()), body, to=to).send()


@task()
def send_application_received(application_id):
    """Tell the applicant their dossier is received. A failure to send is logged: the dossier
    is submitted whatever happens to the e-mail."""
    from .models import Application

    application = (
        Application.objects.select_related("edition", "organisation", "created_by")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not application.created_by.email:
        return False
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "application": application,
        "edition": application.edition,
        "organisation": application.organisation,
        "association": _site_name(),
        "url": base + reverse("awards:application_detail", args=[application.pk]),
    }
    try:
        _send("awards/email/application_received", context, [application.created_by.email])
    except Exception:  # SMTP down: the applicant sees the status on screen
        logger.exception("Confirmation of application %s not sent.", application.pk)
        return False
    return True


@task()
def send_partner_invitation(application_id, confirm_url, invited_by):
    """Ask the partner company's contact to confirm the partnership through a signed link."""
    from .applications import PARTNER_LINK_DAYS
    from .models import Application

    application = (
        Application.objects.select_related("edition", "organisation")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not application.company_contact_email:
        return False
    context = {
        "application": application,
        "edition": application.edition,
        "organisation": application.organisation,
        "association": _site_name(),
        "confirm_url": confirm_url,
        "invited_by": invited_by,
        "days": PARTNER_LINK_DAYS,
    }
    _send("awards/email/partner_invitation", context, [application.company_contact_email])
    return True
