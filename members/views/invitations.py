"""Accepting an invitation from its e-mailed link (members/contacts.py makes the contact)."""

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import contacts as contact_rules
from ..contacts import may_be_invited, same_email
from ..forms.accounts import InvitationSignupForm
from ..models import Contact, ContactInvitation
from .contacts import name_of

logger = logging.getLogger(__name__)

# --- Accepting an invitation -------------------------------------------------------------------
#
# The link's token names a ContactInvitation row (by its SHA-256). An address that had an account
# when invited logs in with it and confirms; a new address chooses its password on the page (the
# link, sent to that address, proves it). Either way the row is locked and marked accepted in the
# transaction that makes the Contact, so the link serves once.


def _invitation_page(request, context, status=200):
    return render(request, "members/invitation_accept.html", context, status=status)


def _invitation_problem(invitation):
    """Why this invitation cannot be accepted, as (message, status), or None."""
    Status = ContactInvitation.Status
    if invitation is None:
        return _(
            "Ce lien d’invitation n’est pas valide. Copiez-le en entier depuis l’e-mail reçu, ou "
            "demandez une nouvelle invitation."
        ), 400
    if invitation.status == Status.ACCEPTED:
        return _(
            "Cette invitation a déjà servi : un lien d’invitation ne sert qu’une fois. Pour "
            "devenir contact de l’organisation, demandez une nouvelle invitation à l’un de ses "
            "contacts."
        ), 410
    if invitation.status == Status.REVOKED:
        return _(
            "Cette invitation a été annulée : un contact de l’organisation l’a révoquée ou "
            "remplacée par une plus récente, ou la personne qui l’a envoyée n’est plus contact. "
            "Demandez une nouvelle invitation si besoin."
        ), 410
    if invitation.is_expired:
        return _(
            "Cette invitation a expiré. Demandez à un contact de l’organisation de vous inviter "
            "de nouveau."
        ), 410
    organisation = invitation.organisation
    if organisation.pseudonymised_at is not None:
        return _("Cette organisation n’existe plus."), 404
    inviter_left = not organisation.contacts.filter(user_id=invitation.invited_by_id).exists()
    if invitation.origin == ContactInvitation.Origin.PORTAL and inviter_left:
        return _(
            "La personne qui vous a invité·e n’est plus contact de l’organisation : son "
            "invitation ne vaut plus. Demandez-en une nouvelle à un autre contact."
        ), 410
    return None


def _is_contact_already(user, invitation):
    """The invited person, logged in and already a contact (the link opened again)."""
    return (
        user.is_authenticated
        and same_email(user.email, invitation.email)
        and invitation.organisation.contacts.filter(user=user).exists()
    )


def _invitation_context(invitation):
    return {
        "organisation": invitation.organisation,
        "role": Contact.Role(contact_rules.role_of(invitation)).label,
        "invited_by": name_of(invitation.invited_by) if invitation.invited_by else "",
    }


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """GET shows the invitation, only a POST accepts it (a mail scanner that opens the link
    changes nothing). With a link that is altered, used, revoked, expired, or whose inviter has
    left, nothing happens and the page says why."""
    invitation = (
        ContactInvitation.objects.select_related("organisation", "invited_by", "invitee")
        .filter(token_hash=ContactInvitation.digest(token))
        .first()
    )
    if invitation is not None and _is_contact_already(request.user, invitation):
        return _invitation_page(request, {**_invitation_context(invitation), "already": True})
    problem = _invitation_problem(invitation)
    if problem is not None:
        message, status = problem
        return _invitation_page(request, {"problem": message}, status=status)
    account = invitation.account()
    if account is None:
        return _accept_as_new_account(request, invitation)
    return _accept_with_account(request, invitation, account)


def _wrong_account(request, message, login_next):
    context = {"problem": message, "wrong_account": True, "login_next": login_next}
    return _invitation_page(request, context, status=403)


def _accept_with_account(request, invitation, account):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "members:login")
    if user.pk != account.pk or not same_email(user.email, invitation.email):
        problem = _(
            "Cette invitation a été envoyée à une autre adresse que celle de votre compte "
            "(%(email)s). Déconnectez-vous, puis connectez-vous avec l’adresse qui l’a reçue."
        ) % {"email": user.email}
        # After logging out, the login page brings the right account back here.
        return _wrong_account(
            request, problem, f"{reverse('members:login')}?{urlencode({'next': request.path})}"
        )
    if not may_be_invited(user):
        problem = _(
            "Ce compte ne peut pas être rattaché à une organisation depuis l’espace membre : "
            "contactez l’équipe du réseau."
        )
        return _invitation_page(request, {"problem": problem}, status=403)
    if request.method != "POST":
        return _invitation_page(request, _invitation_context(invitation))
    if contact_rules.accept(invitation, user) is None:
        return redirect(request.path)  # accepted or cancelled meanwhile: the page says which
    return _accepted(request, invitation)


def _accept_as_new_account(request, invitation):
    if request.user.is_authenticated:
        problem = _(
            "Cette invitation a été envoyée à une autre adresse que celle de votre compte "
            "(%(email)s). Déconnectez-vous pour l’accepter avec l’adresse qui l’a reçue."
        ) % {"email": request.user.email}
        return _wrong_account(request, problem, request.path)
    form = InvitationSignupForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = contact_rules.accept_with_new_account(
            invitation,
            first_name=data["first_name"],
            last_name=data["last_name"],
            password=data["password1"],
        )
        if user is None:
            messages.error(
                request,
                _(
                    "Votre compte n’a pas pu être créé avec cette invitation. Rouvrez le lien de "
                    "l’e-mail, ou écrivez à l’équipe du réseau."
                ),
            )
            return redirect(request.path)
        login(request, user, backend="members.auth.EmailBackend")
        return _accepted(request, invitation)
    context = {**_invitation_context(invitation), "signup_form": form, "email": invitation.email}
    return _invitation_page(request, context)


def _accepted(request, invitation):
    organisation = invitation.organisation
    messages.success(
        request,
        _("Vous êtes maintenant contact de %(organisation)s.") % {"organisation": organisation},
    )
    return redirect("members:organisation", pk=organisation.pk)
