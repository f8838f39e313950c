"""An organisation's contacts page: one's own details, inviting a person, revoking an
invitation, removing a contact. The rules are members/contacts.py's."""

import logging

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.emails import site_url

from .. import contacts as contact_rules
from ..emails import send_invitation_after_commit
from ..forms.contacts import (
    ContactAddForm,
    ContactSelfForm,
)
from ..models import Contact, ContactInvitation
from ..permissions import member_view
from .portal import own_organisation

logger = logging.getLogger(__name__)

# --- Contacts ----------------------------------------------------------------------------------


def _contacts_page(request, organisation, self_form=None, add_form=None, status=200):
    contacts = list(
        organisation.contacts.select_related("user").order_by("-is_primary", "user__last_name")
    )
    me = next(c for c in contacts if c.user_id == request.user.pk)
    context = {
        "organisation": organisation,
        "contacts": contacts,
        "me": me,
        "invitations": organisation.invitations.pending().select_related("invited_by"),
        "invitation_days": ContactInvitation.VALIDITY.days,
        "self_form": self_form or ContactSelfForm(instance=me, prefix="me"),
        "add_form": add_form or ContactAddForm(organisation=organisation, prefix="new"),
        "can_remove": len(contacts) > 1,
    }
    return render(request, "members/contacts.html", context, status=status)


@member_view
def contacts(request, pk):
    return _contacts_page(request, own_organisation(request, pk))


@member_view
@require_POST
def contact_update_self(request, pk):
    organisation = own_organisation(request, pk)
    me = get_object_or_404(
        Contact.objects.select_related("user"), organisation=organisation, user=request.user
    )
    form = ContactSelfForm(request.POST, instance=me, prefix="me")
    if not form.is_valid():
        return _contacts_page(request, organisation, self_form=form)
    form.save()
    messages.success(request, _("Vos coordonnées sont enregistrées."))
    return redirect("members:contacts", pk=organisation.pk)


@member_view
@require_POST
def contact_add(request, pk):
    """Invite a person by e-mail. Whether the address has an account or not, the page answers the
    same and lists the same pending invitation; only the e-mail differs (tasks.py). It leaves
    from the task queue once the invitation is committed: a mail server that is down loses
    nothing, and the invitation can be sent again (a new one replaces it)."""
    organisation = own_organisation(request, pk)
    form = ContactAddForm(request.POST, organisation=organisation, prefix="new")
    if not form.is_valid():
        return _contacts_page(request, organisation, add_form=form)
    with transaction.atomic():
        invitation = form.save(invited_by=request.user)
        if invitation is not None:  # None: the same, made a moment ago, has its e-mail
            send_invitation_after_commit(invitation, site_url(request), get_language())
    messages.success(
        request,
        _("Une invitation a été envoyée à %(email)s.") % {"email": form.cleaned_data["email"]},
    )
    return redirect("members:contacts", pk=organisation.pk)


@member_view
@require_POST
def invitation_revoke(request, pk, invitation_pk):
    """A contact of the organisation cancels a pending invitation: its link stops working."""
    organisation = own_organisation(request, pk)
    invitation = get_object_or_404(organisation.invitations, pk=invitation_pk)
    # A conditional update: an invitation accepted at the same moment stays accepted.
    if organisation.invitations.filter(pk=invitation.pk).revoke():
        messages.success(
            request,
            _("L’invitation de %(email)s est révoquée : son lien ne sert plus.")
            % {"email": invitation.email},
        )
    else:
        messages.info(request, _("Cette invitation n’était plus en attente."))
    return redirect("members:contacts", pk=organisation.pk)


@member_view
@require_POST
def contact_remove(request, pk, contact_pk):
    organisation = own_organisation(request, pk)
    try:
        contact = contact_rules.remove(organisation, contact_pk)
    except Contact.DoesNotExist as error:
        raise Http404 from error
    except contact_rules.LastContact:
        messages.error(
            request,
            _(
                "Une organisation garde au moins un contact : ajoutez d’abord la personne "
                "qui prendra le relais."
            ),
        )
        return redirect("members:contacts", pk=organisation.pk)
    name = contact.user.get_full_name() or contact.user.email
    if contact.user_id == request.user.pk:
        messages.success(
            request,
            _("Vous n’êtes plus contact de %(organisation)s.") % {"organisation": organisation},
        )
        return redirect("members:portal")
    messages.success(request, _("%(name)s n’est plus contact de l’organisation.") % {"name": name})
    return redirect("members:contacts", pk=organisation.pk)


def name_of(user):
    return user.get_full_name() or user.email
