"""Staff back office for members, in Wagtail's admin (wagtail-modeladmin), with CSV export."""

from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from .models import FeeGrid, Membership, Organisation, Payment


class OrganisationAdmin(ModelAdmin):
    model = Organisation
    menu_icon = "group"
    list_display = ("name", "legal_form", "departement", "employees", "budget_bracket")
    list_filter = ("legal_form", "departement", "budget_bracket", "sectors")
    search_fields = ("name", "rna", "siret", "city")
    list_export = (
        "name", "legal_form", "rna", "siret", "postal_code", "city", "departement",
        "employees", "volunteers", "budget_bracket",
    )  # fmt: skip


class MembershipAdmin(ModelAdmin):
    model = Membership
    menu_icon = "tick-inverse"
    list_display = ("organisation", "year", "tier", "amount_cents", "status")
    list_filter = ("year", "status", "tier__label")
    search_fields = ("organisation__name",)
    list_export = ("organisation", "year", "tier", "amount_cents", "status", "activated_at")


class PaymentAdmin(ModelAdmin):
    model = Payment
    menu_icon = "doc-full"
    list_display = ("reference", "membership", "method", "amount_cents", "status", "received_at")
    list_filter = ("method", "status", "membership__year")
    search_fields = ("reference", "membership__organisation__name", "stripe_payment_intent_id")
    list_export = ("reference", "membership", "method", "amount_cents", "status", "received_at")


class FeeGridAdmin(ModelAdmin):
    model = FeeGrid
    menu_icon = "table"
    list_display = ("year",)


@modeladmin_register
class MembersGroup(ModelAdminGroup):
    menu_label = _("Adhérents")
    menu_icon = "group"
    menu_order = 200
    items = (OrganisationAdmin, MembershipAdmin, PaymentAdmin, FeeGridAdmin)
