"""What the members app holds about one person (privacy.personal_data): the organisations they
act for, those organisations' memberships and payments, and their invitations; and its part of
erasing that person.

The memberships and payments are the organisation's, not the person's: they are shown because
the person acts for it (a treasurer asking « what do you hold about me? » expects the dues they
handled), and the erasure leaves them whole.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from home.money import euros_decimal
from privacy.personal_data import Section, register_section

from .erasure import _relabel_log_entries
from .exports import receipt_of
from .models import Contact, ContactInvitation, Membership, Organisation, Payment


def _organisations_of(user):
    """The organisations `user` is a contact of (a subquery: no query of its own)."""
    return Organisation.objects.filter(contacts__user=user)


def contact_rows(user):
    contacts = (
        Contact.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    # A Contact keeps no date of its own: when it began is the accepted invitation's date, shown
    # under « Invitations ».
    return [
        {
            _("organisation"): contact.organisation.name,
            _("fonction"): contact.get_role_display(),
            _("téléphone"): contact.phone,
            _("contact principal"): contact.is_primary,
        }
        for contact in contacts
    ]


def membership_rows(user):
    memberships = (
        Membership.objects.filter(organisation__in=_organisations_of(user))
        .select_related("organisation", "tier")
        .order_by("organisation__name", "-year", "-created_at")
    )
    return [
        {
            _("organisation"): membership.organisation.name,
            _("année"): membership.year,
            _("début"): membership.period_start,
            _("fin"): membership.period_end,
            _("tranche"): membership.tier.label,
            _("montant (€)"): euros_decimal(membership.amount_cents),
            _("statut"): membership.get_status_display(),
            _("créée le"): membership.created_at,
            _("activée le"): membership.activated_at,
        }
        for membership in memberships
    ]


def payment_rows(user):
    payments = (
        Payment.objects.filter(membership__organisation__in=_organisations_of(user))
        .select_related("membership__organisation", "receipt")
        .order_by("membership__organisation__name", "-membership__year", "created_at")
    )
    rows = []
    for payment in payments:
        receipt = receipt_of(payment)
        rows.append(
            {
                _("organisation"): payment.membership.organisation.name,
                _("année d’adhésion"): payment.membership.year,
                _("date"): payment.created_at,
                _("montant (€)"): euros_decimal(payment.amount_cents),
                _("moyen de paiement"): payment.get_method_display(),
                _("statut"): payment.get_status_display(),
                _("référence"): payment.reference,
                _("reçu le"): payment.received_at,
                _("numéro de reçu"): receipt.number if receipt else None,
            }
        )
    return rows


def _invitations_of(user):
    """The invitations addressed to `user` (by account or by address) or sent by them."""
    person = Q(invitee=user) | Q(invited_by=user)
    if user.email:
        person |= Q(email__iexact=user.email)
    return ContactInvitation.objects.filter(person)


def _received(invitation, user):
    return invitation.invitee_id == user.pk or (
        bool(user.email) and invitation.email.lower() == user.email.lower()
    )


def invitation_rows(user):
    invitations = (
        _invitations_of(user).select_related("organisation").order_by("-created_at", "-pk")
    )
    rows = []
    for invitation in invitations:
        received = _received(invitation, user)
        rows.append(
            {
                _("organisation"): invitation.organisation.name,
                _("sens"): _("reçue") if received else _("envoyée"),
                _("adresse e-mail"): invitation.email,
                # The name and phone an inviter typed are the invited person's: shown to them,
                # not to whoever invited them (they typed them, and the invitee may have
                # corrected them since).
                _("prénom"): invitation.first_name if received else None,
                _("nom"): invitation.last_name if received else None,
                _("téléphone"): invitation.phone if received else None,
                _("fonction"): invitation.get_role_display(),
                _("origine"): invitation.get_origin_display(),
                _("statut"): invitation.get_status_display(),
                _("créée le"): invitation.created_at,
                _("expire le"): invitation.expires_at,
                _("acceptée le"): invitation.accepted_at,
                _("révoquée le"): invitation.revoked_at,
            }
        )
    return rows


def erase(user):
    """The person's contacts go, whatever their role (an erasure request outweighs the portal's
    « an organisation keeps at least one contact » rule: staff find it a new contact); a primary
    contact's organisation gets another primary contact when one is left, as when a contact
    leaves from the portal. Invitations addressed to the person go; those they sent stay with
    the organisation without their name (pending ones are revoked first: an invitation from a
    contact who left is void, see members/contacts.py). The organisation itself, its memberships,
    payments and receipts are not the person's and stay as they are.

    Returns the number of rows deleted or changed."""
    count = 0
    with transaction.atomic():
        # The organisations locked in a fixed order, as contact_remove locks one, so that two
        # removals at once cannot both leave an organisation without a primary contact.
        list(
            Organisation.objects.select_for_update()
            .filter(pk__in=Contact.objects.filter(user=user).values("organisation_id"))
            .order_by("pk")
        )
        contacts = list(Contact.objects.filter(user=user))
        count += Contact.objects.filter(pk__in=[contact.pk for contact in contacts]).delete()[0]
        for contact in contacts:
            if not contact.is_primary:
                continue
            remaining = Contact.objects.filter(organisation_id=contact.organisation_id)
            if not remaining.filter(is_primary=True).exists():
                successor = remaining.order_by("pk").first()
                if successor is not None:
                    successor.is_primary = True
                    successor.save(update_fields=["is_primary"])
        # Wagtail's history keeps each contact's name (its label) as it was.
        with translation.override(settings.LANGUAGE_CODE):
            erased_contact = _("Contact effacé")
        _relabel_log_entries(
            Contact, [contact.pk for contact in contacts], lambda pk: erased_contact
        )

        received = Q(invitee=user)
        if user.email:
            received |= Q(email__iexact=user.email)
        count += ContactInvitation.objects.filter(received).delete()[0]
        sent = ContactInvitation.objects.filter(invited_by=user)
        sent.revoke()
        count += sent.update(invited_by=None)
    return count


register_section(
    Section("member-contacts", gettext_lazy("Contacts"), contact_rows, erase, order=10),
    Section("member-memberships", gettext_lazy("Adhésions"), membership_rows, order=11),
    Section("member-payments", gettext_lazy("Paiements"), payment_rows, order=12),
    Section("member-invitations", gettext_lazy("Invitations"), invitation_rows, order=13),
)
