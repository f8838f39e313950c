"""Who speaks for an organisation: its contacts, and the invitations that make new ones.

Every way a person becomes or stops being a contact goes through here: the bulletin, the
portal's « Contacts » page, an invitation's link, the volunteering's need form. The rules:

- an address that already has an account is never attached by a form anyone can fill in: its
  owner is invited, and becomes a contact by accepting with that account;
- staff, superuser and inactive accounts are never attached from the public side
  (`may_be_invited`): an organisation's erasure would otherwise touch them;
- an invitation serves once: accepting locks it and makes the contact in one transaction;
- an organisation keeps at least one contact, and always one primary contact.

The callers send the e-mails (members/emails.py) once the transaction commits.
"""

import logging
import unicodedata

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from .models import Contact, ContactInvitation, Organisation

logger = logging.getLogger(__name__)


class LastContact(Exception):
    """Removing this contact would leave the organisation without one."""


def same_email(first, second):
    """The same address, whatever its case or Unicode form (« É » typed two ways)."""

    def fold(value):
        return unicodedata.normalize("NFKC", value).casefold()

    return fold(first) == fold(second)


def reaches_admin(user):
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def may_be_invited(user):
    """Staff and superuser accounts are never attached to an organisation from the portal (an
    organisation's erasure could otherwise anonymise them); inactive ones cannot log in."""
    return user.is_active and not (user.is_staff or user.is_superuser)


def account_of(email):
    """The account of this address (case aside), or None."""
    return get_user_model()._default_manager.filter(email__iexact=email).first()


def accounts_for_password_reset(email):
    """The active accounts of this address that may choose a password from the public site:
    any with a password, and those without one that do not reach the admin (an administrator
    opens those). As Django does, the database's case-insensitive match is not trusted alone."""
    users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
    return [
        user
        for user in users
        if (user.has_usable_password() or not reaches_admin(user)) and same_email(email, user.email)
    ]


def addresses_of(contacts):
    """The e-mail addresses of `contacts` (in their order) whose account is open, each once
    whatever its case or stray spaces, none empty. A closed account (someone who left, or
    was erased) hears nothing more of the organisation. Every e-mail to an organisation's
    contacts goes to these: receipts, renewal reminders, impact reports, board needs."""
    addresses, seen = [], set()
    for contact in contacts:
        email = (contact.user.email or "").strip()
        if contact.user.is_active and email and email.lower() not in seen:
            seen.add(email.lower())
            addresses.append(email)
    return addresses


def contact_addresses(organisation):
    """The addresses of the organisation's contacts (addresses_of), primary contacts first, in
    one query: who hears of what happens to the organisation's files."""
    return addresses_of(organisation.contacts.select_related("user").order_by("-is_primary", "pk"))


def attach(organisation, user, *, role, phone="", primary=None):
    """Make `user` a contact of `organisation` (the primary one if it has none yet, unless
    `primary` says); the existing contact if they already are one."""
    contact, _created = Contact.objects.get_or_create(
        organisation=organisation,
        user=user,
        defaults={
            "role": role,
            "phone": phone,
            "is_primary": (not organisation.contacts.exists()) if primary is None else primary,
        },
    )
    return contact


def create_account_and_attach(organisation, data):
    """A new address typed on the bulletin: its account (with the password chosen, or none when
    staff entered it: « mot de passe oublié » sets one) and its Contact."""
    user = get_user_model()(
        username=data["email"][:150],
        email=data["email"],
        first_name=data["first_name"],
        last_name=data["last_name"],
    )
    if data.get("password1"):
        user.set_password(data["password1"])
    else:
        user.set_unusable_password()
    user.save()
    attach(organisation, user, role=data["role"], phone=data.get("phone", ""))
    return user


def invite(organisation, email, *, role, first_name="", last_name="", phone="", invited_by=None,
           origin=ContactInvitation.Origin.PORTAL):  # fmt: skip
    """The pending invitation of `email`, replacing an earlier one; None when the same
    invitation was made a moment ago (a double click), which needs no second e-mail. Nothing is
    attached: the person becomes a contact by accepting."""
    return ContactInvitation.invite(
        organisation,
        email,
        invitee=account_of(email),
        first_name=first_name,
        last_name=last_name,
        role=role,
        phone=phone,
        invited_by=invited_by if invited_by is not None and invited_by.is_authenticated else None,
        origin=origin,
    )


def role_of(invitation):
    """The role the invitation gives (« other » if its value is no longer one)."""
    values = Contact.Role.values
    return invitation.role if invitation.role in values else Contact.Role.OTHER


def _lock_pending(invitation):
    """The invitation, locked until the end of the transaction, if it is still pending."""
    locked = (
        ContactInvitation.objects.select_for_update()
        .filter(pk=invitation.pk, status=ContactInvitation.Status.PENDING)
        .first()
    )
    return None if locked is None or locked.is_expired else locked


def _attach_invited(invitation, user):
    return attach(invitation.organisation, user, role=role_of(invitation), phone=invitation.phone)


def accept(invitation, user):
    """`user` becomes a contact as the invitation says, once: the row is locked and marked
    accepted with the contact, so a double click makes one. None if no longer pending."""
    try:
        with transaction.atomic():
            locked = _lock_pending(invitation)
            if locked is None:
                return None
            contact = _attach_invited(invitation, user)
            locked.accept()
    except IntegrityError:  # the contact made by another request at the same moment
        return None
    return contact


def accept_with_new_account(invitation, *, first_name, last_name, password):
    """The account of a new address (the invitation's, with the password chosen), its Contact,
    and the invitation accepted, all at once; None if it could not be (used meanwhile, or the
    address got an account a moment ago: it then logs in to accept)."""
    users = get_user_model()._default_manager
    try:
        with transaction.atomic():
            locked = _lock_pending(invitation)
            if locked is None:
                return None
            user = users.create_user(
                username=invitation.email[:150],
                email=invitation.email,
                password=password,
                first_name=first_name,
                last_name=last_name,
            )
            _attach_invited(invitation, user)
            locked.accept()
    except IntegrityError:
        logger.info("Invitation %s: account not made", invitation.pk, exc_info=True)
        return None
    return user


def remove(organisation, contact_pk):
    """Remove a contact of `organisation` (Contact.DoesNotExist if not one of its contacts);
    raises LastContact rather than leave it without one. Whoever leaves takes their pending
    invitations along, sent or received, and a primary contact hands over to the oldest one
    left. Returns the removed contact."""
    with transaction.atomic():
        # Locked, so that two contacts removing each other at once cannot leave none.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        contact = organisation.contacts.select_related("user").get(pk=contact_pk)
        remaining = organisation.contacts.exclude(pk=contact.pk).order_by("pk")
        if not remaining.exists():
            raise LastContact
        contact.delete()
        ContactInvitation.objects.of_person(
            organisation, user=contact.user, email=contact.user.email
        ).revoke()
        if contact.is_primary:
            successor = remaining.first()
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
    return contact
