"""Staff back office for social-utility reporting, in Wagtail's admin (wagtail-modeladmin), group
« Utilité sociale »: the shared framework (dimensions, indicators, breakdowns), the yearly
campaigns, and the members' reports (filed from the portal: read here, never created)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from home.admin_lists import SafeIndexView, ServicesOnlyPermissionHelper

from .models import Breakdown, Campaign, Dimension, Indicator, Report


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
    list_display = ("year", "title", "opens_on", "closes_on", "indicator_count", "report_count")

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
    """Members file their reports from the portal, and reviews change them: read only here."""


class ReportAdmin(ModelAdmin):
    model = Report
    menu_label = _("Rapports")
    menu_icon = "doc-full"
    index_view_class = SafeIndexView
    permission_helper_class = ReportPermissionHelper
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
