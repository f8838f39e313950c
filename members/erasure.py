"""Erase an organisation's personal data on request (RGPD), keeping the accounts whole.

What goes: the organisation's name, address, phone numbers and RNA/SIRET; its contacts and its
invitations (their links stop working); the user accounts that only acted for it (deactivated,
with no name, e-mail or password left), with the invitations other organisations sent them.
What stays: memberships, payments and receipts with their amounts, so the year's totals do not
move, and the non-identifying facts the statistics use (département, legal form, size, sectors).

Apps above this one (awards, volunteering) erase their own data on the `organisation_pseudonymised`
signal: this module knows nothing of them.
"""

import dataclasses
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from privacy.personal_data import anonymise_account

from .models import Contact, ContactInvitation, Membership, Organisation

logger = logging.getLogger(__name__)

# Sent inside the erasure's transaction with `organisation` and `by_user`.
organisation_pseudonymised = Signal()

ERASE_ACTION = "members.pseudonymise"


class AlreadyPseudonymised(Exception):
    """The organisation's data were erased before."""


@dataclasses.dataclass
class ErasureResult:
    organisation: Organisation
    users_anonymised: int = 0
    users_unlinked: int = 0


def pseudonymised_name(pk):
    # Stored, so always in the site's language, whatever the language of the staff member's admin.
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Organisation effacée n°%(pk)s") % {"pk": pk}


def _relabel_log_entries(model, pks, label_for):
    """Wagtail's history keeps each object's name as it was (its label): rewrite it."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    for pk in pks:
        ModelLogEntry.objects.filter(content_type=content_type, object_id=str(pk)).update(
            label=label_for(pk)
        )


def _delete_invitations(organisation, anonymised, addresses):
    """The organisation's invitations, and those other organisations sent to the accounts being
    anonymised: each holds a person's address, name and phone, and its link must stop working.
    An account that acts elsewhere keeps the invitations it has from elsewhere."""
    addressed = Q(invitee__in=anonymised)
    for address in addresses:
        addressed |= Q(email__iexact=address)
    ContactInvitation.objects.filter(Q(organisation=organisation) | addressed).delete()


@transaction.atomic
def pseudonymise_organisation(organisation, by_user):
    """Erase the personal data of `organisation` (see the module's docstring); once only.

    A contact's user account is anonymised only when it acted for this organisation alone and is
    not staff; otherwise the contact is only unlinked and the account, still in use, is kept.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.pseudonymised_at is not None:
        raise AlreadyPseudonymised(organisation.pk)
    User = get_user_model()
    result = ErasureResult(organisation=organisation)

    contacts = list(Contact.objects.filter(organisation=organisation).select_related("user"))
    anonymised, addresses = [], []
    for contact in contacts:
        user = contact.user
        acts_elsewhere = (
            Contact.objects.filter(user=user).exclude(organisation=organisation).exists()
        )
        if acts_elsewhere or user.is_staff or user.is_superuser:
            result.users_unlinked += 1
        else:
            addresses.append(user.email)  # before it is erased
            anonymise_account(user)
            anonymised.append(user.pk)
            result.users_anonymised += 1
    contact_pks = [contact.pk for contact in contacts]
    Contact.objects.filter(pk__in=contact_pks).delete()
    _delete_invitations(organisation, anonymised, addresses)

    organisation.name = pseudonymised_name(organisation.pk)
    organisation.rna = ""
    organisation.siret = ""  # the RNA-or-SIRET constraint exempts erased organisations
    organisation.address = ""
    organisation.postal_code = ""
    organisation.city = ""
    organisation.pseudonymised_at = timezone.now()
    organisation.save()

    _relabel_log_entries(Organisation, [organisation.pk], lambda pk: organisation.name)
    memberships = {m.pk: str(m) for m in Membership.objects.filter(organisation=organisation)}
    _relabel_log_entries(Membership, memberships, memberships.__getitem__)
    with translation.override(settings.LANGUAGE_CODE):
        erased_contact = gettext("Contact effacé")
    _relabel_log_entries(Contact, contact_pks, lambda pk: erased_contact)
    _relabel_log_entries(User, anonymised, lambda pk: f"efface-{pk}")

    organisation_pseudonymised.send(sender=Organisation, organisation=organisation, by_user=by_user)

    log(
        organisation,
        ERASE_ACTION,
        user=by_user,
        data={
            "users_anonymised": result.users_anonymised,
            "users_unlinked": result.users_unlinked,
        },
    )
    logger.info(
        "Organisation %s pseudonymised by user %s (%s accounts anonymised, %s unlinked)",
        organisation.pk,
        getattr(by_user, "pk", None),
        result.users_anonymised,
        result.users_unlinked,
    )
    return result
