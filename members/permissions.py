"""Who may see or do what with organisations, memberships, payments and receipts.

Every rule of the member portal is here, in one read. Two kinds of functions:
- querysets (`organisations_of`, `payable_memberships`, `receipts_for`): what a user may reach;
  views look objects up in them, so that anything else answers 404, as if it did not exist;
- decisions (`can_…`): `(allowed, reason)` for one object, for views, admin and templates.

Being staff (`is_staff`) grants nothing here: only model permissions do, so that a plain staff
account sees no more of the members than a member does; and only once the second factor was
given in this session (`staff_may`), since these permissions are the ones it guards.
"""

from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .models import Membership, Organisation, Payment, Receipt


class Decision(NamedTuple):
    """An answer with its reason; true when allowed (`if can_…(user, obj):`)."""

    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


ALLOWED = Decision(True)


def _denied(reason):
    return Decision(False, str(reason))


def staff_may(user, permission):
    """A staff permission used outside the admin (the portal, receipts, attachments, the
    bulletin): it counts only in a session where the second factor was given. Whoever holds it
    must use one (home/staff_otp/policy.py), and the admin asks for it; elsewhere, a password alone
    must not open more than a member sees."""
    if not (user.is_authenticated and user.has_perm(permission)):
        return False
    is_verified = getattr(user, "is_verified", None)  # set on request.user by django-otp
    return bool(is_verified and is_verified())


def member_view(view):
    """A portal page: for logged-in members only, never kept by a cache."""
    return never_cache(login_required(login_url="members:login")(view))


def organisations_of(user):
    """The organisations this user is a contact of: the only ones a member may see."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(contacts__user=user).distinct()


def payable_organisations(user):
    """The organisations whose memberships this user may pay or follow: their own, or every one
    with the `members.view_organisation` permission (staff who help a member pay)."""
    if staff_may(user, "members.view_organisation"):
        return Organisation.objects.all()
    return organisations_of(user)


def payable_memberships(user):
    return Membership.objects.select_related("organisation", "tier").filter(
        organisation__in=payable_organisations(user)
    )


def receipts_for(user):
    """The receipts this user may download.

    Whoever holds the `members.view_receipt` permission (superusers included) gets them all;
    anyone else, staff or not, only their organisations' receipts of payments still received: a
    refunded payment's receipt no longer attests anything, and answers 404 like another's.
    """
    receipts = Receipt.objects.select_related(
        "payment__membership__organisation", "payment__membership__tier"
    )
    if staff_may(user, "members.view_receipt"):
        return receipts
    return receipts.filter(
        payment__status=Payment.Status.SUCCEEDED,
        payment__membership__organisation__in=organisations_of(user),
    )


def is_contact(user, organisation):
    return organisations_of(user).filter(pk=organisation.pk).exists()


def can_see_organisation(user, organisation):
    """A member sees their own organisations in the portal, and no other."""
    if not user.is_authenticated:
        return _denied(_("Connectez-vous pour voir votre organisation."))
    if is_contact(user, organisation):
        return ALLOWED
    return _denied(_("Vous n’êtes pas contact de cette organisation."))


def can_pay(user, membership):
    """A membership is paid by its organisation's contacts, or by staff allowed to see every
    organisation; only while it waits for its payment."""
    if not payable_organisations(user).filter(pk=membership.organisation_id).exists():
        return _denied(_("Cette adhésion n’est pas celle d’une de vos organisations."))
    if membership.status != Membership.Status.PENDING:
        return _denied(_("Cette adhésion n’attend pas de paiement."))
    return ALLOWED


def can_download_receipt(user, receipt):
    if receipts_for(user).filter(pk=receipt.pk).exists():
        return ALLOWED
    return _denied(_("Ce reçu n’est pas celui d’une de vos organisations."))
