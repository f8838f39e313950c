"""Paying a membership: the Payment Element page, the return page, transfers and cheques.

The amount is always the membership's, computed on the server; the browser only chooses how to
pay. The webhook (webhooks.py), not these pages, marks an online payment received.

Choosing or switching the way to pay is a POST (a button), never a link: a link opened from
another site must not withdraw a payment under way. A GET shows the pending payment, or the
buttons to choose one when there is none.
"""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import renewals, stripe_gateway
from ..invitations import renewal_invitations
from ..models import Membership, MembershipSettings, Payment
from ..pages import MembershipPage
from ..permissions import member_view, payable_memberships, payable_organisations
from ..services import cancel_payment, open_online_payment, payment_for

ONLINE = (Payment.Method.CARD, Payment.Method.SEPA)
OFFLINE = (Payment.Method.TRANSFER, Payment.Method.CHEQUE)

# Stripe.js and the Payment Element's frames, allowed on the payment page only.
STRIPE_CSP = {
    "script-src": ["https://js.stripe.com"],
    "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
}


def _membership(request, pk):
    """The membership if it belongs to one of the user's organisations; 404 otherwise."""
    return get_object_or_404(payable_memberships(request.user), pk=pk)


def _closed_year(request, membership):
    """A pending membership of a year no longer open (renewals.open_years) is not paid any more:
    the member renews for the current year instead."""
    if membership.year in renewals.open_years():
        return None
    messages.error(
        request,
        _("L’adhésion %(year)s ne peut plus être réglée : adhérez pour l’année en cours.")
        % {"year": membership.year},
    )
    return redirect("members:organisation", pk=membership.organisation_id)


def _pending_payment(membership, methods):
    """The pending payment of one of these methods for the membership's current amount."""
    return (
        membership.payments.filter(
            status=Payment.Status.PENDING,
            method__in=methods,
            amount_cents=membership.amount_cents,
        )
        .order_by("-pk")
        .first()
    )


def _choose(request, membership, template, status=200):
    """No payment of this kind is pending: the buttons to start one (each a POST)."""
    return render(
        request,
        template,
        {"membership": membership, "payment": None, "choose": True},
        status=status,
    )


@member_view
@csp_update(STRIPE_CSP)
@require_http_methods(["GET", "POST"])
def pay(request, pk):
    membership = _membership(request, pk)
    if membership.status != Membership.Status.PENDING:
        return redirect("members:payment_return", pk=membership.pk)
    if closed := _closed_year(request, membership):
        return closed
    if not stripe_gateway.is_configured():
        messages.info(request, _("Le paiement en ligne n’est pas proposé : payez par virement."))
        return redirect("members:offline", pk=membership.pk)
    if request.method == "POST":
        payment = _start_online_payment(membership, request.POST.get("moyen"))
        if payment.stripe_payment_intent_id is None:  # Stripe did not answer: say so, retry
            return _stripe_unavailable(request, membership, payment)
        return redirect("members:pay", pk=membership.pk)
    payment = _pending_payment(membership, ONLINE)
    if payment is None:
        return _choose(request, membership, "members/payment.html")
    if payment.stripe_payment_intent_id is None:
        # Not yet opened at Stripe (Stripe did not answer then, or staff recorded the choice):
        # the buttons again, since only a POST opens it.
        return _choose(request, membership, "members/payment.html")
    context = {"membership": membership, "payment": payment}
    try:
        intent = stripe_gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    except stripe_gateway.StripeUnavailable:
        return _stripe_unavailable(request, membership, payment)
    if intent.status in ("succeeded", "processing"):
        return redirect("members:payment_return", pk=membership.pk)
    if intent.status == "canceled":  # cancelled at Stripe: this attempt is over, start another
        return _choose(request, membership, "members/payment.html")
    return_url = request.build_absolute_uri(reverse("members:payment_return", args=[membership.pk]))
    context.update(
        {
            "client_secret": intent.client_secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "return_url": return_url,
        }
    )
    return render(request, "members/payment.html", context)


def _start_online_payment(membership, method):
    """The member chose to pay online (by card unless they chose SEPA): that payment, made once
    however many clicks, with its PaymentIntent at Stripe; one whose intent Stripe cancelled is
    over and makes way for a new one. Stripe unreachable: the payment is kept without intent."""
    method = method if method in ONLINE else Payment.Method.CARD
    payment = payment_for(membership, method)
    try:
        intent = open_online_payment(payment)
        if intent.status == "canceled":
            cancel_payment(payment.pk)
            payment = payment_for(membership, method)
            open_online_payment(payment)
    except stripe_gateway.StripeUnavailable:
        pass
    return payment


def _stripe_unavailable(request, membership, payment):
    context = {"membership": membership, "payment": payment, "stripe_error": True}
    return render(request, "members/payment.html", context, status=503)


@member_view
def payment_return(request, pk):
    """Where Stripe sends the member back. It trusts only the database, which the webhook
    updates: until then, the payment is « en cours de traitement »."""
    membership = _membership(request, pk)
    context = _status_context(membership)
    if context["state"] == "paid":
        context["invitations"] = renewal_invitations(membership.organisation)
    return render(request, "members/payment_return.html", context)


@member_view
@require_GET
def payment_status(request, pk):
    """The same status as JSON, for the return page to refresh itself."""
    context = _status_context(_membership(request, pk))
    return JsonResponse(
        {
            "status": context["state"],
            "message": str(context["message"]),
            "receipt_url": context["receipt_url"],
        }
    )


def _status_context(membership):
    payment = (
        membership.payments.filter(status=Payment.Status.SUCCEEDED)
        .select_related("receipt")
        .first()
    )
    receipt = getattr(payment, "receipt", None) if payment else None
    if membership.status == Membership.Status.ACTIVE:
        state = "paid"
        message = _("Paiement reçu : votre adhésion %(year)s est active. Merci !") % {
            "year": membership.year
        }
    elif membership.status == Membership.Status.PENDING:
        failed = membership.payments.filter(status=Payment.Status.FAILED).exists()
        pending = membership.payments.filter(status=Payment.Status.PENDING).exists()
        if failed and not pending:
            state = "failed"
            message = _("Le paiement a échoué. Aucun montant n’a été prélevé : réessayez.")
        else:
            state = "processing"
            message = _(
                "Paiement en cours de traitement. Cette page se met à jour dès que la banque "
                "l’a confirmé ; vous recevrez aussi votre reçu par e-mail."
            )
    else:
        state, message = "closed", _("Cette adhésion n’est plus en attente de paiement.")
    return {
        "membership": membership,
        "state": state,
        "message": message,
        "receipt_url": reverse("members:receipt", args=[receipt.pk]) if receipt else None,
        "receipt": receipt,
    }


@member_view
@require_http_methods(["GET", "POST"])
def offline(request, pk):
    """Transfer or cheque: the reference to quote and where to send the money. The membership
    stays pending until staff record the payment. Choosing one of them is a POST."""
    membership = _membership(request, pk)
    payment = None
    if membership.status == Membership.Status.PENDING:
        if closed := _closed_year(request, membership):
            return closed
        if request.method == "POST":
            method = request.POST.get("moyen")
            payment_for(membership, method if method in OFFLINE else Payment.Method.TRANSFER)
            return redirect("members:offline", pk=membership.pk)
        payment = _pending_payment(membership, OFFLINE)
    elif request.method == "POST":
        return redirect("members:offline", pk=membership.pk)
    return render(
        request,
        "members/offline.html",
        {
            "membership": membership,
            "payment": payment,
            "method": payment.method if payment else None,
            "choose": payment is None and membership.status == Membership.Status.PENDING,
            "settings_": MembershipSettings.load(request_or_site=request),
            "online": stripe_gateway.is_configured(),
        },
    )


@member_view
def bulletin_pdf(request, pk):
    """The bulletin, pre-filled, to print and send with a cheque."""
    from ..pdf import render_bulletin_pdf  # reportlab on first use (home/pdf.py)

    membership = _membership(request, pk)
    response = HttpResponse(render_bulletin_pdf(membership), content_type="application/pdf")
    name = f"bulletin-adhesion-{membership.year}-{membership.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_view
def renew(request, pk):
    """« Renouveler » from the portal: the bulletin, for this organisation."""
    organisation = get_object_or_404(payable_organisations(request.user), pk=pk)
    page = MembershipPage.objects.live().first()
    if page is None:
        messages.error(request, _("Le bulletin d’adhésion n’est pas encore en ligne."))
        return redirect("members:portal")
    return redirect(f"{page.url}?organisation={organisation.pk}")
