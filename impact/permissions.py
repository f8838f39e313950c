"""Who may see and do what with social-utility reports: a member, only its own organisations'
reports; a reviewer, the reports assigned to them (staff with `impact.change_report`, every
submitted one)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from members.permissions import ALLOWED, Decision, organisations_of, staff_may

from .models import Report


def reports_of(user):
    """The reports of the organisations this user is a contact of."""
    return Report.objects.filter(organisation__in=organisations_of(user))


def edit_deadline(report):
    """The last day the member may change the report: the close for a draft, the end of the
    corrections for a report the reviewer returned (reviews mostly come after the close)."""
    if report.status == Report.Status.RETURNED:
        return report.campaign.corrections_deadline
    return report.campaign.closes_on


def can_edit_report(report, today=None):
    """The member may still change the report: a draft while the campaign is open, a returned
    one until the end of the corrections."""
    today = today or timezone.localdate()
    if not report.editable:
        return Decision(False, _("Ce rapport a été remis : il attend sa relecture."))
    if today > edit_deadline(report):
        if report.status == Report.Status.RETURNED:
            return Decision(
                False, _("Le délai de correction est passé : les réponses ne peuvent plus changer.")
            )
        return Decision(False, _("La campagne est close : les réponses ne peuvent plus changer."))
    if today < report.campaign.opens_on:
        return Decision(False, _("La campagne n’est pas encore ouverte."))
    return ALLOWED


def reviewable_reports(user):
    """Submitted reports this user may review: all of them with `impact.change_report` (in a
    session with the second factor), else those they are the designated reviewer of; never
    their own organisation's."""
    if not user.is_authenticated:
        return Report.objects.none()
    # Nobody reviews their own organisation's report (co-evaluation is by others).
    submitted = Report.objects.filter(status=Report.Status.SUBMITTED).exclude(
        organisation__in=organisations_of(user)
    )
    if staff_may(user, "impact.change_report"):
        return submitted
    return submitted.filter(reviewer=user)
