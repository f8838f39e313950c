"""E-mails of members (django-tasks, through the site's one sender, home/emails.py): the
bulletin's confirmation, a contact's invitation, the password reset. Templates in
members/templates/members/email/<name>_subject.txt and <name>_body.txt.

Their links are secrets: each task makes its own (an invitation's token, a reset token) when it
runs, so that no secret waits in the queue's stored arguments."""

import logging
from functools import partial

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from home.emails import absolute_url, send_templated_mail
from home.money import format_euros

from .contacts import accounts_for_password_reset, contact_addresses, may_be_invited
from .models import ContactInvitation, MembershipSettings, Payment

logger = logging.getLogger(__name__)


@task()
def send_bulletin_confirmation(payment_id):
    """Confirm a bulletin to the organisation's contacts: the amount, the reference and how to
    pay. A failure to send is logged; the bulletin itself is already saved."""
    payment = (
        Payment.objects.select_related("membership__organisation", "membership__tier")
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        return False
    membership = payment.membership
    recipients = contact_addresses(membership.organisation)
    if not recipients:
        return False
    online = payment.method in (Payment.Method.CARD, Payment.Method.SEPA)
    context = {
        "payment": payment,
        "membership": membership,
        "organisation": membership.organisation,
        "amount": format_euros(payment.amount_cents, plain=True),
        "options": MembershipSettings.load(),
        "pay_url": absolute_url(
            reverse("members:pay" if online else "members:offline", args=[membership.pk])
        ),
        "portal_url": absolute_url(reverse("members:portal")),
    }
    # Not sent (logged): the member has the same details on screen.
    return send_templated_mail("members/email/bulletin", context, recipients)


# --- Invitations and password resets ------------------------------------------------------------
#
# Their links are secrets: each task makes its own (an invitation's token, a reset token) when it
# runs, so that no secret waits in the queue's stored arguments. They take the site's address
# from the request that enqueued them, as the links made in the request did.


def _name_of(user):
    return (user.get_full_name() or user.email) if user is not None else ""


def _invitation_template(invitation, account):
    if invitation.origin == invitation.Origin.BULLETIN:
        return "members/email/bulletin_existing_account"
    # An account logs in and accepts; a new address chooses its password on the link's page.
    return "members/email/contact_link" if account else "members/email/contact_invitation"


def _bulletin_context(invitation):
    """The bulletin an address with an account signed: its membership and payment to come."""

    payment = (
        Payment.objects.filter(membership__organisation=invitation.organisation)
        .select_related("membership")
        .order_by("-created_at")
        .first()
    )
    if payment is None:
        return {}
    return {
        "payment": payment,
        "membership": payment.membership,
        "amount": format_euros(payment.amount_cents, plain=True),
    }


@task()
def send_contact_invitation(invitation_id, base_url, language):
    """E-mail a pending invitation its link, made now (a link sent before stops working).

    An account is asked to log in and accept; a new address, to choose a password on the link's
    page. Staff, superuser and inactive accounts get nothing: they are never attached from the
    public side, and the page that invited them said the same as for anyone.
    """
    invitation = (
        ContactInvitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return False
    account = invitation.account()
    if account is not None and not may_be_invited(account):
        logger.info("Invitation %s: its account is never invited, no e-mail.", invitation.pk)
        return False
    token = invitation.issue_token()
    with translation.override(language):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "invited_by": _name_of(invitation.invited_by),
            "role": invitation.get_role_display(),
            "accept_url": base_url + reverse("members:invitation_accept", args=[token]),
            "password_reset_url": base_url + reverse("members:password_reset"),
            "days": ContactInvitation.VALIDITY.days,
        }
        if invitation.origin == ContactInvitation.Origin.BULLETIN:
            context.update(_bulletin_context(invitation))
        prefix = _invitation_template(invitation, account)
        # An account's own address (the one typed may differ in case), else the one typed.
        to = account.email if account is not None else invitation.email
        return send_templated_mail(prefix, context, [to], language=language)


@task()
def send_password_reset(user_id, email, templates, context, language):
    """The « mot de passe oublié » e-mail of one account, with a link made now.

    The account is read again through the form's own rule (contacts.accounts_for_password_reset),
    so an account closed or made staff since it was asked gets nothing. `templates` are the
    subject's and the body's; `context` holds what the request knew (domain, protocol, the
    association's name, the link's validity).
    """
    user = next((u for u in accounts_for_password_reset(email) if u.pk == user_id), None)
    if user is None:
        return False
    context = {
        **context,
        "email": user.email,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    # Django's view names both templates; ours are a pair (<prefix>_subject.txt, _body.txt).
    prefix = templates[0].removesuffix("_subject.txt")
    return send_templated_mail(prefix, context, [user.email], language=language)


def send_invitation_after_commit(invitation, base_url, language):
    """Enqueue the invitation's e-mail once it is committed. Robust: a queue that refuses is
    logged, the invitation stays listed, and a contact may invite again (it replaces it)."""
    transaction.on_commit(
        partial(send_contact_invitation.enqueue, invitation.pk, base_url, language), robust=True
    )
