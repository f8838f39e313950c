"""Membership years, the renewal window, expiry and renewal reminders."""

import datetime
import smtplib
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from demo.factories.members import OrganisationFactory, UserFactory, grid_2027
from members.models import (
    Contact,
    FeeGrid,
    FeeTier,
    Membership,
    MembershipReminder,
    MembershipSettings,
)
from members.renewals import (
    current_membership_year,
    deliver_reminders,
    expire_memberships,
    open_years,
    reminders_due,
    renewal_open,
    renewal_year,
    send_membership_reminders,
    send_reminders,
)
from members.services import membership_period
from tests.mail import identity_reads

pytestmark = pytest.mark.django_db

D = datetime.date
ACTIVE, PENDING = Membership.Status.ACTIVE, Membership.Status.PENDING


@pytest.fixture
def options():
    return MembershipSettings.load()


def configure(options, **values):
    for name, value in values.items():
        setattr(options, name, value)
    options.save()


@pytest.fixture
def tiers():
    """The 2027 grid, and a 2028 grid where 1 to 9 employees pay 130 €."""
    old = grid_2027().tiers.get(label="1 à 9 salariés")
    grid = FeeGrid.objects.create(year=2028)
    new = FeeTier.objects.create(
        grid=grid, label="1 à 9 salariés", basis="employees", minimum=1, maximum=10,
        amount_cents=13000,
    )  # fmt: skip
    return {2027: old, 2028: new}


def join(organisation, year, status, tier):
    start, end = membership_period(year)
    return Membership.objects.create(
        organisation=organisation, year=year, period_start=start, period_end=end,
        tier=tier, amount_cents=tier.amount_cents, status=status,
    )  # fmt: skip


def add_contact(organisation, email, primary=False, role="treasurer"):
    return Contact.objects.create(
        organisation=organisation, user=UserFactory(username=email, email=email), role=role,
        is_primary=primary,
    )  # fmt: skip


@pytest.fixture
def member(tiers):
    """A member of 2027 with two contacts; the primary one was added last."""
    organisation = OrganisationFactory(name="Les Jardins d’Ariane", employees=4)
    add_contact(organisation, "secretaire@jardins.example", role="secretary")
    add_contact(organisation, "tresoriere@jardins.example", primary=True)
    join(organisation, 2027, ACTIVE, tiers[2027])
    return organisation


def run(day, *args):
    out = StringIO()
    call_command("send_membership_reminders", "--date", day.isoformat(), *args, stdout=out)
    return out.getvalue()


def days(first, last):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


# --- Years and the renewal window --------------------------------------------------------------


@pytest.mark.parametrize(
    "day, year",
    [(D(2027, 1, 1), 2027), (D(2027, 12, 31), 2027), (D(2026, 12, 31), 2026)],
)
def test_a_calendar_membership_year(options, day, year):
    assert current_membership_year(day) == year


@pytest.mark.parametrize(
    "day, year",
    [(D(2027, 10, 1), 2027), (D(2027, 9, 1), 2027), (D(2027, 8, 31), 2026), (D(2027, 8, 1), 2026)],
)
def test_a_year_starting_in_september(options, day, year):
    configure(options, year_start_month=9)
    assert current_membership_year(day) == year


def test_renewal_opens_exactly_n_days_before_the_end(options):
    # 60 days before 31 December is 1 November.
    assert open_years(D(2027, 10, 31)) == [2027]
    assert renewal_year(D(2027, 10, 31)) is None
    assert open_years(D(2027, 11, 1)) == [2027, 2028]
    assert renewal_year(D(2027, 11, 1)) == 2028
    assert open_years(D(2027, 12, 31)) == [2027, 2028]
    assert open_years(D(2028, 1, 1)) == [2028]


def test_renewal_window_with_a_september_year(options):
    configure(options, year_start_month=9, renewal_opens_days=30)
    # The 2027 year ends on 31 August 2028; 30 days before is 1 August.
    assert open_years(D(2028, 7, 31)) == [2027]
    assert open_years(D(2028, 8, 1)) == [2027, 2028]
    assert open_years(D(2028, 9, 1)) == [2028]


def test_which_year_an_organisation_may_pay_for(options, member, tiers):
    assert renewal_open(member, D(2027, 10, 15)) is None  # paid, renewal not open yet
    assert renewal_open(member, D(2027, 11, 1)) == 2028
    join(member, 2028, PENDING, tiers[2028])
    assert renewal_open(member, D(2027, 11, 1)) == 2028  # pending: still to pay
    Membership.objects.filter(organisation=member, year=2028).update(status=ACTIVE)
    assert renewal_open(member, D(2027, 11, 1)) is None
    newcomer = OrganisationFactory()
    assert renewal_open(newcomer, D(2027, 6, 1)) == 2027
    assert renewal_open(newcomer, D(2027, 11, 15)) == 2028


# --- Expiry ------------------------------------------------------------------------------------


def test_active_memberships_expire_after_their_last_day(options, member, tiers):
    pending = join(OrganisationFactory(), 2027, PENDING, tiers[2027])
    assert expire_memberships(D(2027, 12, 31)) == 0
    assert expire_memberships(D(2028, 1, 1)) == 1
    assert Membership.objects.get(organisation=member).status == Membership.Status.EXPIRED
    assert Membership.objects.get(pk=pending.pk).status == PENDING
    assert expire_memberships(D(2028, 1, 2)) == 0


def test_the_command_expires_and_says_so(options, member):
    assert "1 adhésion passée en « expirée »" in run(D(2028, 1, 1))


# --- Reminders ---------------------------------------------------------------------------------


def test_reminders_go_out_on_their_days_to_the_members_contacts(options, member, tiers):
    OrganisationFactory(name="Jamais adhérente")  # never a member: never reminded
    add_contact(OrganisationFactory(), "jamais@example.org", primary=True)
    unpaid = OrganisationFactory(name="Bulletin jamais réglé")
    add_contact(unpaid, "impaye@example.org", primary=True)
    join(unpaid, 2027, PENDING, tiers[2027])  # joined, never paid: not a member

    sent_on = {}
    for day in days(D(2027, 11, 1), D(2028, 3, 1)):
        before = len(mail.outbox)
        run(day)
        if len(mail.outbox) > before:
            sent_on[day] = mail.outbox[before:]

    assert list(sent_on) == [D(2027, 12, 1), D(2027, 12, 31), D(2028, 1, 30)]
    assert all(len(messages) == 1 for messages in sent_on.values())
    for messages in sent_on.values():
        assert messages[0].to == ["tresoriere@jardins.example", "secretaire@jardins.example"]
    assert set(
        MembershipReminder.objects.filter(organisation=member).values_list("year", "offset_days")
    ) == {(2028, -30), (2028, 0), (2028, 30)}
    assert MembershipReminder.objects.count() == 3

    before, at, after = (messages[0] for messages in sent_on.values())
    assert "2028" in before.subject
    assert "Les Jardins d’Ariane" in before.body  # not HTML-escaped
    assert "31 décembre 2027, dans 30 jours" in before.body
    assert "130\u00a0€" in before.body  # the 2028 grid's amount for 4 employees
    link = f"{settings.WAGTAILADMIN_BASE_URL}/espace-membre/organisation/{member.pk}/renouveler/"
    assert link in before.body
    assert "aujourd’hui" in at.subject and "prend fin aujourd’hui" in at.body
    assert "a pris fin le 31 décembre 2027, il y a 30 jours" in after.body


def test_a_run_reads_the_site_identity_once_not_once_per_reminder(options, tiers):
    for n in range(3):
        organisation = OrganisationFactory(employees=4)
        add_contact(organisation, f"c{n}@example.org", primary=True)
        join(organisation, 2027, ACTIVE, tiers[2027])
    due = reminders_due(D(2027, 12, 1))
    with identity_reads() as reads:
        report = deliver_reminders(due)
    assert (len(report.sent), reads.call_count) == (3, 1)


def test_running_twice_the_same_day_sends_once(options, member):
    run(D(2027, 12, 1))
    run(D(2027, 12, 1))
    assert len(mail.outbox) == 1
    assert send_reminders(D(2027, 12, 5)) == 0
    assert len(mail.outbox) == 1


def test_a_concurrent_run_that_already_recorded_it_is_skipped(options, member):
    due = reminders_due(D(2027, 12, 1))
    first, second = deliver_reminders(due), deliver_reminders(due)
    assert (len(first.sent), len(second.sent), len(second.already_sent)) == (1, 0, 1)
    assert len(mail.outbox) == 1


def test_reminders_stop_once_the_next_year_is_paid(options, member, tiers):
    run(D(2027, 12, 1))
    renewal = join(member, 2028, PENDING, tiers[2028])
    run(D(2027, 12, 31))  # pending is not paid: the reminder still goes
    assert len(mail.outbox) == 2
    renewal.status = ACTIVE
    renewal.save()
    for day in days(D(2028, 1, 1), D(2028, 3, 1)):
        run(day)
    assert len(mail.outbox) == 2


def test_a_pending_renewal_is_reminded_at_its_own_amount(options, member, tiers):
    renewal = join(member, 2028, PENDING, tiers[2028])
    Membership.objects.filter(pk=renewal.pk).update(amount_cents=25000)  # chose bienfaiteur
    [reminder] = reminders_due(D(2027, 12, 1))
    assert reminder.amount_cents == 25000


def test_a_cancelled_membership_was_not_a_membership(options, member):
    Membership.objects.filter(organisation=member).update(status=Membership.Status.CANCELLED)
    assert reminders_due(D(2027, 12, 1)) == []


def test_an_expired_membership_was_a_membership(options, member):
    expire_memberships(D(2028, 1, 1))
    [reminder] = reminders_due(D(2028, 1, 30))
    assert (reminder.year, reminder.offset_days, reminder.days) == (2028, 30, 30)


def test_after_missed_runs_only_the_latest_reminder_goes(options, member):
    run(D(2028, 1, 15))  # nothing ran since November: -30 and 0 were missed
    assert len(mail.outbox) == 1
    assert "il y a 15 jours" in mail.outbox[0].body
    assert list(MembershipReminder.objects.values_list("offset_days", flat=True)) == [0]
    run(D(2028, 1, 20))
    assert len(mail.outbox) == 1
    run(D(2028, 1, 30))
    assert len(mail.outbox) == 2


def test_the_latest_reminder_stays_due_until_the_next_cycle(options, member):
    [reminder] = reminders_due(D(2028, 6, 1))  # never sent: the +30 one, 153 days late
    assert (reminder.offset_days, reminder.days) == (30, 153)
    assert reminders_due(D(2028, 12, 1)) == []  # the 2029 cycle: not a member of 2028


def test_an_smtp_failure_records_nothing_and_the_next_run_sends(
    options, member, monkeypatch, caplog
):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("connexion perdue")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    assert send_reminders(D(2027, 12, 1)) == 0
    assert MembershipReminder.objects.count() == 0
    assert "will be retried" in caplog.text
    monkeypatch.undo()
    assert "1 relance envoyée" in run(D(2027, 12, 2))
    assert len(mail.outbox) == 1
    assert MembershipReminder.objects.get().offset_days == -30


def test_the_dry_run_sends_and_changes_nothing(options, member):
    output = run(D(2028, 1, 1), "--dry-run")
    assert "Les Jardins d’Ariane" in output
    assert "tresoriere@jardins.example" in output
    assert "1 adhésion passerait en « expirée »" in output
    assert "1 relance serait envoyée" in output
    assert mail.outbox == []
    assert MembershipReminder.objects.count() == 0
    assert Membership.objects.get(organisation=member).status == ACTIVE


def test_a_member_without_an_address_is_reported_not_recorded(options, member):
    Contact.objects.filter(organisation=member).delete()
    output = run(D(2027, 12, 1))
    assert "Pas de contact avec e-mail pour « Les Jardins d’Ariane »" in output
    assert MembershipReminder.objects.count() == 0


def test_inactive_users_are_left_out(options, member):
    User.objects.filter(email="secretaire@jardins.example").update(is_active=False)
    [reminder] = reminders_due(D(2027, 12, 1))
    assert reminder.recipients == ["tresoriere@jardins.example"]


def test_pseudonymised_organisations_are_not_reminded(options, member):
    type(member).objects.filter(pk=member.pk).update(pseudonymised_at=timezone.now())
    assert reminders_due(D(2027, 12, 1)) == []


def test_reminders_follow_a_september_year(options, tiers):
    configure(options, year_start_month=9)
    organisation = OrganisationFactory(employees=4)
    add_contact(organisation, "contact@septembre.example", primary=True)
    join(organisation, 2027, ACTIVE, tiers[2027])  # 1 Sept. 2027 - 31 Aug. 2028
    assert reminders_due(D(2028, 7, 31)) == []
    [reminder] = reminders_due(D(2028, 8, 1))
    assert (reminder.year, reminder.offset_days, reminder.period_end) == (2028, -30, D(2028, 8, 31))


def test_offsets_come_from_the_settings(options, member):
    configure(options, reminder_offsets="-15, 10")
    assert reminders_due(D(2027, 12, 15)) == []
    assert [r.offset_days for r in reminders_due(D(2027, 12, 16))] == [-15]
    assert [r.offset_days for r in reminders_due(D(2028, 1, 10))] == [10]


def test_the_task_does_the_daily_job(options, member):
    result = send_membership_reminders.enqueue(date="2028-01-01")
    assert result.return_value == {"expired": 1, "sent": 1, "failed": 0, "receipts": 0}
    assert len(mail.outbox) == 1


def test_reminders_due_makes_a_bounded_number_of_queries(
    options, tiers, django_assert_max_num_queries
):
    for n in range(40):
        organisation = OrganisationFactory(employees=4)
        add_contact(organisation, f"a{n}@example.org", primary=True)
        add_contact(organisation, f"b{n}@example.org")
        join(organisation, 2027, ACTIVE, tiers[2027])
        if n % 4 == 0:
            join(organisation, 2028, PENDING, tiers[2028])
        elif n % 4 == 1:
            join(organisation, 2028, ACTIVE, tiers[2028])
        elif n % 4 == 2:
            MembershipReminder.objects.create(organisation=organisation, year=2028, offset_days=0)
    today = D(2028, 1, 2)
    with django_assert_max_num_queries(6):
        due = reminders_due(today)
    assert len(due) == 20
    assert all(len(reminder.recipients) == 2 for reminder in due)
    assert {reminder.amount_cents for reminder in due} == {13000}
