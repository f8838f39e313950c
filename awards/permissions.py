"""Who may see or do what with the award's dossiers, their attachments and the jury's work.

The award's rules in one read, as in members/permissions.py: querysets of what a user may reach
(anything else answers 404, as if it did not exist) and decisions `(allowed, reason)`.
- An applicant (a contact of the organisation) edits and follows their organisation's dossiers.
- A juror sees only the submitted dossiers assigned to them; once they declare a conflict of
  interest, no longer their attachments.
- Staff see every dossier with the `awards.view_application` permission, not by being staff.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.permissions import ALLOWED, Decision, organisations_of, staff_may

from .models import Application, Attachment, Juror, JuryAssignment


def applications_of(user):
    """The dossiers this user edits or follows as an applicant: their organisations'."""
    return Application.objects.filter(organisation__in=organisations_of(user)).select_related(
        "edition", "organisation"
    )


def attachments_for(user):
    """The attachments this user may download: their organisations' dossiers; every dossier's
    with the `awards.view_application` permission; and those of the dossiers they are assigned
    to as a juror, unless they declared a conflict of interest."""
    attachments = Attachment.objects.select_related("application")
    if not user.is_authenticated:
        return attachments.none()
    if staff_may(user, "awards.view_application"):
        return attachments
    assigned = (
        JuryAssignment.objects.filter(juror__user=user)
        .exclude(status=JuryAssignment.Status.CONFLICT)
        .exclude(application__status=Application.Status.DRAFT)
    )
    return attachments.filter(
        Q(application__organisation__in=organisations_of(user))
        | Q(application__in=assigned.values("application"))
    ).distinct()


def jury_seats(user):
    """The user's seats on juries, latest edition first (empty for someone on no jury)."""
    if not user.is_authenticated:
        return []
    return list(
        Juror.objects.filter(user=user).select_related("edition").order_by("-edition__year")
    )


def assignment_of(user, application_pk):
    """The user's assignment to this submitted dossier, or None (not assigned, not a juror, or
    a draft: a juror never sees a dossier before it is submitted)."""
    if not user.is_authenticated:
        return None
    return (
        JuryAssignment.objects.select_related(
            "application__edition", "application__organisation", "juror"
        )
        .filter(application_id=application_pk, juror__user=user)
        .exclude(application__status=Application.Status.DRAFT)
        .first()
    )


def sees_real_names(user, application):
    """Under blind judging, the original names of attachments (which often name the association
    or the company) are for the organisation's contacts and staff with the permission only."""
    return (
        not application.edition.blind_judging
        or staff_may(user, "awards.view_application")
        or organisations_of(user).filter(pk=application.organisation_id).exists()
    )


def can_score(user, application_pk):
    assignment = assignment_of(user, application_pk)
    if assignment is None:
        return Decision(False, str(_("Ce dossier ne vous est pas confié.")))
    if assignment.status == JuryAssignment.Status.CONFLICT:
        return Decision(False, str(_("Vous avez déclaré un conflit d’intérêts pour ce dossier.")))
    return ALLOWED
