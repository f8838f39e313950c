"""The admin's dashboard shows the open campaign's reporting rate, as a chart with its table,
to staff who may see the reports, and to no one else."""

import pytest
from django.contrib.auth.models import Permission

from demo.factories.impact import CampaignFactory, IndicatorFactory, ReportFactory
from demo.factories.members import OrganisationFactory, UserFactory, make_grid
from impact.dashboard import reporting_rate
from impact.models import Report
from members.models import Membership
from members.renewals import current_membership_year
from members.services import start_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    campaign = CampaignFactory(title="Utilité sociale 2026", indicators=[IndicatorFactory()])
    grid = make_grid(current_membership_year())
    for n in range(4):
        membership = start_membership(OrganisationFactory(employees=3), grid)
        Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.ACTIVE)
        if n < 3:
            status = [Report.Status.DRAFT, Report.Status.SUBMITTED, Report.Status.REVIEWED][n]
            ReportFactory(campaign=campaign, organisation=membership.organisation, status=status)
    return campaign


def test_the_reporting_rate_counts_the_active_members(campaign):
    figures = reporting_rate(campaign, current_membership_year())
    assert figures["expected"] == 4 and figures["not_started"] == 1
    assert figures["handed_in"] == 2 and figures["percent"] == 50


def test_a_report_of_an_organisation_no_longer_member_is_left_out_of_the_rate(campaign):
    for _n in range(3):  # lapsed members who still report
        ReportFactory(campaign=campaign, status=Report.Status.SUBMITTED)
    figures = reporting_rate(campaign, current_membership_year())
    assert figures["handed_in"] == 2 and figures["percent"] == 50
    assert dict(figures["counts"])["remis"] == 1


def test_staff_see_the_panel_with_its_table(client, campaign):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/admin/").content.decode()
    assert "Utilité sociale : Utilité sociale 2026" in page
    assert 'role="img"' in page and "Pas commencé" in page
    assert "2 rapports remis pour 4 adhérents à jour" in page


def test_an_editor_without_the_permission_does_not(client, campaign):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert "Utilité sociale : " not in client.get("/admin/").content.decode()
