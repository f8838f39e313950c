"""The reporting rate of the open campaign, on the admin's dashboard: how many member
organisations have not started, are writing, have submitted, were returned, or are reviewed; as
a chart with its table."""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from home.charts import chart
from members.models import Membership
from members.renewals import current_membership_year

from .models import Campaign, Report


def reporting_rate(campaign, year):
    """{status: count} of the campaign's reports, plus « not started » among the organisations
    whose membership of `year` is active; and the rate of submitted or reviewed ones."""
    members = set(
        Membership.objects.filter(year=year, status=Membership.Status.ACTIVE).values_list(
            "organisation_id", flat=True
        )
    )
    counts = dict(
        Report.objects.filter(campaign=campaign).values_list("status").annotate(n=Count("pk"))
    )
    started = set(
        Report.objects.filter(campaign=campaign, organisation_id__in=members).values_list(
            "organisation_id", flat=True
        )
    )
    handed_in = counts.get(Report.Status.SUBMITTED, 0) + counts.get(Report.Status.REVIEWED, 0)
    expected = len(members)
    return {
        "not_started": len(members - started),
        "counts": [(status.label, counts.get(status.value, 0)) for status in Report.Status],
        "handed_in": handed_in,
        "expected": expected,
        "percent": handed_in * 100 // expected if expected else None,
    }


class ReportingPanel(Component):
    name = "impact_reporting"
    template_name = "impact/admin/dashboard_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        today = timezone.localdate()
        campaign = (
            Campaign.objects.filter(opens_on__lte=today).order_by("-closes_on", "-year").first()
        )
        context["campaign"] = campaign
        if campaign is None:
            return context
        figures = reporting_rate(campaign, current_membership_year())
        rows = [(_("pas commencé"), figures["not_started"]), *figures["counts"]]
        context.update(
            figures,
            rows=rows,
            chart=chart(
                _("Rapports de la campagne %(year)s, par état : détail dans le tableau.")
                % {"year": campaign.year},
                rows,
            ),
        )
        return context
