"""Who may see what the privacy app keeps: plain functions returning (allowed, reason)."""

from django.utils.translation import gettext_lazy as _

VIEW_REGISTER = "privacy.view_register"


def can_view_register(user):
    """The register names every processor and security measure: staff with the permission
    (the association's data protection referent), never editors by default."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False, _("Réservé à l’équipe du réseau.")
    if not user.has_perm(VIEW_REGISTER):
        return False, _("Il faut la permission « voir le registre des traitements ».")
    return True, ""
