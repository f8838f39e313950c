"""E-mails of the award, through the site's one sender (home/emails.py): templates in
awards/templates/awards/email/<name>_subject.txt and <name>_body.txt."""

import logging

from django.urls import reverse
from django_tasks import task

from home.emails import absolute_url, addresses_of_users_with_permission, send_templated_mail

from .models import PARTNER_LINK_DAYS, Application


def send(template, context, recipients, language=None):
    """Send awards/email/<template> to `recipients`; True when sent (home.emails' policy)."""
    return send_templated_mail(f"awards/email/{template}", context, recipients, language=language)


def staff_recipients():
    """Addresses of the active users who may change applications (and superusers)."""
    return addresses_of_users_with_permission("awards", "change_application")


# --- The applicants and their partner -------------------------------------------------------------

logger = logging.getLogger(__name__)


@task()
def send_application_received(application_id):
    """Tell the applicant their dossier is received. A failure to send is logged: the dossier
    is submitted whatever happens to the e-mail."""
    application = (
        Application.objects.select_related("edition", "organisation", "created_by")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not application.created_by.email:
        return False
    context = {
        "application": application,
        "edition": application.edition,
        "organisation": application.organisation,
        "url": absolute_url(reverse("awards:application_detail", args=[application.pk])),
    }
    # Not sent (logged): the applicant sees the status on screen.
    return send("application_received", context, [application.created_by.email])


@task()
def send_partner_invitation(application_id, confirm_url, invited_by):
    """Ask the partner company's contact to confirm the partnership through a signed link."""
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
        "confirm_url": confirm_url,
        "invited_by": invited_by,
        "days": PARTNER_LINK_DAYS,
    }
    return send("partner_invitation", context, [application.company_contact_email])
