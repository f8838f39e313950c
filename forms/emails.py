"""E-mails of the volunteer matching and of the editors' form pages (FormPage), through the
site's one sender (home/emails.py): templates in forms/templates/forms/email/<name>_subject.txt
and <name>_body.txt."""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.contrib.forms.models import FormSubmission

from home.emails import (
    absolute_reverse,
    absolute_url,
    addresses_of_users_with_permission,
    send_templated_mail,
)
from home.identity import site_identity

from .disclosure import (
    association_contacts,
    association_recipients,
    skills_prefetch,
    visible_volunteer,
)
from .models import BoardNeed, EmailVerification, Match, VolunteerOffer
from .tokens import (
    ANSWER_LINK_MAX_AGE,
    ASSOCIATION,
    VERIFICATION_MAX_AGE,
    VOLUNTEER,
    make_answer_token,
    make_verification_token,
)

logger = logging.getLogger(__name__)


def send(template, context, recipients, language=None, identity=None):
    """Send forms/email/<template> to `recipients` in `language` (French by default); True when
    sent (home.emails' policy: a refusal is logged, never raised). `identity`: the SiteIdentity
    a loop read once (home.emails.templated_message)."""
    return send_templated_mail(
        f"forms/email/{template}", context, recipients, language=language, identity=identity
    )


def staff_recipients():
    """Addresses of the active users who may change matches (and superusers)."""
    return addresses_of_users_with_permission("forms", "change_match")


# --- A match's life -------------------------------------------------------------------------------


def _match(match_id):
    return (
        Match.objects.select_related("need__organisation", "offer__user", "offer__company")
        .prefetch_related(skills_prefetch())
        .filter(pk=match_id)
        .first()
    )


def answer_url(match, side, choice=None):
    """The absolute address of `side`'s signed answer page (`choice`: « accepter » or
    « decliner » puts that button first; the page still asks to confirm)."""
    url = absolute_reverse("volunteering:match_answer", args=[make_answer_token(match, side)])
    return f"{url}?choix={choice}" if choice else url


def _base_context(match):
    return {
        "match": match,
        "need": match.need,
        "organisation": match.need.organisation,
        "volunteer": visible_volunteer(match, viewer_is_association=True),
        "space_url": absolute_reverse("volunteering:my_space"),
        "link_days": ANSWER_LINK_MAX_AGE.days,
    }


@task()
def send_introduction(match_id):
    """Both sides learn of the introduction, each with its own links to answer."""
    match = _match(match_id)
    if match is None:
        return False
    context = _base_context(match)
    sent_association = send(
        "match_introduced_association",
        {
            **context,
            "url": answer_url(match, ASSOCIATION),
            "accept_url": answer_url(match, ASSOCIATION, "accepter"),
            "decline_url": answer_url(match, ASSOCIATION, "decliner"),
        },
        association_recipients(match.need),
    )
    sent_volunteer = send(
        "match_introduced_volunteer",
        {
            **context,
            "volunteer": visible_volunteer(match, viewer_is_association=False),
            "url": answer_url(match, VOLUNTEER),
            "accept_url": answer_url(match, VOLUNTEER, "accepter"),
            "decline_url": answer_url(match, VOLUNTEER, "decliner"),
        },
        [match.offer.user.email],
    )
    return sent_association and sent_volunteer


@task()
def send_accepted(match_id):
    """Both accepted: each side receives the other's contact details."""
    match = _match(match_id)
    if match is None or match.status != Match.Status.ACCEPTED:
        return False
    context = _base_context(match)
    sent_association = send(
        "match_accepted_association", context, association_recipients(match.need)
    )
    sent_volunteer = send(
        "match_accepted_volunteer",
        {**context, "contacts": association_contacts(match.need)},
        [match.offer.user.email],
    )
    return sent_association and sent_volunteer


@task()
def send_declined(match_id, declined_by):
    """The side that did not decline learns the introduction stops there (an anonymous
    volunteer stays anonymous)."""
    match = _match(match_id)
    if match is None:
        return False
    context = {**_base_context(match), "declined_by": declined_by}
    if declined_by == ASSOCIATION:
        recipients = [match.offer.user.email]
        context["recipient_side"] = VOLUNTEER
    else:
        recipients = association_recipients(match.need)
        context["recipient_side"] = ASSOCIATION
    return send("match_declined", context, recipients)


@task()
def send_interest_to_staff(match_id):
    """A volunteer expressed interest in a need: staff decide whether to introduce them."""
    match = _match(match_id)
    if match is None:
        return False
    context = {
        "match": match,
        "need": match.need,
        "organisation": match.need.organisation,
        "offer": match.offer,
        "admin_url": absolute_url(reverse("wagtailadmin_home")),
    }
    return send("match_interest_staff", context, staff_recipients())


# --- The public submissions -----------------------------------------------------------------------


def _admin_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"


@task()
def send_verification(verification_id):
    """E-mail the signed link that turns a visitor's submission into a real one."""

    verification = EmailVerification.objects.filter(pk=verification_id, used_at=None).first()
    if verification is None:
        return False
    data = verification.payload
    context = {
        "verify_url": absolute_reverse(
            "volunteering:verify",
            kwargs={"token": make_verification_token(verification)},
            language=verification.language,
        ),
        "hours": int(VERIFICATION_MAX_AGE.total_seconds() // 3600),
    }
    if verification.kind == EmailVerification.Kind.NEED:
        template = "need_verify"
        context["organisation_name"] = data["organisation"]["name"]
        context["first_name"] = data["contact"]["first_name"]
    else:
        template = "offer_verify"
        context["first_name"] = data["first_name"]
    return send(template, context, [verification.email], language=verification.language)


def _password_reset_url(language):
    return absolute_reverse("members:password_reset", language=language)


@task()
def send_need_received(need_id, language="fr"):
    """Confirm to whoever submitted the need that it is recorded and open."""

    need = (
        BoardNeed.objects.select_related("organisation", "created_by")
        .prefetch_related("need_skills__skill")
        .filter(pk=need_id)
        .first()
    )
    if need is None or need.created_by is None:
        return False
    user = need.created_by
    context = {
        "need": need,
        "organisation": need.organisation,
        "first_name": user.first_name,
        "skills": [str(need_skill) for need_skill in need.need_skills.all()],
        "set_password": not user.has_usable_password(),
        "password_reset_url": _password_reset_url(language),
        "portal_url": absolute_reverse("members:portal", language=language),
    }
    return send("need_received", context, [user.email], language=language)


@task()
def send_offer_received(offer_id, language="fr"):
    """Confirm to the volunteer that their offer is recorded."""

    offer = (
        VolunteerOffer.objects.select_related("user", "company")
        .prefetch_related("offer_skills__skill")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        return False
    context = {
        "offer": offer,
        "first_name": offer.first_name,
        "skills": [str(offer_skill) for offer_skill in offer.offer_skills.all()],
        "departements": ", ".join(offer.departements),
        "set_password": not offer.user.has_usable_password(),
        "password_reset_url": _password_reset_url(language),
    }
    return send("offer_received", context, [offer.user.email], language=language)


@task()
def notify_staff_of_submission(kind, pk):
    """One e-mail to the staff per new need or offer, pointing at the admin."""

    if kind == "need":
        need = BoardNeed.objects.select_related("organisation").filter(pk=pk).first()
        if need is None:
            return False
        context = {"kind": "need", "need": need, "organisation": need.organisation}
    else:
        offer = VolunteerOffer.objects.select_related("company").filter(pk=pk).first()
        if offer is None:
            return False
        context = {"kind": "offer", "offer": offer}
    context["admin_url"] = _admin_url()
    return send("staff_new_submission", context, staff_recipients())


# --- The editors' form pages ----------------------------------------------------------------------
# Sent in the background once the submission is stored: the answers to the staff, a confirmation
# to the sender. A failure is logged, never raised (the answers are in Wagtail's admin whatever
# happens to the e-mail).


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


def _send_from_page(template, context, recipients, from_address, **kwargs):
    """Like send(), from the address the editor gave the page (the site's default if none)."""
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
    return _send_from_page(
        "form_page_staff", context, recipients, page.from_address, reply_to=reply_to
    )


def send_confirmation_email(page, submission):
    """The confirmation to the sender. It does not repeat the answers: anyone can type someone
    else's address, and the site must not relay their text to it."""
    sender = sender_address(page, submission)
    if not page.send_confirmation or not sender:
        return False
    context = {"page": page, "submission": submission}
    return _send_from_page("form_page_confirmation", context, [sender], page.from_address)


@task()
def send_form_page_emails(submission_id):
    """Both e-mails of a submission; returns whether each was sent."""
    submission = FormSubmission.objects.select_related("page").filter(pk=submission_id).first()
    if submission is None:
        return {"staff": False, "confirmation": False}
    page = submission.page.specific
    return {
        "staff": send_staff_email(page, submission),
        "confirmation": send_confirmation_email(page, submission),
    }
