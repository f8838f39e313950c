"""Membership years, renewals and renewal reminders, as plain functions.

Vocabulary used here:

- the *membership year* `Y` runs from the first day of the settings' start month in `Y` to the
  day before that month in `Y + 1` (a calendar year when the start month is 1);
- *renewal* is paying for the next year: it opens `renewal_opens_days` days before the end of
  the current year;
- a *reminder* is an e-mail to an organisation that was a member of `Y` (its membership was
  paid: active, or expired after being active) and has not paid `Y + 1`. The offsets of the
  settings (e.g. -30, 0, 30) are days from the end of `Y`; `MembershipReminder.year` is the year
  being renewed (`Y + 1`), and one row per (organisation, year, offset) proves that offset went
  out, so it never goes out twice.

The daily job (`send_membership_reminders`, a task and a management command) expires the
memberships whose year is over, then sends the reminders that are due.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from home.emails import NotSent, absolute_url, send_message, templated_message
from home.identity import site_identity
from home.money import format_euros

from .contacts import addresses_of
from .models import Contact, FeeGrid, FeeTier, Membership, MembershipReminder, MembershipSettings
from .receipts import send_unsent_receipts
from .services import membership_period

logger = logging.getLogger(__name__)

# A year counts as paid for once its membership was activated (an expired one was active).
PAID = (Membership.Status.ACTIVE, Membership.Status.EXPIRED)


def _settings():

    return MembershipSettings.load()


def _today(today):
    return today or timezone.localdate()


# --- Membership years and the renewal window ---------------------------------------------------


def current_membership_year(today=None, start_month=None):
    """The membership year that contains `today`: with a start month of 9, 2027-10-01 is in
    2027 and 2027-08-01 in 2026."""
    today = _today(today)
    if start_month is None:
        start_month = _settings().year_start_month
    return today.year if today.month >= start_month else today.year - 1


def open_years(today=None, options=None):
    """The membership years one may pay for today, oldest first: the current year, and from
    `renewal_opens_days` days before its last day (that day included) the next one too.

    The bulletin offers these years; the portal offers the last one to renew.
    """
    today = _today(today)
    options = options or _settings()
    year = current_membership_year(today, options.year_start_month)
    _start, end = membership_period(year, options.year_start_month)
    if today >= end - datetime.timedelta(days=options.renewal_opens_days):
        return [year, year + 1]
    return [year]


def renewal_year(today=None):
    """The next membership year if its renewal is open today, else None."""
    years = open_years(today)
    return years[-1] if len(years) > 1 else None


def renewal_open(organisation, today=None):
    """The year this organisation may pay for now, or None when it has nothing to pay.

    The latest open year it has not paid for: in the renewal window the next year (even if the
    current one was never paid: joining for a year about to end makes little sense), otherwise
    the current year. A pending membership is not paid: its year is still offered.
    """
    years = open_years(today)
    paid = set(
        Membership.objects.filter(
            organisation=organisation, year__in=years, status__in=PAID
        ).values_list("year", flat=True)
    )
    if years[-1] in paid:
        return None
    return years[-1]


# --- Expiry ------------------------------------------------------------------------------------


def expire_memberships(today=None):
    """Active memberships whose last day has passed become expired; returns how many."""
    return Membership.objects.filter(
        status=Membership.Status.ACTIVE, period_end__lt=_today(today)
    ).update(status=Membership.Status.EXPIRED)


# --- Which reminders are due -------------------------------------------------------------------


@dataclass
class DueReminder:
    """One reminder to send today: to `organisation`, to renew `year`, at `offset_days`."""

    organisation: object
    year: int
    offset_days: int
    period_end: datetime.date  # the last day of the membership being renewed (year - 1)
    days: int  # today - period_end: negative before the end, positive after
    amount_cents: int | None  # the dues expected for `year`, when they can be known
    recipients: list = field(default_factory=list)  # e-mail addresses, primary contact first


def reminder_cycle(today, start_month, offsets):
    """The year whose renewal reminders run today.

    The reminders to renew `N` run from the first offset's day after the end of `N - 1` until
    the first offset's day after the end of `N`, where the next cycle starts.
    """
    first = datetime.timedelta(days=offsets[0])
    return current_membership_year(today - first + datetime.timedelta(days=1), start_month)


def reminders_due(today=None):
    """The reminders to send today, one at most per organisation, in a bounded number of queries.

    For the year `N` being renewed (see `reminder_cycle`), an organisation gets a reminder if:
    it was a member of `N - 1` (active or expired membership), it has not paid `N` (a pending
    membership does not stop the reminders, a paid one does), and the latest offset whose day
    has come (counted from the end of its `N - 1` membership) was not already sent. Only that
    latest offset is due: after days without a run, a member gets one e-mail, the most recent
    reminder, not all the ones missed (those are not recorded: they were never sent).
    """
    today = _today(today)
    options = _settings()
    offsets = options.offsets()
    if not offsets:
        return []
    year = reminder_cycle(today, options.year_start_month, offsets)

    renewals = Membership.objects.filter(organisation=OuterRef("organisation"), year=year)
    ended = (
        Membership.objects.filter(
            year=year - 1, status__in=PAID, organisation__pseudonymised_at__isnull=True
        )
        .exclude(Exists(renewals.filter(status__in=PAID)))
        .annotate(
            pending_amount=Subquery(
                renewals.filter(status=Membership.Status.PENDING)
                .order_by()
                .values("amount_cents")[:1]
            )
        )
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "organisation__contacts",
                queryset=Contact.objects.select_related("user").order_by("-is_primary", "pk"),
            )
        )
        .order_by("organisation__name", "organisation_id")
    )
    sent = set(
        MembershipReminder.objects.filter(year=year)
        .order_by()
        .values_list("organisation_id", "offset_days")
    )
    fees = _FeeCalculator(year)
    due = []
    for membership in ended:
        arrived = [
            d for d in offsets if membership.period_end + datetime.timedelta(days=d) <= today
        ]
        if not arrived or (membership.organisation_id, arrived[-1]) in sent:
            continue
        organisation = membership.organisation
        due.append(
            DueReminder(
                organisation=organisation,
                year=year,
                offset_days=arrived[-1],
                period_end=membership.period_end,
                days=(today - membership.period_end).days,
                amount_cents=membership.pending_amount or fees.amount_for(organisation),
                recipients=addresses_of(organisation.contacts.all()),  # prefetched, primary first
            )
        )
    return due


class _FeeCalculator:
    """The computed dues of a year's grid, its tiers read once (not once per organisation)."""

    def __init__(self, year):
        self.year = year
        self._tiers = None

    def amount_for(self, organisation):
        if self._tiers is None:
            grid = (
                FeeGrid.objects.filter(year=self.year)
                .prefetch_related(
                    Prefetch(
                        "tiers",
                        queryset=FeeTier.objects.filter(free_amount=False).order_by(
                            "order", "minimum"
                        ),
                    )
                )
                .first()
            )
            self._tiers = list(grid.tiers.all()) if grid else []
        # The same rule as services.tier_for: the first computed tier that applies.
        tier = next((t for t in self._tiers if t.applies_to(organisation)), None)
        return tier.amount_cents if tier else None


# --- Sending -----------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    sent: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # the e-mail could not go: retried next run
    without_recipient: list = field(default_factory=list)  # no contact address: not recorded
    already_sent: list = field(default_factory=list)  # another run recorded it first


def reminder_context(reminder):
    """What the reminder's templates (members/email/reminder_*.txt) are given."""
    return {
        "organisation": reminder.organisation,
        "year": reminder.year,
        "period_end": reminder.period_end,
        "days_left": max(-reminder.days, 0),
        "days_overdue": max(reminder.days, 0),
        "amount": format_euros(reminder.amount_cents) if reminder.amount_cents is not None else "",
        "renew_url": absolute_url(reverse("members:renew", args=[reminder.organisation.pk])),
    }


def deliver_reminders(reminders):
    """Send each reminder once: its row is inserted first, in the transaction that sends the
    e-mail. A reminder another run already recorded is skipped (the unique constraint); an
    e-mail that fails rolls its row back, so the next run tries again."""
    report = DeliveryReport()
    if not reminders:
        return report
    connection = get_connection()
    identity = site_identity()  # once per run, not once per e-mail
    for reminder in reminders:
        if not reminder.recipients:
            logger.info(
                "No address to remind %s to renew %s.", reminder.organisation, reminder.year
            )
            report.without_recipient.append(reminder)
            continue
        message = templated_message(
            "members/email/reminder",
            reminder_context(reminder),
            reminder.recipients,
            identity=identity,
            connection=connection,
        )
        try:
            with transaction.atomic():
                MembershipReminder.objects.create(
                    organisation=reminder.organisation,
                    year=reminder.year,
                    offset_days=reminder.offset_days,
                )
                if not send_message(message, "members/email/reminder"):
                    raise NotSent
        except IntegrityError:
            report.already_sent.append(reminder)
        except NotSent:  # SMTP down, refused address…: nothing recorded, retried next run
            logger.warning(
                "Renewal reminder for %s (%s, %+d days) not sent; it will be retried.",
                reminder.organisation,
                reminder.year,
                reminder.offset_days,
            )
            report.failed.append(reminder)
        else:
            report.sent.append(reminder)
    return report


def send_reminders(today=None):
    """Send today's due reminders; returns how many went out."""
    return len(deliver_reminders(reminders_due(today)).sent)


@task()
def send_membership_reminders(date=None):
    """The daily job: expire the memberships whose year is over, send due reminders, and retry
    the receipts whose e-mail failed.

    `date` (ISO "YYYY-MM-DD", to replay a day) defaults to today.
    """

    today = datetime.date.fromisoformat(date) if date else None
    expired = expire_memberships(today)
    report = deliver_reminders(reminders_due(today))
    return {
        "expired": expired,
        "sent": len(report.sent),
        "failed": len(report.failed),
        "receipts": send_unsent_receipts(),
    }
