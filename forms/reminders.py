"""The volunteering's daily reminders, as plain functions.

- An association introduced to a volunteer that has not answered within 7 days gets one
  reminder, with its links to accept or decline (`Match.reminder_sent_at` proves it went out).
- A need open for 90 days (since it was filed or last confirmed) gets one request to confirm it
  is still open (`BoardNeed.confirmation_requested_at`); once the association confirms it,
  `confirmed_at` moves on and the 90 days count again.

Days are calendar days in the site's time zone: an introduction made on 1 March, whatever the
hour, is reminded on 8 March. Each reminder is decided again on the locked row, in the
transaction that records it, so two runs at once never send it twice; the stamp is written
before the e-mail is made (the need's single-use link carries it) and undone if the e-mail
fails, so the next run tries again. A day without a run sends nothing more the next day: each
match and each need is reminded at most once per period, never once per missed day.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django_tasks import task

from home.identity import site_identity
from members.models import Contact

from . import emails
from .disclosure import association_recipients, is_revealed
from .models import BoardNeed, Match
from .tokens import ANSWER_LINK_MAX_AGE, ASSOCIATION, make_answer_token, make_need_token

__all__ = [
    "association_recipients",  # the introductions' rule, also used by the daily command
    "matches_to_remind",
    "needs_to_confirm",
    "remind_associations",
    "request_confirmations",
    "send_reminders",
    "send_volunteering_reminders",
]

logger = logging.getLogger(__name__)

ANSWER_DAYS = 7  # an association's answer to an introduction is awaited this long
CONFIRM_DAYS = 90  # an open need is asked to be confirmed after this long


def _now(now=None):
    return now or timezone.now()


def _day_start(day):
    """Midnight at the start of `day`, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def moment_of(day):
    """`day` at the current time of day: how a replayed day (`--date`) stamps what it sends."""
    return timezone.make_aware(
        datetime.datetime.combine(day, timezone.localtime().time().replace(microsecond=0))
    )


def _cutoff(now, days):
    """Anything stamped before this moment is at least `days` calendar days old on `now`'s day."""
    return _day_start(timezone.localdate(now) - datetime.timedelta(days=days - 1))


def _contacts(prefix=""):
    return Prefetch(
        f"{prefix}organisation__contacts",
        queryset=Contact.objects.select_related("user").order_by("-is_primary", "pk"),
    )


# --- Which reminders are due -------------------------------------------------------------------


def _unanswered(now):
    """Matches introduced `ANSWER_DAYS` days ago or more, the association silent, not reminded."""
    return Match.objects.filter(
        # An erased (pseudonymised) association is never written to again.
        need__organisation__pseudonymised_at__isnull=True,
        status=Match.Status.INTRODUCED,
        association_answer="",
        introduced_at__lt=_cutoff(now, ANSWER_DAYS),
        reminder_sent_at__isnull=True,
    )


def _unconfirmed(now):
    """Open needs neither filed nor confirmed in the last `CONFIRM_DAYS` days, whose request to
    confirm was not sent since (a request older than the last confirmation is spent)."""
    cutoff = _cutoff(now, CONFIRM_DAYS)
    return BoardNeed.objects.filter(
        Q(confirmed_at__isnull=True) | Q(confirmed_at__lt=cutoff),
        Q(confirmation_requested_at__isnull=True)
        | Q(confirmed_at__isnull=False, confirmation_requested_at__lt=F("confirmed_at")),
        status=BoardNeed.Status.OPEN,
        created_at__lt=cutoff,
        organisation__pseudonymised_at__isnull=True,
    )


def matches_to_remind(now=None):
    """The matches whose association is reminded today, in a fixed number of queries."""
    return list(
        _unanswered(_now(now))
        .select_related("need__organisation", "offer")
        .prefetch_related(_contacts("need__"))
        .order_by("introduced_at", "pk")
    )


def needs_to_confirm(now=None):
    """The needs whose association is asked today to confirm them, in a fixed number of
    queries."""
    return list(
        _unconfirmed(_now(now))
        .select_related("organisation")
        .prefetch_related(_contacts())
        .order_by("created_at", "pk")
    )


# --- Sending -----------------------------------------------------------------------------------


@dataclass
class ReminderReport:
    sent: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # the e-mail could not go: retried next run
    without_recipient: list = field(default_factory=list)  # nobody to write to: retried too
    already_done: list = field(default_factory=list)  # another run (or an answer) came first

    def record(self, outcome, item):
        {"sent": self.sent, "failed": self.failed, "already": self.already_done}[outcome].append(
            item
        )


def _answer_url(match):
    """The association's signed link to accept or decline (the introductions' token)."""

    return emails.absolute_reverse(
        "volunteering:match_answer", args=[make_answer_token(match, ASSOCIATION)]
    )


def _answer_link_days():

    return ANSWER_LINK_MAX_AGE.days


def _volunteer(match):
    """How the volunteer is named to the association: by their name only once both accepted or
    if they chose not to be anonymous (the introductions' rule)."""

    if is_revealed(match):
        return {"volunteer": match.offer.full_name, "revealed": True}
    return {"volunteer": str(match.offer.public_label), "revealed": False}


def _send_locked(due, pk, send, stamp_field, now):
    """Lock the row, check it is still due, stamp it, then send(row) (the row as saved, with
    its stamp); a failed e-mail rolls the stamp back. Returns "sent", "failed" or "already"."""
    with transaction.atomic():
        # Only the row itself is locked, not the need or association its conditions join.
        row = due.select_for_update(of=("self",)).filter(pk=pk).first()
        if row is None:
            return "already"
        due.model.objects.filter(pk=pk).update(**{stamp_field: now})
        setattr(row, stamp_field, now)
        if not send(row):
            transaction.set_rollback(True)
            return "failed"
    return "sent"


@dataclass
class _Reminder:
    """One kind of reminder: what is still due, the stamp that proves it went out, whose
    association it goes to, its e-mail and the context made from the item and its locked row,
    the two log lines."""

    due: object  # the queryset that decides, on the locked row, whether it is still due
    stamp_field: str
    need_of: object  # item -> the need whose association is written to
    template: str
    context: object  # (item, row) -> the e-mail's context
    no_address: str  # logged with the item's pk
    not_sent: str


def _send_each(items, reminder, now):
    """Send `reminder` to the association of each item (a match or a need): the site identity
    is read once for the run."""
    report = ReminderReport()
    if not items:
        return report
    identity = site_identity()
    for item in items:
        recipients = association_recipients(reminder.need_of(item))
        if not recipients:
            logger.warning(reminder.no_address, item.pk)
            report.without_recipient.append(item)
            continue

        def send(row, item=item, recipients=recipients):
            context = reminder.context(item, row)
            return emails.send(reminder.template, context, recipients, identity=identity)

        outcome = _send_locked(reminder.due, item.pk, send, reminder.stamp_field, now)
        if outcome == "failed":
            logger.warning(reminder.not_sent, item.pk)
        report.record(outcome, item)
    return report


def _reminder_context(match, row):
    return {
        "match": match,
        "need": match.need,
        "organisation": match.need.organisation,
        **_volunteer(match),
        "introduced_at": match.introduced_at,
        "answer_url": _answer_url(match),
        "link_days": _answer_link_days(),
    }


def _confirmation_context(need, row):
    # The link is made from the locked row with its request just stamped: it serves once (see
    # tokens.py), and only the newest request's link does.
    return {
        "need": need,
        "organisation": need.organisation,
        "since": row.confirmed_at or row.created_at,
        "confirm_url": emails.absolute_reverse(
            "volunteering:need_confirm", args=[need.pk, make_need_token(row)]
        ),
    }


def remind_associations(matches, now=None):
    """Send each match's association its reminder (see `matches_to_remind`)."""
    now = _now(now)
    reminder = _Reminder(
        due=_unanswered(now),
        stamp_field="reminder_sent_at",
        need_of=lambda match: match.need,
        template="reminder_association",
        context=_reminder_context,
        no_address="No address to remind match %s's association.",
        not_sent="Reminder for match %s not sent; it will be retried.",
    )
    return _send_each(matches, reminder, now)


def request_confirmations(needs, now=None):
    """Ask each need's association to confirm it is still open (see `needs_to_confirm`)."""
    now = _now(now)
    reminder = _Reminder(
        due=_unconfirmed(now),
        stamp_field="confirmation_requested_at",
        need_of=lambda need: need,
        template="need_confirmation_request",
        context=_confirmation_context,
        no_address="No address to ask for need %s's confirmation.",
        not_sent="Confirmation request for need %s not sent; retried next run.",
    )
    return _send_each(needs, reminder, now)


@dataclass
class DailyReport:
    associations: ReminderReport
    confirmations: ReminderReport


def send_reminders(now=None):
    """The daily job: both kinds of reminders due at `now` (default: now)."""
    now = _now(now)
    return DailyReport(
        associations=remind_associations(matches_to_remind(now), now),
        confirmations=request_confirmations(needs_to_confirm(now), now),
    )


@task()
def send_volunteering_reminders(date=None):
    """The daily job as a background task. `date` (ISO "YYYY-MM-DD", to replay a day) defaults
    to today. Returns the counts."""
    now = moment_of(datetime.date.fromisoformat(date)) if date else None
    report = send_reminders(now)
    return {
        "associations": len(report.associations.sent),
        "confirmations": len(report.confirmations.sent),
        "failed": len(report.associations.failed) + len(report.confirmations.failed),
    }
