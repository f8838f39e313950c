"""Staff back office for members, in Wagtail's admin (wagtail-modeladmin): lists with filters,
search and CSV/XLSX export; the actions of `admin_views` (offline payment received, refund,
erasure) as row buttons; the dashboard panel.

Memberships and payments change only through the services (the actions, the bulletin): their
generic create, edit and delete views are refused to everyone, superusers included.
"""

from django.contrib import admin
from django.contrib.admin import (
    ChoicesFieldListFilter,
    EmptyFieldListFilter,
    SimpleListFilter,
)
from django.db.models import Exists, OuterRef
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from home.admin_lists import RowButtonHelper, SafeIndexView, ServicesOnlyPermissionHelper, titled
from home.money import euros_decimal, format_euros

from . import admin_views, erasure, services
from .admin_forms import FeeGridForm
from .models import FeeGrid, Membership, Organisation, Payment


def year_param(value):
    """A membership year from the query string, or None if it is not one (« abc », « ² »)."""
    if value and value.isascii() and value.isdigit() and len(value) <= 4:
        return int(value)
    return None


# --- Organisations -----------------------------------------------------------------------------


class MembershipYearFilter(SimpleListFilter):
    """Organisations with a live (not cancelled) membership that year."""

    title = _("année d’adhésion")
    parameter_name = "adhesion"

    def lookups(self, request, model_admin):
        years = Membership.objects.order_by("-year").values_list("year", flat=True).distinct()
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        year = year_param(self.value())
        if year is None:
            return queryset  # no year, or not a year (« ?adhesion=abc »): no filter
        if request.GET.get(MembershipStatusFilter.parameter_name) in Membership.Status.values:
            return queryset  # with a status too, MembershipStatusFilter applies both at once
        live = Membership.objects.filter(organisation=OuterRef("pk"), year=year).exclude(
            status=Membership.Status.CANCELLED
        )
        return queryset.filter(Exists(live))


class MembershipStatusFilter(SimpleListFilter):
    """Organisations with a membership in that status (that year, if a year is chosen)."""

    title = _("statut de l’adhésion")
    parameter_name = "statut_adhesion"

    def lookups(self, request, model_admin):
        return Membership.Status.choices

    def queryset(self, request, queryset):
        if self.value() not in Membership.Status.values:
            return queryset
        memberships = Membership.objects.filter(organisation=OuterRef("pk"), status=self.value())
        year = year_param(request.GET.get(MembershipYearFilter.parameter_name))
        if year is not None:
            memberships = memberships.filter(year=year)
        return queryset.filter(Exists(memberships))


class OrganisationPermissionHelper(PermissionHelper):
    def user_can_edit_obj(self, user, obj):
        # An erased organisation keeps only placeholders: nothing left to edit.
        return obj.pseudonymised_at is None and super().user_can_edit_obj(user, obj)


class OrganisationButtonHelper(RowButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        user = self.request.user
        if (
            obj.pseudonymised_at is None
            and "pseudonymise" not in (exclude or [])
            and user.has_perm("members.delete_organisation")
        ):
            buttons.append(
                self.row_button(
                    reverse("members_admin:pseudonymise_organisation", args=[obj.pk]),
                    _("Effacer les données personnelles"),
                    _("Effacer les données personnelles de cette organisation"),
                    classnames_add,
                    classnames_exclude,
                    style="no",
                )
            )
        return buttons


class OrganisationAdmin(ModelAdmin):
    model = Organisation
    menu_icon = "group"
    index_view_class = SafeIndexView
    permission_helper_class = OrganisationPermissionHelper
    button_helper_class = OrganisationButtonHelper
    # Read-only page of an organisation, the one way to look at an erased one (no edit left).
    inspect_view_enabled = True
    list_display = ("name", "legal_form", "departement", "employees", "budget_bracket")
    list_filter = (
        ("departement", titled(_("département"))),
        MembershipYearFilter,
        MembershipStatusFilter,
        "legal_form",
        "budget_bracket",
        "sectors",
        ("pseudonymised_at", titled(_("données effacées"), EmptyFieldListFilter)),
    )
    search_fields = (
        "name", "rna", "siret", "postal_code", "city",
        "contacts__user__email", "contacts__user__last_name",
    )  # fmt: skip
    list_export = (
        "name", "legal_form", "rna", "siret", "postal_code", "city", "departement",
        "employees", "volunteers", "budget_bracket", "pseudonymised_at",
    )  # fmt: skip
    export_filename = "organisations"


# --- Memberships and payments ------------------------------------------------------------------


class AmountColumns:
    """Amounts in euros: formatted on screen, a decimal number in exports."""

    @admin.display(description=_("montant"), ordering="amount_cents")
    def amount(self, obj):
        return format_euros(obj.amount_cents)

    @admin.display(description=_("montant (€)"))
    def amount_euros(self, obj):
        return euros_decimal(obj.amount_cents)

    @admin.display(description=_("statut"))
    def status_label(self, obj):
        return obj.get_status_display()


class MembershipButtonHelper(RowButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if (
            obj.status == Membership.Status.PENDING
            and "record_payment" not in (exclude or [])
            and self.request.user.has_perm("members.change_payment")
        ):
            buttons.append(
                self.row_button(
                    reverse("members_admin:record_payment", args=[obj.pk]),
                    _("Paiement reçu"),
                    _("Enregistrer un virement ou un chèque reçu pour cette adhésion"),
                    classnames_add,
                    classnames_exclude,
                )
            )
        return buttons


class MembershipPermissionHelper(ServicesOnlyPermissionHelper):
    """A membership is made by the bulletin (with the fee grid's amount) and changes with its
    payments (« paiement reçu », refund), never in a free form."""


class MembershipAdmin(AmountColumns, ModelAdmin):
    model = Membership
    menu_icon = "tick-inverse"
    index_view_class = SafeIndexView
    permission_helper_class = MembershipPermissionHelper
    button_helper_class = MembershipButtonHelper
    inspect_view_enabled = True
    list_display = ("organisation", "year", "tier", "amount", "status", "departement")
    list_select_related = ("organisation", "tier")
    list_filter = (
        ("year", titled(_("année"))),
        "status",
        ("tier__label", titled(_("tranche"))),
        ("organisation__departement", titled(_("département"))),
        ("payments__method", titled(_("moyen de paiement"), ChoicesFieldListFilter)),
    )
    search_fields = (
        "organisation__name", "organisation__rna", "organisation__siret", "payments__reference",
    )  # fmt: skip
    list_export = (
        "organisation", "departement", "year", "tier", "amount_euros",
        "status_label", "activated_at",
    )  # fmt: skip
    export_filename = "adhesions"

    @admin.display(description=_("département"), ordering="organisation__departement")
    def departement(self, obj):
        return obj.organisation.departement


class PaymentPermissionHelper(ServicesOnlyPermissionHelper):
    """Payments change only through the services (forward-only status, membership activated or
    cancelled with them): no free creation or editing in the admin, only the actions."""


class PaymentButtonHelper(RowButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        exclude = exclude or []
        if not self.request.user.has_perm("members.change_payment"):
            return buttons
        if obj.status == Payment.Status.SUCCEEDED and "refund" not in exclude:
            buttons.append(
                self.row_button(
                    reverse("members_admin:refund_payment", args=[obj.pk]),
                    _("Rembourser"),
                    _("Rembourser ce paiement"),
                    classnames_add,
                    classnames_exclude,
                    style="no",
                )
            )
        if (
            obj.status == Payment.Status.PENDING
            and obj.method in admin_views.OFFLINE_METHODS
            and obj.membership.status == Membership.Status.PENDING
            and "record_payment" not in exclude
        ):
            buttons.append(
                self.row_button(
                    reverse("members_admin:record_payment", args=[obj.membership_id]),
                    _("Paiement reçu"),
                    _("Enregistrer la réception de ce virement ou chèque"),
                    classnames_add,
                    classnames_exclude,
                )
            )
        return buttons


class PaymentAdmin(AmountColumns, ModelAdmin):
    model = Payment
    menu_icon = "doc-full"
    index_view_class = SafeIndexView
    permission_helper_class = PaymentPermissionHelper
    button_helper_class = PaymentButtonHelper
    inspect_view_enabled = True
    list_display = ("reference", "adhesion", "method", "amount", "status", "received_at")
    list_select_related = ("membership__organisation",)
    list_filter = (
        ("membership__year", titled(_("année"))),
        "status",
        "method",
        ("membership__tier__label", titled(_("tranche"))),
        ("membership__organisation__departement", titled(_("département"))),
    )
    search_fields = (
        "reference", "membership__organisation__name", "stripe_payment_intent_id",
        "stripe_charge_id",
    )  # fmt: skip
    list_export = (
        "reference", "adhesion", "departement", "year", "method_label", "amount_euros",
        "status_label", "received_at", "recorded_by",
    )  # fmt: skip
    export_filename = "paiements"

    @admin.display(description=_("adhésion"), ordering="membership__organisation__name")
    def adhesion(self, obj):
        return str(obj.membership)

    @admin.display(description=_("moyen de paiement"))
    def method_label(self, obj):
        return obj.get_method_display()

    @admin.display(description=_("département"))
    def departement(self, obj):
        return obj.membership.organisation.departement

    @admin.display(description=_("année"))
    def year(self, obj):
        return obj.membership.year


class FeeGridAdmin(ModelAdmin):
    model = FeeGrid
    menu_icon = "table"
    index_view_class = SafeIndexView
    list_display = ("year",)

    def get_edit_handler(self):
        # The model's panels, with a form that refuses to delete a tier memberships use.
        return ObjectList(FeeGrid.panels, base_form_class=FeeGridForm)


@modeladmin_register
class MembersGroup(ModelAdminGroup):
    menu_label = _("Adhérents")
    menu_icon = "group"
    menu_order = 200
    items = (OrganisationAdmin, MembershipAdmin, PaymentAdmin, FeeGridAdmin)


# --- Actions, dashboard, history ---------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_members_admin_urls():
    urls = [
        path(
            "membership/<int:pk>/paiement-recu/",
            admin_views.RecordPaymentView.as_view(),
            name="record_payment",
        ),
        path(
            "payment/<int:pk>/rembourser/",
            admin_views.RefundPaymentView.as_view(),
            name="refund_payment",
        ),
        path(
            "organisation/<int:pk>/effacer/",
            admin_views.PseudonymiseOrganisationView.as_view(),
            name="pseudonymise_organisation",
        ),
    ]
    return [path("members/", include((urls, "members_admin"), namespace="members_admin"))]


@hooks.register("construct_homepage_panels")
def add_members_dashboard(request, panels):
    user = request.user
    if user.has_perm("members.view_membership") or user.has_perm("members.change_membership"):
        panels.append(admin_views.MembersDashboardPanel())


@hooks.register("register_log_actions")
def register_members_log_actions(actions):
    actions.register_action(
        services.RECORD_ACTION,
        _("Paiement hors ligne enregistré"),
        _("Réception d’un virement ou d’un chèque enregistrée"),
    )
    actions.register_action(admin_views.REFUND_ACTION, _("Remboursement"), _("Paiement remboursé"))
    actions.register_action(
        erasure.ERASE_ACTION,
        _("Effacement des données personnelles"),
        _("Données personnelles effacées"),
    )
