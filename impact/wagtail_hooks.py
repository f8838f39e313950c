"""Staff back office for social-utility reporting, in Wagtail's admin (wagtail-modeladmin), group
« Utilité sociale »: the shared framework (dimensions, indicators, breakdowns), the yearly
campaigns, and the members' reports (filed from the portal; here staff read them and designate
who reviews each)."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import EditView

from home.admin_lists import RowButtonHelper, SafeIndexView, ServicesOnlyPermissionHelper
from members.invitations import RENEWAL_INVITATIONS

from .dashboard import ReportingPanel
from .models import Breakdown, Campaign, Dimension, Indicator, Report
from .renewal import report_invitations
from .services import reviewer_designated


class DimensionAdmin(ModelAdmin):
    model = Dimension
    menu_label = _("Dimensions")
    menu_icon = "folder-open-inverse"
    index_view_class = SafeIndexView
    list_display = ("name", "sort_order")
    search_fields = ("name",)


class IndicatorAdmin(ModelAdmin):
    model = Indicator
    menu_label = _("Indicateurs")
    menu_icon = "list-ol"
    index_view_class = SafeIndexView
    list_display = ("code", "name", "dimension", "kind", "unit")
    list_filter = ("dimension", "kind")
    search_fields = ("code", "name", "definition")


class BreakdownAdmin(ModelAdmin):
    model = Breakdown
    menu_label = _("Ventilations")
    menu_icon = "table"
    index_view_class = SafeIndexView
    list_display = ("name",)


class CampaignAdmin(ModelAdmin):
    model = Campaign
    menu_label = _("Campagnes")
    menu_icon = "date"
    index_view_class = SafeIndexView
    list_display = (
        "year",
        "title",
        "opens_on",
        "closes_on",
        "figures_public",
        "indicator_count",
        "report_count",
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                indicators_asked=Count("campaign_indicators", distinct=True),
                reports_filed=Count("reports", distinct=True),
            )
        )

    @staticmethod
    def indicator_count(campaign):
        return campaign.indicators_asked

    indicator_count.short_description = _("indicateurs")

    @staticmethod
    def report_count(campaign):
        return campaign.reports_filed

    report_count.short_description = _("rapports")


class ReportPermissionHelper(ServicesOnlyPermissionHelper):
    """Members file their reports from the portal, and reviews change them: here, staff only
    designate who reviews a report (its one editable field, below), never its answers."""

    def user_can_edit_obj(self, user, obj):
        return user.has_perm("impact.change_report")


class ReportButtonHelper(RowButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if obj.status == Report.Status.SUBMITTED and self.request.user.has_perm(
            "impact.change_report"
        ):
            buttons.append(
                self.row_button(
                    reverse("impact:review", args=[obj.pk]),
                    _("Relire"),
                    _("Relire le rapport de %(name)s") % {"name": obj.organisation},
                    classnames_add,
                    classnames_exclude,
                )
            )
        return buttons


class ReportEditView(EditView):
    def form_valid(self, form):
        changed = "reviewer" in form.changed_data
        response = super().form_valid(form)
        if changed:
            reviewer_designated(self.instance)
        return response


class ReportAdmin(ModelAdmin):
    model = Report
    button_helper_class = ReportButtonHelper
    edit_view_class = ReportEditView
    menu_label = _("Rapports")
    menu_icon = "doc-full"
    index_view_class = SafeIndexView
    permission_helper_class = ReportPermissionHelper
    # Editing a report is designating its reviewer: a staff member, or someone of a peer member.
    panels = [FieldPanel("reviewer")]
    inspect_view_enabled = True
    list_display = ("organisation", "campaign", "status", "submitted_at", "reviewer")
    list_filter = ("campaign", "status")
    search_fields = ("organisation__name",)
    list_select_related = ("organisation", "campaign", "reviewer")


@modeladmin_register
class ImpactGroup(ModelAdminGroup):
    menu_label = _("Utilité sociale")
    menu_icon = "pick"
    menu_order = 260
    items = (CampaignAdmin, ReportAdmin, IndicatorAdmin, DimensionAdmin, BreakdownAdmin)


@hooks.register("construct_homepage_panels")
def add_reporting_panel(request, panels):
    if request.user.has_perm("impact.view_report"):
        panels.append(ReportingPanel())


# The renewal page invites the member to report (members/invitations.py).
hooks.register(RENEWAL_INVITATIONS, report_invitations)
