"""E-mails of social-utility reporting, through the site's one sender (home/emails.py): the
review's outcome, to the organisation's contacts. Templates in
impact/templates/impact/email/<name>_subject.txt and <name>_body.txt."""

from django.urls import reverse
from django_tasks import task

from home.emails import absolute_url, send_templated_mail
from members.contacts import contact_addresses

from .models import Answer, Report
from .permissions import edit_deadline


@task()
def send_review_outcome(report_id):
    """Tell the organisation its report was reviewed, or returned with the answers to change
    and until when. Not sent (logged): the member sees the status and the remarks in the
    portal all the same."""
    report = Report.objects.select_related("organisation", "campaign").filter(pk=report_id).first()
    if report is None or report.status not in (Report.Status.REVIEWED, Report.Status.RETURNED):
        return False
    recipients = contact_addresses(report.organisation)
    if not recipients:
        return False
    returned = report.status == Report.Status.RETURNED
    to_change = (
        list(
            report.answers.filter(review=Answer.Review.TO_CHANGE)
            .select_related("indicator")
            .order_by("indicator__sort_order", "indicator__pk")
        )
        if returned
        else []
    )
    context = {
        "report": report,
        "organisation": report.organisation,
        "campaign": report.campaign,
        "to_change": to_change,
        "deadline": edit_deadline(report),
        "url": absolute_url(
            reverse("impact:report", args=[report.organisation_id, report.campaign.year])
        ),
    }
    template = "returned" if returned else "reviewed"
    return send_templated_mail(f"impact/email/{template}", context, recipients)


@task()
def send_review_request(report_id):
    """Tell the designated reviewer a submitted report waits for them."""
    report = (
        Report.objects.select_related("organisation", "campaign", "reviewer")
        .filter(pk=report_id, status=Report.Status.SUBMITTED)
        .first()
    )
    if report is None or report.reviewer is None or not report.reviewer.email:
        return False
    context = {
        "report": report,
        "organisation": report.organisation,
        "campaign": report.campaign,
        "reviewer": report.reviewer,
        "url": absolute_url(reverse("impact:review", args=[report.pk])),
    }
    return send_templated_mail("impact/email/review_request", context, [report.reviewer.email])
