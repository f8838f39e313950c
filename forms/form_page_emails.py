"""The e-mails of a FormPage's submission: the answers to the staff, a confirmation to the
sender. Sent in the background once the submission is stored; a failure is logged, never
raised (the answers are in Wagtail's admin whatever happens to the e-mail)."""

import logging

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from home.emails import absolute_url, send_templated_mail
from home.identity import site_identity

logger = logging.getLogger(__name__)


def submission_answers(page, submission):
    """(label, value) pairs of a stored submission, in the order of the page's fields."""
    data = submission.form_data
    answers = []
    for field in page.get_form_fields():
        value = data.get(field.clean_name)
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        elif isinstance(value, bool):
            value = _("oui") if value else _("non")
        elif value is None:
            value = ""
        answers.append((field.label, str(value)))
    return answers


def sender_address(page, submission):
    """The answer to the page's first « E-mail » field, if any."""
    field = page.sender_email_field()
    if field is None:
        return ""
    return (submission.form_data.get(field.clean_name) or "").strip()


def _send(template, context, recipients, from_address, **kwargs):
    return send_templated_mail(
        f"forms/email/{template}", context, recipients, from_email=from_address or None, **kwargs
    )


def send_staff_email(page, submission):
    """The answers to the page's « to » addresses (AbstractEmailForm's to_address), or to the
    site identity's e-mail when the editor gave none; replying answers the sender."""
    recipients = [address.strip() for address in page.to_address.split(",") if address.strip()]
    if not recipients:  # the editor left it empty: the association's own address
        recipients = [address for address in [site_identity().email] if address]
    if not recipients:
        logger.warning("Form page %s: no address to send the answers to.", page.pk)
        return False
    sender = sender_address(page, submission)
    context = {
        "page": page,
        "submission": submission,
        "answers": submission_answers(page, submission),
        "subject": page.subject,
        "submissions_url": absolute_url(reverse("wagtailforms:list_submissions", args=[page.pk])),
    }
    reply_to = [sender] if sender else None
    return _send("form_page_staff", context, recipients, page.from_address, reply_to=reply_to)


def send_confirmation_email(page, submission):
    """The confirmation to the sender. It does not repeat the answers: anyone can type someone
    else's address, and the site must not relay their text to it."""
    sender = sender_address(page, submission)
    if not page.send_confirmation or not sender:
        return False
    context = {"page": page, "submission": submission}
    return _send("form_page_confirmation", context, [sender], page.from_address)


@task()
def send_form_page_emails(submission_id):
    """Both e-mails of a submission; returns whether each was sent."""
    from wagtail.contrib.forms.models import FormSubmission

    submission = FormSubmission.objects.select_related("page").filter(pk=submission_id).first()
    if submission is None:
        return {"staff": False, "confirmation": False}
    page = submission.page.specific
    return {
        "staff": send_staff_email(page, submission),
        "confirmation": send_confirmation_email(page, submission),
    }
