"""The reporting rate of the open campaign, on the admin's dashboard: how many member
organisations have not started, are writing, have submitted, were returned, or are reviewed; as
a chart with its table."""

from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from home.charts import chart
from members.models import Membership
from members.renewals import current_membership_year

from .models import Campaign, Report


def reporting_rate(campaign, year):
    """Among the organisations whose membership of `year` is active: {status: count} of their
    reports for the campaign, those not started, and the rate of submitted or reviewed ones.
    A report of an organisation that no longer adheres is left out, so that the rate never
    passes 100 %."""
    members = Membership.objects.filter(year=year, status=Membership.Status.ACTIVE).values(
        "organisation_id"
    )
    statuses = dict(
        Report.objects.filter(campaign=campaign, organisation_id__in=members).values_list(
            "organisation_id", "status"
        )
    )
    counts = Counter(statuses.values())
    handed_in = counts[Report.Status.SUBMITTED] + counts[Report.Status.REVIEWED]
    expected = members.distinct().count()
    return {
        "not_started": expected - len(statuses),
        "counts": [(status.label, counts[status.value]) for status in Report.Status],
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
