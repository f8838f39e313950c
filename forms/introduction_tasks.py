"""E-mails of a match's life (django-tasks), enqueued by introductions.py after the commit.

Each task re-reads the match: what it sends reflects the state that was committed. A failure
to send is logged by forms.emails.send and never undoes the change that caused the e-mail.
"""

from django.urls import reverse
from django_tasks import task

from . import emails
from .disclosure import (
    association_contacts,
    association_recipients,
    skills_prefetch,
    visible_volunteer,
)
from .models import Match
from .tokens import ANSWER_LINK_MAX_AGE, ASSOCIATION, VOLUNTEER, make_answer_token


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
    url = emails.absolute_reverse(
        "volunteering:match_answer", args=[make_answer_token(match, side)]
    )
    return f"{url}?choix={choice}" if choice else url


def _base_context(match):
    return {
        "match": match,
        "need": match.need,
        "organisation": match.need.organisation,
        "volunteer": visible_volunteer(match, viewer_is_association=True),
        "space_url": emails.absolute_reverse("volunteering:my_space"),
        "link_days": ANSWER_LINK_MAX_AGE.days,
    }


@task()
def send_introduction(match_id):
    """Both sides learn of the introduction, each with its own links to answer."""
    match = _match(match_id)
    if match is None:
        return False
    context = _base_context(match)
    sent_association = emails.send(
        "match_introduced_association",
        {
            **context,
            "url": answer_url(match, ASSOCIATION),
            "accept_url": answer_url(match, ASSOCIATION, "accepter"),
            "decline_url": answer_url(match, ASSOCIATION, "decliner"),
        },
        association_recipients(match.need),
    )
    sent_volunteer = emails.send(
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
    sent_association = emails.send(
        "match_accepted_association", context, association_recipients(match.need)
    )
    sent_volunteer = emails.send(
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
    return emails.send("match_declined", context, recipients)


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
        "admin_url": emails.absolute_url(reverse("wagtailadmin_home")),
    }
    return emails.send("match_interest_staff", context, emails.staff_recipients())
