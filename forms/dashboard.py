"""The volunteering funnel on the admin's dashboard: offers of skills, the matches proposed from
them, those introduced (both sides told), and those accepted by both (a mandate, ongoing or
ended); as a chart with its table."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from home.charts import chart

from .models import Match, VolunteerOffer


def funnel():
    """[(step, count)], in two aggregate queries."""
    offers = VolunteerOffer.objects.exclude(status=VolunteerOffer.Status.WITHDRAWN).count()
    matches = Match.objects.aggregate(
        proposed=Count("pk"),
        introduced=Count("pk", filter=Q(introduced_at__isnull=False)),
        accepted=Count("pk", filter=Q(status__in=[Match.Status.ACCEPTED, Match.Status.ENDED])),
    )
    return [
        (_("Offres de compétences"), offers),
        (_("Propositions"), matches["proposed"]),
        (_("Mises en relation"), matches["introduced"]),
        (_("Acceptées"), matches["accepted"]),
    ]


class FunnelPanel(Component):
    name = "volunteering_funnel"
    template_name = "forms/admin/dashboard_panel.html"
    order = 70

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        rows = funnel()
        context.update(
            rows=rows,
            chart=chart(_("Du bénévole proposé au mandat accepté : détail dans le tableau."), rows),
        )
        return context
