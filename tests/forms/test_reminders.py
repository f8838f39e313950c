"""The volunteering's daily reminders: the association that has not answered an introduction
after 7 days, the need open for 90 days; once each, retried after an SMTP failure, never sent
by a dry run; and the daily command."""

import datetime
import logging
import re
import smtplib
from io import StringIO

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from demo.factories.forms import BoardNeedFactory, MatchFactory, VolunteerOfferFactory
from demo.factories.members import OrganisationFactory, UserFactory
from forms import emails
from forms.availability import confirm_need_open
from forms.models import BoardNeed, Match
from forms.reminders import (
    matches_to_remind,
    needs_to_confirm,
    remind_associations,
    request_confirmations,
    send_reminders,
    send_volunteering_reminders,
)
from forms.tokens import ASSOCIATION, LinkUsed, check_need_link, read_answer_token, read_need_token
from members.models import Contact
from tests.concurrency import run_together
from tests.mail import identity_reads

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=9, minute=0):
    """An aware moment in the site's time zone."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


@pytest.fixture
def organisation():
    organisation = OrganisationFactory(name="Les Jardins d’Ariane")
    for email, primary in (("secretaire@jardins.example", False), ("pres@jardins.example", True)):
        Contact.objects.create(
            organisation=organisation, user=UserFactory(username=email, email=email),
            role="president" if primary else "secretary", is_primary=primary,
        )  # fmt: skip
    return organisation


def introduced(organisation, when, **fields):
    """A match introduced at `when`, waiting for both answers."""
    need = BoardNeedFactory(organisation=organisation)
    created = (when or at(2030, 3, 1)) - datetime.timedelta(days=3)
    BoardNeed.objects.filter(pk=need.pk).update(created_at=created)
    offer = VolunteerOfferFactory(first_name="Alice", last_name="Martin", anonymous=True)
    values = dict(status=Match.Status.INTRODUCED, introduced_at=when)
    values.update(fields)
    return MatchFactory(need=need, offer=offer, **values)


def filed(organisation, when, **fields):
    """An open need filed at `when` (created_at is set by the database: moved afterwards)."""
    need = BoardNeedFactory(organisation=organisation, **fields)
    BoardNeed.objects.filter(pk=need.pk).update(created_at=when)
    need.refresh_from_db()
    return need


def run(*args):
    out = StringIO()
    call_command("send_volunteering_reminders", *args, stdout=out)
    return out.getvalue()


def link_in(body, path_start):
    found = re.search(r"https?://\S+" + re.escape(path_start) + r"\S*", body)
    assert found, body
    return found.group(0)


# --- The association's reminder -----------------------------------------------------------------


def test_an_association_silent_for_7_days_gets_one_reminder(organisation, mailoutbox):
    match = introduced(organisation, at(2030, 3, 1, 17, 30))
    # Six days later, nothing; on the seventh (whatever the hour), the reminder.
    assert send_reminders(at(2030, 3, 7, 23, 59)).associations.sent == []
    assert mailoutbox == []
    report = send_reminders(at(2030, 3, 8, 6, 0))
    assert report.associations.sent == [match]
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["pres@jardins.example", "secretaire@jardins.example"]
    assert "attend votre réponse" in message.subject
    # The link answers for the association of this match, and the volunteer stays anonymous.
    url = link_in(message.body, "/benevolat/mise-en-relation/")
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert url == emails.absolute_url(reverse("volunteering:match_answer", args=[token]))
    assert read_answer_token(token) == (match.pk, ASSOCIATION)
    assert f"Bénévole n° {match.offer.pk}" in message.body
    assert "Martin" not in message.body and "Martin" not in message.subject
    match.refresh_from_db()
    assert match.reminder_sent_at == at(2030, 3, 8, 6, 0)
    # Once only: the next days send nothing more.
    assert send_reminders(at(2030, 3, 9)).associations.sent == []
    assert send_reminders(at(2030, 4, 30)).associations.sent == []
    assert len(mailoutbox) == 1


def test_a_run_reads_the_site_identity_once_per_kind_not_once_per_email(organisation, mailoutbox):
    for _ in range(3):
        introduced(organisation, at(2030, 3, 1))
        filed(organisation, at(2029, 12, 1))
    with identity_reads() as reads:
        report = send_reminders(at(2030, 3, 8))
    assert (len(report.associations.sent), len(report.confirmations.sent)) == (3, 3)
    assert reads.call_count == 2  # once for the reminders, once for the confirmations


def test_a_volunteer_who_is_not_anonymous_is_named(organisation, mailoutbox):
    match = introduced(organisation, at(2030, 3, 1))
    match.offer.anonymous = False
    match.offer.save()
    send_reminders(at(2030, 3, 8))
    assert "Alice Martin" in mailoutbox[0].body


def test_missed_days_send_no_burst(organisation, mailoutbox):
    first = introduced(organisation, at(2030, 3, 1))
    second = introduced(organisation, at(2030, 3, 2))
    # The job did not run for three weeks: each match gets one reminder, not one per day.
    assert send_reminders(at(2030, 3, 25)).associations.sent == [first, second]
    assert send_reminders(at(2030, 3, 26)).associations.sent == []
    assert len(mailoutbox) == 2


def test_no_reminder_once_answered_or_no_longer_introduced(organisation, mailoutbox):
    introduced(organisation, at(2030, 3, 1), association_answer=Match.Answer.ACCEPTED)
    introduced(
        organisation, at(2030, 3, 1), status=Match.Status.DECLINED,
        association_answer=Match.Answer.DECLINED,
    )  # fmt: skip
    introduced(organisation, at(2030, 3, 1), status=Match.Status.ENDED)
    introduced(organisation, None, status=Match.Status.PROPOSED)
    # The volunteer's answer alone does not silence the reminder: the association still owes one.
    waiting = introduced(organisation, at(2030, 3, 1), volunteer_answer=Match.Answer.ACCEPTED)
    assert send_reminders(at(2030, 3, 20)).associations.sent == [waiting]
    assert len(mailoutbox) == 1


def test_an_erased_association_is_never_written_to(organisation, mailoutbox):
    introduced(organisation, at(2030, 3, 1))
    filed(organisation, at(2029, 12, 1))
    type(organisation).objects.filter(pk=organisation.pk).update(pseudonymised_at=at(2030, 3, 2))
    report = send_reminders(at(2030, 3, 8))
    assert (report.associations.sent, report.confirmations.sent) == ([], [])
    assert mailoutbox == []


def test_a_stale_list_never_sends_twice(organisation, mailoutbox):
    """Two runs that both read the due list before either sent: the second finds the match
    already reminded when it locks the row, and sends nothing."""
    match = introduced(organisation, at(2030, 3, 1))
    now = at(2030, 3, 8)
    first_run, second_run = matches_to_remind(now), matches_to_remind(now)
    assert remind_associations(first_run, now).sent == [match]
    report = remind_associations(second_run, now)
    assert (report.sent, report.already_done) == ([], [match])
    assert len(mailoutbox) == 1


def test_an_answer_arriving_after_the_list_was_read_stops_the_reminder(organisation, mailoutbox):
    match = introduced(organisation, at(2030, 3, 1))
    due = matches_to_remind(at(2030, 3, 8))
    Match.objects.filter(pk=match.pk).update(association_answer=Match.Answer.ACCEPTED)
    assert remind_associations(due, at(2030, 3, 8)).already_done == [match]
    assert mailoutbox == []


def test_an_association_without_address_is_reported_and_retried(mailoutbox):
    bare = OrganisationFactory(name="Sans contact")
    match = introduced(bare, at(2030, 3, 1))
    report = send_reminders(at(2030, 3, 8))
    assert report.associations.without_recipient == [match]
    match.refresh_from_db()
    assert match.reminder_sent_at is None
    Contact.objects.create(
        organisation=bare, user=UserFactory(username="new@bare.example", email="new@bare.example"),
        role="president",
    )  # fmt: skip
    assert send_reminders(at(2030, 3, 9)).associations.sent == [match]
    assert mailoutbox[0].to == ["new@bare.example"]


def test_the_reminders_are_found_in_a_fixed_number_of_queries(
    organisation, django_assert_max_num_queries
):
    for day in range(1, 6):
        introduced(organisation, at(2030, 3, day))
        filed(organisation, at(2029, 11, day))
    with django_assert_max_num_queries(3):
        assert len(matches_to_remind(at(2030, 4, 1))) == 5
    with django_assert_max_num_queries(3):
        assert len(needs_to_confirm(at(2030, 4, 1))) == 5


# --- The need's request for confirmation -------------------------------------------------------


def test_a_need_open_for_90_days_is_asked_once_then_again_after_its_confirmation(
    organisation, mailoutbox
):
    need = filed(organisation, at(2030, 1, 1, 18, 0))
    # 1 January + 90 days = 1 April.
    assert send_reminders(at(2030, 3, 31, 23, 0)).confirmations.sent == []
    assert send_reminders(at(2030, 4, 1, 7, 0)).confirmations.sent == [need]
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "toujours d’actualité" in message.subject
    url = link_in(message.body, f"/benevolat/besoins/{need.pk}/confirmer/")
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert url == emails.absolute_url(reverse("volunteering:need_confirm", args=[need.pk, token]))
    need_id, link = read_need_token(token)
    assert need_id == need.pk
    need.refresh_from_db()
    assert need.confirmation_requested_at == at(2030, 4, 1, 7, 0)
    # The link carries the stamp as saved: valid now, spent once the need is confirmed.
    check_need_link(need, link)
    # Asked once: no new request while the association has not confirmed.
    assert send_reminders(at(2030, 4, 2)).confirmations.sent == []
    assert send_reminders(at(2030, 6, 30)).confirmations.sent == []

    # Confirmed on 5 April: the 90 days count again from there (5 April + 90 = 4 July).
    confirm_need_open(need, now=at(2030, 4, 5, 10, 0))
    need.refresh_from_db()
    with pytest.raises(LinkUsed):
        check_need_link(need, link)
    assert send_reminders(at(2030, 7, 3, 23, 0)).confirmations.sent == []
    assert send_reminders(at(2030, 7, 4, 7, 0)).confirmations.sent == [need]
    assert len(mailoutbox) == 2


def test_a_confirmation_counts_even_if_the_request_stamp_was_not_reset(organisation, mailoutbox):
    need = filed(organisation, at(2030, 1, 1))
    BoardNeed.objects.filter(pk=need.pk).update(
        confirmation_requested_at=at(2030, 4, 1), confirmed_at=at(2030, 4, 5)
    )
    assert send_reminders(at(2030, 7, 3)).confirmations.sent == []
    assert send_reminders(at(2030, 7, 4)).confirmations.sent == [need]


def test_only_open_needs_are_asked(organisation, mailoutbox):
    for status in (BoardNeed.Status.IN_PROGRESS, BoardNeed.Status.FILLED, BoardNeed.Status.CLOSED):
        filed(organisation, at(2030, 1, 1), status=status)
    recent = filed(organisation, at(2030, 3, 1))
    confirmed = filed(organisation, at(2029, 1, 1))
    BoardNeed.objects.filter(pk=confirmed.pk).update(confirmed_at=at(2030, 3, 1))
    assert send_reminders(at(2030, 4, 15)).confirmations.sent == []
    assert recent.pk and mailoutbox == []


# --- Failures, the dry run and the command ------------------------------------------------------


def test_an_smtp_failure_marks_nothing_and_the_next_run_sends(
    organisation, mailoutbox, monkeypatch, caplog
):
    """The mail server is the one edge that cannot run here: its refusal is simulated."""
    match = introduced(organisation, at(2030, 3, 1))
    need = filed(organisation, at(2029, 12, 1))

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("connexion perdue")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with caplog.at_level(logging.WARNING):
        report = send_reminders(at(2030, 3, 8))
    assert (report.associations.failed, report.confirmations.failed) == ([match], [need])
    assert "retried" in caplog.text
    match.refresh_from_db()
    need.refresh_from_db()
    assert match.reminder_sent_at is None and need.confirmation_requested_at is None

    monkeypatch.undo()
    output = run("--date", "2030-03-09")
    assert "1 relance envoyée" in output
    assert "1 demande de confirmation de besoin envoyée" in output
    assert len(mailoutbox) == 2
    match.refresh_from_db()
    assert timezone.localdate(match.reminder_sent_at) == datetime.date(2030, 3, 9)


def test_the_command_reports_failures(organisation, monkeypatch):
    introduced(organisation, at(2030, 3, 1))
    monkeypatch.setattr(
        EmailBackend,
        "send_messages",
        lambda self, messages: (_ for _ in ()).throw(smtplib.SMTPException("refus")),
    )
    output = run("--date", "2030-03-08")
    # (0 is singular in French, plural in English: the catalogue decides.)
    assert re.search(r"^0 relances? envoyées? ", output, flags=re.M)
    assert "1 e-mail en échec, à nouveau tenté au prochain passage." in output


def test_the_dry_run_lists_and_changes_nothing(organisation, mailoutbox):
    match = introduced(organisation, at(2030, 3, 1))
    need = filed(organisation, at(2029, 12, 1))
    output = run("--date", "2030-03-08", "--dry-run")
    assert "Simulation" in output
    assert f"mise en relation n° {match.pk} du 2030-03-01" in output
    assert f"besoin n° {need.pk}" in output
    assert "pres@jardins.example, secretaire@jardins.example" in output
    assert "1 relance serait envoyée." in output
    assert "1 demande de confirmation serait envoyée." in output
    assert mailoutbox == []
    match.refresh_from_db()
    need.refresh_from_db()
    assert match.reminder_sent_at is None and need.confirmation_requested_at is None
    # The real run afterwards sends them.
    output = run("--date", "2030-03-08")
    assert "1 relance envoyée" in output
    assert len(mailoutbox) == 2


def test_the_command_without_a_date_runs_today(organisation, mailoutbox):
    match = introduced(organisation, timezone.now() - datetime.timedelta(days=7))
    assert "1 relance envoyée" in run()
    match.refresh_from_db()
    assert match.reminder_sent_at is not None


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        run("--date", "08/03/2030")


def test_the_background_task_replays_a_day(organisation, mailoutbox):
    introduced(organisation, at(2030, 3, 1))
    result = send_volunteering_reminders.enqueue("2030-03-08")
    assert result.return_value == {"associations": 1, "confirmations": 0, "failed": 0}
    assert len(mailoutbox) == 1


def test_request_confirmations_skips_a_need_closed_meanwhile(organisation, mailoutbox):
    need = filed(organisation, at(2029, 12, 1))
    due = needs_to_confirm(at(2030, 3, 8))
    BoardNeed.objects.filter(pk=need.pk).update(status=BoardNeed.Status.CLOSED)
    assert request_confirmations(due, at(2030, 3, 8)).already_done == [need]
    assert mailoutbox == []


# --- Two runs at once (PostgreSQL only: SQLite serialises writers on its own) -------------------

WINDOW = 0.3  # seconds spent "sending": the window in which a second run could slip in


@pytest.fixture
def slow_mail(monkeypatch):
    import time

    import forms.reminders as reminders

    real_send = reminders.emails.send

    def slow_send(*args, **kwargs):
        time.sleep(WINDOW)
        return real_send(*args, **kwargs)

    monkeypatch.setattr(reminders.emails, "send", slow_send)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_two_runs_both_send(organisation, slow_mail, monkeypatch):
    from django.core import mail
    from django.db.models import QuerySet

    introduced(organisation, at(2030, 3, 1))
    now = at(2030, 3, 8)
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kwargs: self)
    run_together(lambda: remind_associations(matches_to_remind(now), now))
    assert len(mail.outbox) == 2  # the race the lock must prevent


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(organisation, slow_mail):
    from django.core import mail

    match = introduced(organisation, at(2030, 3, 1))
    need = filed(organisation, at(2029, 12, 1))
    now = at(2030, 3, 8)
    reports = run_together(lambda: send_reminders(now))
    assert sorted(len(report.associations.sent) for report in reports) == [0, 1]
    assert sorted(len(report.confirmations.sent) for report in reports) == [0, 1]
    assert len(mail.outbox) == 2
    match.refresh_from_db()
    need.refresh_from_db()
    assert match.reminder_sent_at and need.confirmation_requested_at


def test_the_command_forgets_what_visitors_typed_and_never_confirmed():
    from forms.models import EmailVerification

    old = EmailVerification.objects.create(kind="offer", email="a@exemple.fr", payload={"x": 1})
    EmailVerification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    fresh = EmailVerification.objects.create(kind="offer", email="b@exemple.fr", payload={})
    assert "1 demande non confirmée effacée" in run()
    assert list(EmailVerification.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_reminders_go_to_current_active_contacts_only(organisation, mailoutbox):
    """Not to whoever filed the need once they left the association, nor to a disabled account."""
    leaver = UserFactory(username="parti@ailleurs.example", email="parti@ailleurs.example")
    disabled = UserFactory(username="off@jardins.example", email="off@jardins.example")
    disabled.is_active = False
    disabled.save()
    Contact.objects.create(organisation=organisation, user=disabled, role="other", is_primary=True)
    match = introduced(organisation, at(2030, 3, 1))
    need = filed(organisation, at(2029, 12, 1))
    BoardNeed.objects.filter(pk__in=[match.need_id, need.pk]).update(created_by=leaver)
    report = send_reminders(at(2030, 3, 8))
    assert (report.associations.sent, report.confirmations.sent) == ([match], [need])
    for message in mailoutbox:
        assert message.to == ["pres@jardins.example", "secretaire@jardins.example"]
