"""Staff actions in Wagtail's admin that a model form cannot do: record an offline payment,
refund a payment, erase an organisation's personal data; and the dashboard panel.

Each view checks its own permission (Wagtail's admin has already checked the admin access); a
refusal sends the user back to the dashboard with Wagtail's message. Business rules stay in
`services` and `erasure`: these views only ask and report.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from home.admin_lists import index_url
from home.charts import chart
from home.money import format_euros

from . import services, stripe_gateway
from .admin_forms import ConfirmNameForm, OfflinePaymentForm
from .erasure import AlreadyPseudonymised, pseudonymise_organisation
from .models import Membership, Organisation, Payment
from .renewals import current_membership_year

OFFLINE_METHODS = (Payment.Method.TRANSFER, Payment.Method.CHEQUE)
ONLINE_METHODS = (Payment.Method.CARD, Payment.Method.SEPA)

REFUND_ACTION = "members.refund"


class MembersAdminMixin(WagtailAdminTemplateMixin):
    permission_required = None
    list_model = Membership

    def check_permission(self, request):
        """First of all: a refused user learns nothing, not even whether the object exists."""
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": index_url(self.list_model), "label": self.list_model._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title()},
        ]


# --- An offline payment received ------------------------------------------------------------


class RecordPaymentView(MembersAdminMixin, FormView):
    permission_required = "members.change_payment"
    template_name = "members/admin/record_payment.html"
    form_class = OfflinePaymentForm
    header_icon = "doc-full"
    page_title = gettext_lazy("Enregistrer un paiement reçu")

    def dispatch(self, request, *args, **kwargs):
        self.check_permission(request)
        self.membership = get_object_or_404(
            Membership.objects.select_related("organisation", "tier"), pk=kwargs["pk"]
        )
        if self.membership.status != Membership.Status.PENDING:
            messages.error(request, str(services.MembershipNotPending(self.membership)))
            return redirect(index_url(Membership))
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.membership)

    def pending_payment(self):
        """The payment the member announced, if any: a transfer or cheque first."""
        pending = self.membership.payments.filter(status=Payment.Status.PENDING)
        return (
            pending.filter(method__in=OFFLINE_METHODS).order_by("-created_at").first()
            or pending.order_by("-created_at").first()
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["membership"] = self.membership
        return kwargs

    def get_initial(self):
        pending = self.pending_payment()
        method = pending.method if pending and pending.method in OFFLINE_METHODS else None
        return {
            "method": method or Payment.Method.TRANSFER,
            "received_on": timezone.localdate(),
            "reference": pending.reference if pending else "",
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            membership=self.membership,
            amount_due=format_euros(self.membership.amount_cents),
            pending_payment=self.pending_payment(),
            action_url=self.request.path,
            cancel_url=index_url(Membership),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            payment = services.record_offline_payment(
                self.membership,
                method=data["method"],
                amount_cents=data["amount"],
                received_at=form.received_at(),
                recorded_by=self.request.user,
                quoted_reference=data["reference"],
            )
        except services.MembershipNotPending as not_pending:
            messages.error(self.request, str(not_pending))
            return redirect(index_url(Membership))
        membership = Membership.objects.get(pk=self.membership.pk)
        messages.success(
            self.request,
            _(
                "Paiement de %(amount)s enregistré (%(method)s, référence %(reference)s) : "
                "l’adhésion « %(membership)s » est %(status)s. Le reçu est émis automatiquement."
            )
            % {
                "amount": format_euros(payment.amount_cents),
                "method": payment.get_method_display().lower(),
                "reference": payment.reference,
                "membership": membership,
                "status": membership.get_status_display().lower(),
            },
        )
        if payment.amount_cents != membership.amount_cents:
            messages.warning(
                self.request,
                _("Le montant reçu (%(received)s) diffère du montant de l’adhésion (%(due)s).")
                % {
                    "received": format_euros(payment.amount_cents),
                    "due": format_euros(membership.amount_cents),
                },
            )
        return redirect(index_url(Membership, year=membership.year))


# --- A refund ----------------------------------------------------------------------------------


class RefundPaymentView(MembersAdminMixin, TemplateView):
    permission_required = "members.change_payment"
    template_name = "members/admin/refund_payment.html"
    header_icon = "doc-full"
    list_model = Payment
    page_title = gettext_lazy("Rembourser un paiement")
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        self.check_permission(request)
        self.payment = get_object_or_404(
            Payment.objects.select_related("membership__organisation"), pk=kwargs["pk"]
        )
        if self.payment.status != Payment.Status.SUCCEEDED:
            messages.error(
                request,
                _("Seul un paiement reçu se rembourse ; « %(reference)s » est %(status)s.")
                % {
                    "reference": self.payment.reference,
                    "status": self.payment.get_status_display().lower(),
                },
            )
            return redirect(index_url(Payment))
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.payment.reference

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            payment=self.payment,
            membership=self.payment.membership,
            amount=format_euros(self.payment.amount_cents),
            online=self.payment.method in ONLINE_METHODS,
            action_url=self.request.path,
            cancel_url=index_url(Payment),
        )
        return context

    def post(self, request, *args, **kwargs):
        payment = self.payment
        if payment.method in ONLINE_METHODS:
            if not payment.stripe_payment_intent_id:
                messages.error(
                    request,
                    _(
                        "Ce paiement n’a pas de paiement Stripe associé : remboursez-le depuis "
                        "le tableau de bord Stripe, puis enregistrez le remboursement."
                    ),
                )
                return redirect(request.path)
            try:
                # Stripe first: if it refuses or cannot be reached, nothing changes here.
                stripe_gateway.refund(payment)
            except stripe_gateway.StripeUnavailable:
                messages.error(
                    request,
                    _(
                        "Stripe n’a pas pu effectuer le remboursement (service injoignable ou "
                        "refus). Rien n’a été modifié : réessayez dans quelques minutes."
                    ),
                )
                return redirect(request.path)
        changed = services.refund_payment(payment.pk)
        if changed:
            log(
                payment,
                REFUND_ACTION,
                user=request.user,
                data={"method": payment.method, "amount_cents": payment.amount_cents},
            )
        membership = Membership.objects.get(pk=payment.membership_id)
        if not changed:
            messages.warning(
                request,
                _("Le paiement « %(reference)s » était déjà remboursé.")
                % {"reference": payment.reference},
            )
        elif membership.status == Membership.Status.CANCELLED:
            messages.success(
                request,
                _(
                    "Paiement « %(reference)s » remboursé (%(amount)s) : l’adhésion "
                    "« %(membership)s » est annulée."
                )
                % {
                    "reference": payment.reference,
                    "amount": format_euros(payment.amount_cents),
                    "membership": membership,
                },
            )
        else:
            messages.success(
                request,
                _("Paiement « %(reference)s » remboursé (%(amount)s).")
                % {
                    "reference": payment.reference,
                    "amount": format_euros(payment.amount_cents),
                },
            )
        return redirect(index_url(Payment))


# --- Erasure of an organisation's personal data ------------------------------------------------


class PseudonymiseOrganisationView(MembersAdminMixin, FormView):
    permission_required = "members.delete_organisation"
    template_name = "members/admin/pseudonymise_organisation.html"
    form_class = ConfirmNameForm
    header_icon = "warning"
    list_model = Organisation
    page_title = gettext_lazy("Effacer les données personnelles")

    def dispatch(self, request, *args, **kwargs):
        self.check_permission(request)
        self.organisation = get_object_or_404(Organisation, pk=kwargs["pk"])
        if self.organisation.pseudonymised_at is not None:
            messages.error(request, self.already_done_message())
            return redirect(index_url(Organisation))
        return super().dispatch(request, *args, **kwargs)

    def already_done_message(self):
        return _("Les données personnelles de cette organisation sont déjà effacées.")

    def get_page_subtitle(self):
        return self.organisation.name

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["expected"] = self.organisation.name
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.organisation
        context.update(
            organisation=organisation,
            contacts=organisation.contacts.select_related("user").order_by("pk"),
            membership_count=organisation.memberships.count(),
            action_url=self.request.path,
            cancel_url=index_url(Organisation),
        )
        return context

    def form_valid(self, form):
        former_name = self.organisation.name
        try:
            result = pseudonymise_organisation(self.organisation, by_user=self.request.user)
        except AlreadyPseudonymised:
            messages.error(self.request, self.already_done_message())
            return redirect(index_url(Organisation))
        messages.success(
            self.request,
            _(
                "Les données personnelles de « %(name)s » sont effacées : l’organisation "
                "s’appelle désormais « %(new_name)s ». Comptes désactivés : %(anonymised)s ; "
                "contacts seulement détachés (comptes encore utilisés) : %(unlinked)s. "
                "Adhésions et paiements sont conservés."
            )
            % {
                "name": former_name,
                "new_name": result.organisation.name,
                "anonymised": result.users_anonymised,
                "unlinked": result.users_unlinked,
            },
        )
        return redirect(index_url(Organisation))


# --- Dashboard ---------------------------------------------------------------------------------


def dashboard_figures(year):
    """This year's members and dues, in two aggregate queries.

    Expected: the amounts of the year's live memberships (all but cancelled). Collected: the
    payments received for the year's memberships that are still held, i.e. net of refunds (a
    refunded payment leaves the « reçu » status); the refunds are given apart.
    """
    memberships = Membership.objects.filter(year=year).aggregate(
        active=Count("pk", filter=Q(status=Membership.Status.ACTIVE)),
        pending=Count("pk", filter=Q(status=Membership.Status.PENDING)),
        expected=Sum("amount_cents", filter=~Q(status=Membership.Status.CANCELLED)),
    )
    payments = Payment.objects.filter(membership__year=year).aggregate(
        collected=Sum("amount_cents", filter=Q(status=Payment.Status.SUCCEEDED)),
        refunded=Sum("amount_cents", filter=Q(status=Payment.Status.REFUNDED)),
    )
    expected = memberships["expected"] or 0
    collected = payments["collected"] or 0
    return {
        "year": year,
        "active": memberships["active"],
        "pending": memberships["pending"],
        "expected_cents": expected,
        "collected_cents": collected,
        "refunded_cents": payments["refunded"] or 0,
        "percent": (collected * 100 // expected) if expected else None,
    }


def dashboard_charts(year):
    """The year's dues collected month by month (net of refunds), and the active members by
    tier and by département: three aggregate queries, each drawn with its table."""
    by_month = dict(
        Payment.objects.filter(
            membership__year=year, status=Payment.Status.SUCCEEDED, received_at__isnull=False
        )
        .annotate(month=TruncMonth("received_at"))
        .values_list("month")
        .annotate(total=Sum("amount_cents"))
    )
    months = sorted(by_month)
    dues = [(formats.date_format(month, "M Y"), by_month[month] / 100) for month in months]
    active = Membership.objects.filter(year=year, status=Membership.Status.ACTIVE)
    tiers = list(active.values_list("tier__label").annotate(n=Count("pk")).order_by("tier__order"))
    departements = list(
        active.values_list("organisation__departement")
        .annotate(n=Count("pk"))
        .order_by("organisation__departement")
    )
    return {
        "dues_rows": dues,
        "dues_chart": chart(
            _("Cotisations encaissées par mois (€) : détail dans le tableau."), dues, unit="€"
        ),
        "tier_rows": tiers,
        "tier_chart": chart(_("Adhérents à jour par tranche : détail dans le tableau."), tiers),
        "departement_rows": departements,
        "departement_chart": chart(
            _("Adhérents à jour par département : détail dans le tableau."), departements
        ),
    }


class MembersDashboardPanel(Component):
    name = "members_dashboard"
    template_name = "members/admin/dashboard_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        figures = dashboard_figures(current_membership_year())
        year = figures["year"]
        context.update(dashboard_charts(year))
        live = ",".join(s for s in Membership.Status.values if s != Membership.Status.CANCELLED)
        context.update(
            figures,
            collected=format_euros(figures["collected_cents"]),
            expected=format_euros(figures["expected_cents"]),
            refunded=format_euros(figures["refunded_cents"]),
            active_url=index_url(Membership, year=year, status__exact="active"),
            pending_url=index_url(Membership, year=year, status__exact="pending"),
            expected_url=index_url(Membership, year=year, status__in=live),
            collected_url=index_url(Payment, membership__year=year, status__exact="succeeded"),
            refunded_url=index_url(Payment, membership__year=year, status__exact="refunded"),
        )
        return context
