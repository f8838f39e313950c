"""Around the review: the renewal invites the member to report (on the bulletin and once the
dues are paid), a report returned after the close may still be corrected until the end of the
corrections, and the member hears of the review's outcome by e-mail."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from demo.factories.impact import CampaignFactory, IndicatorFactory, ReportFactory
from demo.factories.members import OrganisationFactory, UserFactory, make_grid
from home.models import HomePage
from impact import services
from impact.models import Answer, Report
from impact.permissions import can_edit_report
from impact.renewal import report_invitations
from impact.services import AnswerInput
from members import renewals
from members.models import Contact, Membership
from members.pages import MembershipPage
from members.services import membership_period

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def jardins():
    organisation = OrganisationFactory(name="Les Jardins Partagés", employees=0)
    user = UserFactory(email="alice@jardins.example.org")
    Contact.objects.create(organisation=organisation, user=user, role="president")
    return organisation


@pytest.fixture
def member(client, jardins):
    client.force_login(jardins.contacts.get().user)
    return client


@pytest.fixture
def bulletin_page(site_tree):
    home = HomePage.objects.get()
    bulletin = MembershipPage(title="Adhérer", slug="adherer")
    home.add_child(instance=bulletin)
    cache.clear()
    make_grid(renewals.open_years()[-1])
    return bulletin


def report_link(organisation, year):
    return reverse("impact:report", args=[organisation.pk, year])


# --- The renewal's invitation -------------------------------------------------------------------


def test_the_renewal_bulletin_invites_the_member_to_report(member, jardins, bulletin_page):
    CampaignFactory(year=2026, title="Utilité sociale 2026", closes_on=TODAY + 20 * DAY)
    html = member.get(reverse("members:renew", args=[jardins.pk]), follow=True).content.decode()
    assert "Remplir le rapport" in html
    assert f'href="{report_link(jardins, 2026)}"' in html
    assert "« Utilité sociale 2026 » est ouverte jusqu’au" in html


def test_only_open_campaigns_that_ask_for_it_and_not_handed_in_invite(jardins):
    CampaignFactory(year=2024, opens_on=TODAY - 90 * DAY, closes_on=TODAY - DAY)  # closed
    CampaignFactory(year=2025, invite_on_renewal=False)
    handed_in = CampaignFactory(year=2026)
    ReportFactory(campaign=handed_in, organisation=jardins, status=Report.Status.SUBMITTED)
    assert report_invitations(jardins) == []

    started = CampaignFactory(year=2027)
    ReportFactory(campaign=started, organisation=jardins)  # a draft: « Reprendre »
    [invitation] = report_invitations(jardins)
    assert invitation.label == "Reprendre le rapport"
    assert invitation.url == report_link(jardins, 2027)


def test_a_visitor_bulletin_invites_no_one(client, bulletin_page):
    CampaignFactory(year=2026)
    assert "Remplir le rapport" not in client.get(bulletin_page.url).content.decode()


def test_the_payment_return_page_invites_once_the_dues_are_paid(member, jardins):
    CampaignFactory(year=2026)
    grid = make_grid(2026)
    tier = grid.tiers.first()
    start, end = membership_period(2026)
    membership = Membership.objects.create(
        organisation=jardins, year=2026, period_start=start, period_end=end,
        tier=tier, amount_cents=tier.amount_cents, status=Membership.Status.PENDING,
    )  # fmt: skip
    url = reverse("members:payment_return", args=[membership.pk])
    assert "Remplir le rapport" not in member.get(url).content.decode()  # not paid yet
    Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.ACTIVE)
    assert f'href="{report_link(jardins, 2026)}"' in member.get(url).content.decode()


# --- The corrections after the close ------------------------------------------------------------


@pytest.fixture
def returned(jardins):
    """A report submitted before the close and returned by the reviewer after it."""
    volunteers = IndicatorFactory(name="Bénévoles actifs")
    campaign = CampaignFactory(
        year=2026, indicators=[volunteers], opens_on=TODAY - 60 * DAY, closes_on=TODAY - 10 * DAY
    )
    report = ReportFactory(campaign=campaign, organisation=jardins)
    services.save_answers(
        report, {volunteers.pk: AnswerInput(value="3000")}, today=TODAY - 20 * DAY
    )
    services.submit(report, now=timezone.now() - 20 * DAY)
    answer = report.answers.get()
    services.review_answer(answer, Answer.Review.TO_CHANGE, "3 000 bénévoles ? Vérifiez.")
    return services.finish_review(report)


def test_a_report_returned_after_the_close_may_be_corrected_until_the_deadline(
    returned, member, jardins
):
    campaign = returned.campaign
    assert campaign.corrections_deadline == campaign.closes_on + 30 * DAY  # none set: 30 days
    assert can_edit_report(returned)
    html = member.get(report_link(jardins, 2026)).content.decode()
    assert "data-autosave" in html
    assert "À remettre au plus tard le" in html

    indicator = returned.answers.get().indicator
    assert services.save_answers(returned, {indicator.pk: AnswerInput(value="30")}) == {}
    assert services.submit(returned).status == Report.Status.SUBMITTED

    draft = ReportFactory(campaign=campaign, organisation=OrganisationFactory())
    assert not can_edit_report(draft)  # a draft still closes with the campaign


def test_after_the_end_of_the_corrections_a_returned_report_is_frozen(returned):
    campaign = returned.campaign
    campaign.corrections_close_on = TODAY - DAY
    campaign.save()
    returned.refresh_from_db()
    decision = can_edit_report(returned)
    assert not decision
    assert "délai de correction est passé" in decision.reason
    with pytest.raises(services.ReportError):
        services.submit(returned)


def test_the_end_of_the_corrections_cannot_come_before_the_close():
    from django.core.exceptions import ValidationError

    campaign = CampaignFactory.build(
        year=2030, opens_on=TODAY, closes_on=TODAY + 10 * DAY, corrections_close_on=TODAY
    )
    with pytest.raises(ValidationError) as refused:
        campaign.clean()
    assert "corrections_close_on" in refused.value.message_dict


# --- The review's outcome, by e-mail ------------------------------------------------------------


def reviewed(organisation, verdict, remark, capture):
    """A one-answer report of `organisation`, submitted, then reviewed with `verdict`."""
    volunteers = IndicatorFactory(name="Bénévoles actifs")
    report = ReportFactory(
        campaign=CampaignFactory(year=2026, indicators=[volunteers]), organisation=organisation
    )
    services.save_answers(report, {volunteers.pk: AnswerInput(value="3000")})
    services.submit(report)
    services.review_answer(report.answers.get(), verdict, remark)
    with capture(execute=True):
        services.finish_review(report)


def test_the_member_is_told_what_to_change_and_until_when(
    jardins, mailoutbox, django_capture_on_commit_callbacks
):
    remark = "Vérifiez le nombre."
    reviewed(jardins, Answer.Review.TO_CHANGE, remark, django_capture_on_commit_callbacks)
    [mail] = mailoutbox
    assert mail.to == ["alice@jardins.example.org"]
    assert "des réponses à revoir" in mail.subject
    assert "- Bénévoles actifs : Vérifiez le nombre." in mail.body
    assert report_link(jardins, 2026) in mail.body


def test_the_member_is_told_the_report_is_reviewed(
    jardins, mailoutbox, django_capture_on_commit_callbacks
):
    reviewed(jardins, Answer.Review.ACCEPTED, "", django_capture_on_commit_callbacks)
    [mail] = mailoutbox
    assert "votre rapport est relu" in mail.subject
    assert "validé" in mail.body
