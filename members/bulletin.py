"""The bulletin d'adhésion, served by the MembershipPage (see pages.py).

Who fills it in decides its parts:
- a visitor: organisation, contact and dues. A new address gets its account and is logged in;
  for an address that has an account, its owner is invited by e-mail to become the contact, and
  the visitor is told only that the bulletin was received (no one learns the account exists);
- a member: their organisation's details, pre-filled, and dues (they are the contact);
- staff, entering a paper bulletin: all parts, any tier, and no password for the contact.
"""

import logging
from functools import partial

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from home.cache import cached
from home.emails import site_url
from home.money import format_euros
from privacy import consents

from . import contacts, renewals, stripe_gateway
from .emails import send_bulletin_confirmation, send_invitation_after_commit
from .forms.bulletin import ContactForm, DuesForm, OrganisationForm
from .invitations import renewal_invitations
from .models import (
    Contact,
    ContactInvitation,
    FeeGrid,
    Membership,
    MembershipSettings,
    Organisation,
    Payment,
    Sector,
)
from .permissions import staff_may
from .processing import PRIVACY_NOTICE, STATUTES
from .services import (
    NoMatchingTier,
    open_online_payment,
    payment_for,
    prepare_membership,
)

logger = logging.getLogger(__name__)

ONLINE_METHODS = {Payment.Method.CARD, Payment.Method.SEPA}
# The query parameter of the page that says a bulletin was received and the rest goes by e-mail.
RECEIVED = "envoye"


def bulletin_grid(today=None, options=None):
    """The grid of the year a bulletin signed today is for: the latest year open to payment
    (next year once renewals have opened) that has a grid."""
    years = renewals.open_years(today, options)
    grids = {g.year: g for g in FeeGrid.objects.filter(year__in=years).prefetch_related("tiers")}
    return next((grids[year] for year in sorted(years, reverse=True) if year in grids), None)


def describe_tier(tier):
    """Who a tier is for, in words: « de 1 à 9 salariés », « budget de 50 000 € à 199 999 € »."""
    if tier.free_amount:
        return _("Montant libre, à partir de %(minimum)s") % {
            "minimum": format_euros(tier.minimum_cents)
        }
    if tier.basis == tier.Basis.EMPLOYEES:
        if tier.maximum is None:
            return _("%(minimum)s salarié·es ou plus") % {"minimum": tier.minimum}
        if tier.maximum - 1 == tier.minimum:
            return _("%(count)s salarié·e") % {"count": tier.minimum}
        return _("De %(minimum)s à %(maximum)s salarié·es") % {
            "minimum": tier.minimum,
            "maximum": tier.maximum - 1,
        }
    low = format_euros(tier.minimum * 100)
    if tier.maximum is None:
        return _("Budget annuel de %(minimum)s ou plus") % {"minimum": low}
    return _("Budget annuel de %(minimum)s à moins de %(maximum)s") % {
        "minimum": low,
        "maximum": format_euros(tier.maximum * 100),
    }


def grid_rows(grid):
    return [
        {"tier": tier, "rule": describe_tier(tier)}
        for tier in sorted(grid.tiers.all(), key=lambda t: (t.order, t.minimum))
    ]


def next_step_url(membership, method):
    name = "members:pay" if method in ONLINE_METHODS else "members:offline"

    return reverse(name, args=[membership.pk])


def cached_grid(request):
    """(membership settings, the grid with its tiers) for the bulletin, from the content cache:
    both change only with content (members/signals.py starts a new generation), and which grid
    applies moves with the date, which is in the key."""
    site = getattr(request, "_wagtail_site", None)
    site_key = site.pk if site else ""
    options = cached(
        f"membership-settings:{site_key}",
        lambda: MembershipSettings.load(request_or_site=request),
        request,
    )
    today = timezone.localdate()
    grid = cached(
        f"bulletin-grid:{site_key}:{today.isoformat()}",
        lambda: bulletin_grid(today, options),
        request,
    )
    return options, grid


def _sector_choices():
    return list(Sector.objects.values_list("pk", "name"))


def serve_bulletin(page, request):
    response = _bulletin(page, request)
    add_never_cache_headers(response)  # personal: never from a cache
    return response


def _bulletin(page, request):
    user = request.user
    # Staff entering a paper bulletin: they may join any organisation, in any tier.
    staff = staff_may(user, "members.add_membership")
    options, grid = cached_grid(request)
    context = {"page": page, "self": page, "grid": grid, "membership_settings": options}
    if grid is None:
        return render(request, "members/membership_page.html", context)
    context["grid_rows"] = grid_rows(grid)
    if request.method == "GET" and request.GET.get(RECEIVED):
        return render(request, "members/membership_page.html", {**context, "received": True})

    organisation = None
    if user.is_authenticated and not staff:
        own = Organisation.objects.filter(contacts__user=user).distinct()
        wanted = request.POST.get("organisation") or request.GET.get("organisation")
        if wanted and wanted != "new":
            organisation = get_object_or_404(own, pk=wanted if wanted.isdigit() else 0)
        elif not wanted:
            mine = list(own)
            if len(mine) == 1:
                organisation = mine[0]
            elif mine:  # several: ask which one joins
                return render(
                    request, "members/membership_page.html", {**context, "choose_from": mine}
                )
    if organisation is not None:
        live = (
            Membership.objects.filter(organisation=organisation, year=grid.year)
            .exclude(status=Membership.Status.CANCELLED)
            .first()
        )
        context["invitations"] = renewal_invitations(organisation)
        if live is not None and live.status != Membership.Status.PENDING:
            return render(
                request, "members/membership_page.html", {**context, "member_already": live}
            )
        context["pending"] = live

    need_contact = not user.is_authenticated or staff
    data = request.POST if request.method == "POST" else None
    org_form = OrganisationForm(data, instance=organisation, prefix="org")
    # The sectors' boxes from the content cache (a sector's change starts a new generation): a
    # bulletin sent back with errors asks the database only what checking it needs.
    org_form.fields["sectors"].widget.choices = cached("sector-choices", _sector_choices, request)
    contact_form = (
        ContactForm(data, prefix="contact", password_required=not staff) if need_contact else None
    )
    dues_form = DuesForm(data, grid=grid, staff=staff, prefix="dues")
    forms = [f for f in (org_form, contact_form, dues_form) if f is not None]
    context.update(
        {
            "organisation": organisation,
            "org_form": org_form,
            "contact_form": contact_form,
            "dues_form": dues_form,
            "staff": staff,
            "forms_with_errors": forms,
            # An empty form for a visitor is the same for all: its HTML is cached.
            "cacheable_form": data is None and not user.is_authenticated,
            "online_payment": stripe_gateway.is_configured(),
        }
    )
    if data is not None and all(f.is_valid() for f in forms):
        result = _register(request, grid, org_form, contact_form, dues_form)
        if result is not None:
            return result
    if data is not None:
        context["has_errors"] = True
    return render(request, "members/membership_page.html", context)


def _register(request, grid, org_form, contact_form, dues_form):
    """Save the bulletin in one transaction; None when a rule refused it (errors added)."""
    dues = dues_form.cleaned_data
    new_user = invitation = None
    try:
        with transaction.atomic():
            organisation = org_form.save()
            if contact_form is not None:
                new_user, invitation = _contact_for(
                    organisation, contact_form.cleaned_data, request.user
                )
            else:
                # A member joining for another organisation becomes its contact.
                contacts.attach(organisation, request.user, role=Contact.Role.OTHER)
            membership = prepare_membership(
                organisation, grid, tier=dues["tier"], chosen_cents=dues["chosen_cents"]
            )
            _record_acceptances(request, organisation, dues_form, new_user, contact_form)
            known = set(membership.payments.values_list("pk", flat=True))
            payment = payment_for(membership, dues["method"])
            if payment.pk not in known:  # a second click sends no second e-mail
                transaction.on_commit(partial(send_bulletin_confirmation.enqueue, payment.pk))
            if invitation is not None:
                send_invitation_after_commit(invitation, site_url(request), get_language())
    except NoMatchingTier as error:
        org_form.add_error(None, str(error))
        return None
    except IntegrityError:
        # Another request took this number (or made an account with this e-mail) a moment ago.
        logger.info("Bulletin refused by a database constraint", exc_info=True)
        if contact_form is not None and _email_taken(contact_form.cleaned_data["email"]):
            # Said without telling whether the address has an account: sent again, the bulletin
            # takes its usual way.
            org_form.add_error(None, _("Le bulletin n’a pas pu être enregistré : renvoyez-le."))
        else:
            org_form.add_error(None, _("Cette organisation vient d’être enregistrée."))
        return None
    _open_online_payment(payment)
    return _next_step(request, membership, dues["method"], new_user, invitation)


def _record_acceptances(request, organisation, dues_form, new_user, contact_form):
    """The statutes and the privacy notice the signer accepted, as records with their text
    (privacy.consents): by the signed-in member, the new account, or the address typed."""

    signer = request.user if request.user.is_authenticated else new_user
    email = contact_form.cleaned_data["email"] if contact_form is not None else ""
    for kind, field in ((STATUTES, "accept_statutes"), (PRIVACY_NOTICE, "accept_privacy")):
        label = str(dues_form.fields[field].label)
        consents.record(kind, label, obj=organisation, user=signer, email=email)


def _open_online_payment(payment):
    """An online payment is opened at Stripe now, while this is a POST, so that the payment
    page (a GET, which writes nothing) can show Stripe's form at once. If Stripe does not
    answer, the bulletin is saved all the same and the payment page offers to try again."""
    if payment.method not in ONLINE_METHODS or not stripe_gateway.is_configured():
        return
    try:
        open_online_payment(payment)
    except stripe_gateway.StripeUnavailable:
        logger.warning("Stripe unavailable: payment %s opened without its intent", payment.pk)


def _next_step(request, membership, method, new_user, invitation):
    if request.user.is_authenticated:  # a member, or staff entering a paper bulletin
        if invitation is not None:  # staff see every account in the admin: nothing to hide
            messages.info(
                request,
                _(
                    "Cette adresse a déjà un compte : rien n’y est rattaché, son titulaire est "
                    "invité par e-mail à devenir contact de l’organisation."
                ),
            )
        return redirect(next_step_url(membership, method))
    if new_user is not None:
        login(request, new_user, backend="members.auth.EmailBackend")
        return redirect(next_step_url(membership, method))
    # An address with an account: its owner has the next steps by e-mail (tasks.py), and the
    # visitor, who may not be that owner, is neither logged in nor told about the account.
    return redirect(f"{request.path}?{RECEIVED}=1")


def _email_taken(email):
    return get_user_model()._default_manager.filter(email__iexact=email).exists()


def _contact_for(organisation, data, signed_by):
    """The contact of a new organisation: for a new address, its account (logged in after)
    and Contact, returned as (user, None). An address that has an account is never attached by
    a form anyone can fill in, nor is its password changed: its owner is invited to become the
    contact, returned as (None, invitation)."""
    if contacts.account_of(data["email"]) is None:
        return contacts.create_account_and_attach(organisation, data), None
    invitation = contacts.invite(
        organisation,
        data["email"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        role=data["role"],
        phone=data.get("phone", ""),
        invited_by=signed_by,
        origin=ContactInvitation.Origin.BULLETIN,
    )
    return None, invitation
