"""Co-evaluation: staff (with the permission, after the second factor) or the designated peer
review a submitted report answer by answer; the member sees the remarks when it comes back.
Anyone else gets 404."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from demo.factories.impact import CampaignFactory, IndicatorFactory, ReportFactory
from demo.factories.members import OrganisationFactory, UserFactory
from impact import services
from impact.models import Answer, Indicator, Report
from impact.services import AnswerInput
from members.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    volunteers = IndicatorFactory(name="Bénévoles actifs")
    budget = IndicatorFactory(name="Budget", kind=Indicator.Kind.AMOUNT, unit="€")
    jardins = OrganisationFactory(name="Les Jardins Partagés")
    report = ReportFactory(
        campaign=CampaignFactory(year=2026, indicators=[volunteers, budget]), organisation=jardins
    )
    services.save_answers(
        report, {volunteers.pk: AnswerInput(value="30"), budget.pk: AnswerInput(value="1")}
    )
    return services.submit(report)


@pytest.fixture
def reviewer(client):
    user = UserFactory(email="relecture@reseau.example", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="change_report"),
        Permission.objects.get(codename="access_admin"),
    )
    client.force_login(user)
    return client


def answer_of(report, name):
    return report.answers.get(indicator__name=name)


def test_staff_return_the_report_with_a_remark_then_the_member_sees_it(reviewer, report, client):
    page = reviewer.get(reverse("impact:review_list")).content.decode()
    assert "Les Jardins Partagés" in page
    volunteers, budget = answer_of(report, "Bénévoles actifs"), answer_of(report, "Budget")
    url = reverse("impact:review", args=[report.pk])
    response = reviewer.post(
        url,
        {
            f"a{volunteers.pk}_review": Answer.Review.ACCEPTED,
            f"a{budget.pk}_review": Answer.Review.TO_CHANGE,
            f"a{budget.pk}_remark": "1 € de budget ? Donnez le budget annuel.",
            "finish": "",
        },
        follow=True,
    )
    assert "Rapport renvoyé à l’adhérent" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED

    member = UserFactory(email="alice@jardins.example.org")
    Contact.objects.create(organisation=report.organisation, user=member, role="president")
    client.force_login(member)
    page = client.get(reverse("impact:report", args=[report.organisation.pk, 2026]))
    assert "1 € de budget ? Donnez le budget annuel." in page.content.decode()
    assert "data-autosave" in page.content.decode()  # the member may change it again


def test_a_remark_is_needed_to_ask_for_a_change_and_nothing_typed_is_lost(reviewer, report):
    budget = answer_of(report, "Budget")
    response = reviewer.post(
        reverse("impact:review", args=[report.pk]),
        {f"a{budget.pk}_review": Answer.Review.TO_CHANGE, f"a{budget.pk}_remark": ""},
    )
    assert response.status_code == 200
    assert "Dites à l’adhérent ce qu’il faut revoir." in response.content.decode()
    assert answer_of(report, "Budget").review == Answer.Review.PENDING


def test_every_answer_needs_a_verdict_before_the_end(reviewer, report):
    volunteers = answer_of(report, "Bénévoles actifs")
    response = reviewer.post(
        reverse("impact:review", args=[report.pk]),
        {f"a{volunteers.pk}_review": Answer.Review.ACCEPTED, "finish": ""},
        follow=True,
    )
    assert "Chaque réponse attend encore votre avis" in response.content.decode()
    assert Report.objects.get().status == Report.Status.SUBMITTED


def test_the_designated_peer_reviews_and_no_one_else(client, report):
    peer = UserFactory(email="pair@velo.example.org")
    stranger = UserFactory(email="curieux@example.org")
    member = UserFactory(email="alice@jardins.example.org")
    Contact.objects.create(organisation=report.organisation, user=member, role="president")
    url = reverse("impact:review", args=[report.pk])
    for user in (stranger, member, peer):
        client.force_login(user)
        assert client.get(url).status_code == 404
    report.reviewer = peer
    report.save()
    client.force_login(peer)
    assert client.get(url).status_code == 200
    assert "Rapports à relire" in client.get(reverse("impact:portal")).content.decode()
    client.logout()
    assert client.get(url).status_code == 302


def test_a_reviewed_report_is_no_longer_reviewable(reviewer, report):
    for answer in report.answers.all():
        services.review_answer(answer, Answer.Review.ACCEPTED)
    services.finish_review(report)
    assert reviewer.get(reverse("impact:review", args=[report.pk])).status_code == 404


def test_the_admin_list_links_submitted_reports_to_their_review(reviewer, report):
    reviewer_user = UserFactory(email="staff@reseau.example", is_superuser=True, is_staff=True)
    reviewer.force_login(reviewer_user)
    page = reviewer.get(reverse("impact_report_modeladmin_index")).content.decode()
    assert reverse("impact:review", args=[report.pk]) in page


def test_staff_designate_the_peer_who_reviews_in_the_admin_and_the_peer_is_told(
    client, report, mailoutbox, django_capture_on_commit_callbacks
):
    staff = UserFactory(email="staff@reseau.example", is_superuser=True, is_staff=True)
    peer = UserFactory(email="pair@velo.example.org")
    client.force_login(staff)
    url = reverse("impact_report_modeladmin_edit", args=[report.pk])
    page = client.get(url).content.decode()
    assert 'name="reviewer"' in page and 'name="status"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reviewer": peer.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.reviewer == peer and report.status == Report.Status.SUBMITTED
    [mail] = mailoutbox
    assert mail.to == ["pair@velo.example.org"]
    assert "Les Jardins Partagés" in mail.subject
    assert reverse("impact:review", args=[report.pk]) in mail.body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reviewer": peer.pk})  # saved again, unchanged: no second e-mail
    assert len(mailoutbox) == 1


def test_the_admin_refuses_a_contact_of_the_organisation_as_its_reviewer(client, report):
    member = UserFactory(email="alice@jardins.example.org")
    Contact.objects.create(organisation=report.organisation, user=member, role="president")
    client.force_login(UserFactory(email="staff@reseau.example", is_superuser=True, is_staff=True))
    url = reverse("impact_report_modeladmin_edit", args=[report.pk])
    response = client.post(url, {"reviewer": member.pk})
    assert response.status_code == 200
    assert "ne relit pas son propre rapport" in response.content.decode()
    report.refresh_from_db()
    assert report.reviewer is None


def test_a_reviewer_named_before_the_submission_is_told_when_it_comes(
    mailoutbox, django_capture_on_commit_callbacks
):
    volunteers = IndicatorFactory(name="Bénévoles actifs")
    peer = UserFactory(email="pair@velo.example.org")
    draft = ReportFactory(campaign=CampaignFactory(indicators=[volunteers]), reviewer=peer)
    with django_capture_on_commit_callbacks(execute=True):
        services.reviewer_designated(draft)  # a draft: nothing to review yet
        services.save_answers(draft, {volunteers.pk: AnswerInput(value="4")})
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(draft)
    assert [mail.to for mail in mailoutbox] == [["pair@velo.example.org"]]


def test_no_one_reviews_their_own_organisations_report(client, report):
    member = UserFactory(email="alice@jardins.example.org")
    Contact.objects.create(organisation=report.organisation, user=member, role="president")
    report.reviewer = member
    report.save()
    client.force_login(member)
    assert client.get(reverse("impact:review", args=[report.pk])).status_code == 404
