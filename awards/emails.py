"""E-mails of the award, through the site's one sender (home/emails.py): templates in
awards/templates/awards/email/<name>_subject.txt and <name>_body.txt."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django_tasks import task

from home.emails import absolute_url, addresses_of_users_with_permission, send_templated_mail
from home.identity import site_identity

from .models import (
    PARTNER_LINK_DAYS,
    Application,
    AwardEdition,
    JuryAssignment,
    JuryReminder,
    juror_workload,
)


def send(template, context, recipients, language=None, identity=None):
    """Send awards/email/<template> to `recipients`; True when sent (home.emails' policy).
    `identity`: the SiteIdentity a loop read once (home.emails.templated_message)."""
    return send_templated_mail(
        f"awards/email/{template}", context, recipients, language=language, identity=identity
    )


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


# --- The jury --------------------------------------------------------------------------------
#
# Background work of the jury (django-tasks): e-mails to jurors and to staff.
#
# - `notify_assignment(assignment_id)`: tells a juror an application was assigned to them
#   (enqueue it after the commit that creates the assignment);
# - `notify_conflict(assignment_id)`: tells staff a juror declared a conflict of interest
#   (enqueued by scoring.declare_conflict after its commit);
# - `remind_jurors(edition_id, now=None, force=False)`: reminds jurors with unfinished assignments,
#   REMINDER_DAYS days before the scoring deadline (the daily command send_jury_reminders runs it:
#   each reminder goes once to each juror, a missed day is caught up once), or at once with
#   `force=True` (a button for staff).
#
# A failure to send is logged, never raised (home/emails.py): the action that caused the e-mail
# is already saved.


# Days before the scoring deadline (in Paris) on which unfinished jurors are reminded.
REMINDER_DAYS = (7, 2)


def _assignment(assignment_id):

    return (
        JuryAssignment.objects.select_related(
            "application__edition", "application__organisation", "juror__user"
        )
        .filter(pk=assignment_id)
        .first()
    )


@task()
def notify_conflict(assignment_id):
    """Tell staff that a juror withdrew from an application for a conflict of interest."""
    assignment = _assignment(assignment_id)
    if assignment is None or not assignment.conflict_reason:
        return False
    recipients = staff_recipients()
    if not recipients:
        logger.warning("Conflict of interest on assignment %s: no staff to tell.", assignment_id)
        return False
    application = assignment.application
    with translation.override(settings.LANGUAGE_CODE):
        admin_url = absolute_url(reverse("wagtailadmin_home"))
    context = {
        "assignment": assignment,
        "application": application,
        "juror": assignment.juror,
        "edition": application.edition,
        "admin_url": admin_url,
    }
    return send("jury_conflict", context, recipients)


@task()
def notify_assignment(assignment_id):
    """Tell a juror an application was assigned to them, with the link to score it."""

    assignment = _assignment(assignment_id)
    if assignment is None or assignment.status == JuryAssignment.Status.CONFLICT:
        return False
    email = assignment.juror.user.email
    if not email or not assignment.juror.user.is_active:  # an erased juror has no address
        return False
    application = assignment.application
    with translation.override(settings.LANGUAGE_CODE):
        url = absolute_url(reverse("awards:jury_application", args=[application.pk]))
    context = {
        "assignment": assignment,
        "application": application,
        "juror": assignment.juror,
        "edition": application.edition,
        "deadline": timezone.localtime(application.edition.scoring_deadline),
        "url": url,
    }
    return send("jury_assigned", context, [email])


def _as_datetime(now):
    if now is None:
        return timezone.now()
    if isinstance(now, str):
        return parse_datetime(now)
    return now


def reminder_due(deadline, now):
    """The reminder due at `now`, as its number of days before the deadline (one of
    REMINDER_DAYS: the nearest one not yet passed), or None before the first or after the
    deadline. A day the job did not run is caught up the next day, once (see JuryReminder)."""
    if now > deadline:
        return None
    days_left = (timezone.localdate(deadline) - timezone.localdate(now)).days
    due = [days for days in REMINDER_DAYS if days >= days_left]
    return min(due) if due else None


def _record_reminder(juror, days_before, deadline):
    """Claim this scheduled reminder for the juror; False when it was already sent (or is
    being sent by a concurrent run): the unique constraint decides."""

    try:
        with transaction.atomic():
            JuryReminder.objects.create(juror=juror, days_before=days_before, deadline=deadline)
    except IntegrityError:
        return False
    return True


@task()
def remind_jurors(edition_id, now=None, force=False):
    """E-mail each juror of the edition who still has applications to score; returns how many
    e-mails went out. `now` may be an ISO date-time (task arguments are JSON).

    Scheduled (the daily job): the reminder due today goes once to each juror (recorded in
    JuryReminder; an e-mail that fails is not recorded, so the next run tries again). Forced
    (staff's « Relancer »): at once, to every unfinished juror, and not recorded."""

    now = _as_datetime(now)
    edition = AwardEdition.objects.filter(pk=edition_id).first()
    if edition is None or now > edition.scoring_deadline:
        return 0
    due = reminder_due(edition.scoring_deadline, now)
    if due is None and not force:
        return 0
    days_left = (timezone.localdate(edition.scoring_deadline) - timezone.localdate(now)).days
    jurors = edition.jurors.select_related("user").annotate(**juror_workload()).filter(todo__gt=0)
    with translation.override(settings.LANGUAGE_CODE):
        url = absolute_url(reverse("awards:jury_home"))
    identity = site_identity()  # once per run, not once per e-mail
    sent = 0
    for juror in jurors:
        if not juror.user.email or not juror.user.is_active:  # erased or closed: no mail
            continue
        scheduled = not force
        if scheduled and not _record_reminder(juror, due, edition.scoring_deadline):
            continue
        context = {
            "juror": juror,
            "edition": edition,
            "todo": juror.todo,
            "assigned": juror.assigned,
            "days_left": max(days_left, 0),
            "deadline": timezone.localtime(edition.scoring_deadline),
            "url": url,
        }
        if send("jury_reminder", context, [juror.user.email], identity=identity):
            sent += 1
        elif scheduled:  # not sent: let the next run try again
            JuryReminder.objects.filter(
                juror=juror, days_before=due, deadline=edition.scoring_deadline
            ).delete()
    return sent


def editions_to_remind(now=None):
    """Editions whose scoring is under way: the daily job looks at each."""

    now = _as_datetime(now)
    return AwardEdition.objects.filter(scoring_deadline__gte=now).order_by("scoring_deadline")
