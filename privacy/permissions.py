"""Who may see what the privacy app keeps: plain functions returning (allowed, reason)."""

from django.utils.translation import gettext_lazy as _

from .consents import belongs_to, kind, known_kinds

VIEW_REGISTER = "privacy.view_register"
ERASE_PERSON = "privacy.erase_person"


def can_view_register(user):
    """The register names every processor and security measure: staff with the permission
    (the association's data protection referent), never editors by default."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False, _("Réservé à l’équipe du réseau.")
    if not user.has_perm(VIEW_REGISTER):
        return False, _("Il faut la permission « voir le registre des traitements ».")
    return True, ""


def can_withdraw(user, consent):
    """A person withdraws their own standing consent, of a kind that can be withdrawn."""

    if not (user.is_authenticated and belongs_to(consent, user)):
        return False, _("Ce consentement n’est pas le vôtre.")
    if consent.withdrawn_at is not None:
        return False, _("Ce consentement est déjà retiré.")
    if consent.kind not in known_kinds() or not kind(consent.kind).withdrawable:
        return False, _(
            "Cet accord fait partie de l’adhésion : pour y mettre fin, écrivez à l’association."
        )
    return True, ""


def can_handle_people(user):
    """Answering a person's request (their data by post, their erasure): staff with the
    permission only, as it reaches everything the apps hold about anyone."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False, _("Réservé à l’équipe du réseau.")
    if not user.has_perm(ERASE_PERSON):
        return False, _("Il faut la permission « effacer les données d’une personne ».")
    return True, ""


def can_erase(staff, person):
    """Never oneself, never a superuser: an administrator account is closed by another
    administrator, on purpose, not through a person's request."""
    allowed, reason = can_handle_people(staff)
    if not allowed:
        return allowed, reason
    if person.pk == staff.pk:
        return False, _("Vous ne pouvez pas effacer votre propre compte.")
    if person.is_superuser:
        return False, _("Un compte administrateur ne s’efface pas ainsi.")
    return True, ""
