"""The portal's home and an organisation's page, its details and its data export.

Every page is personal: login required, never cached, and another organisation's address
answers 404, as if it did not exist."""

import logging

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import exports
from ..forms.organisations import OrganisationEditForm
from ..models import Membership, Payment
from ..permissions import member_view, organisations_of

ONLINE_METHODS = (Payment.Method.CARD, Payment.Method.SEPA)

logger = logging.getLogger(__name__)

# --- Portal home and organisation page ---------------------------------------------------------


def _memberships_prefetch():
    """Memberships with their tier, payments and receipts: three queries, however many rows."""
    payments = Payment.objects.select_related("receipt").order_by("-created_at")
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("tier").prefetch_related(
            Prefetch("payments", queryset=payments)
        ),
    )


def _decorate(membership):
    """What the templates need to know of a membership, from the prefetched payments."""
    payments = membership.payment_list = list(membership.payments.all())
    for payment in payments:
        # A refunded payment's receipt no longer attests anything: no link (its download is 404).
        received = payment.status == Payment.Status.SUCCEEDED
        payment.receipt_or_none = exports.receipt_of(payment) if received else None
    membership.is_pending = membership.status == Membership.Status.PENDING
    pending = next((p for p in payments if p.status == Payment.Status.PENDING), None)
    latest = pending or (payments[0] if payments else None)
    # Card or SEPA (or nothing chosen yet): the online payment page, which offers transfers
    # too when online payment is off; a declared transfer or cheque: its instructions.
    membership.pays_online = latest is None or latest.method in ONLINE_METHODS
    return membership


@member_view
def portal(request):
    organisations = list(organisations_of(request.user).prefetch_related(_memberships_prefetch()))
    for organisation in organisations:
        memberships = [_decorate(m) for m in organisation.memberships.all()]
        organisation.current_membership = memberships[0] if memberships else None
    return render(request, "members/portal.html", {"organisations": organisations})


def own_organisation(request, pk):
    # Another organisation's page answers 404, as if it did not exist.
    return get_object_or_404(organisations_of(request.user), pk=pk)


@member_view
def organisation_detail(request, pk):
    organisation = get_object_or_404(
        organisations_of(request.user).prefetch_related("sectors", _memberships_prefetch()),
        pk=pk,
    )
    memberships = [_decorate(m) for m in organisation.memberships.all()]
    return render(
        request,
        "members/organisation_detail.html",
        {"organisation": organisation, "memberships": memberships},
    )


@member_view
def organisation_edit(request, pk):
    organisation = own_organisation(request, pk)
    # The form changes its instance while it validates: the page's title keeps the saved name.
    saved_name = organisation.name
    form = OrganisationEditForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Les informations de l’organisation sont enregistrées."))
        return redirect("members:organisation", pk=organisation.pk)
    return render(
        request,
        "members/organisation_edit.html",
        {"organisation": organisation, "organisation_name": saved_name, "form": form},
    )


# --- Export ------------------------------------------------------------------------------------


def _export_response(organisation, content, content_type, extension):
    filename = f"{slugify(organisation.name) or 'organisation'}-{timezone.localdate()}.{extension}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@member_view
def export_json(request, pk):
    organisation = own_organisation(request, pk)
    return _export_response(
        organisation,
        exports.as_json(organisation),
        "application/json; charset=utf-8",
        "json",
    )


@member_view
def export_csv(request, pk):
    organisation = own_organisation(request, pk)
    return _export_response(
        organisation, exports.as_csv(organisation), "text/csv; charset=utf-8", "csv"
    )
