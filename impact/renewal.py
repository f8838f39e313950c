"""The renewal's invitation to report (members/invitations.py): each open campaign that asks for
it (`invite_on_renewal`) and that the organisation has not handed in yet."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from members.invitations import Invitation

from .models import Campaign, Report


def report_invitations(organisation, today=None):
    today = today or timezone.localdate()
    campaigns = Campaign.objects.filter(
        invite_on_renewal=True, opens_on__lte=today, closes_on__gte=today
    ).order_by("year")
    started = dict(
        Report.objects.filter(organisation=organisation, campaign__in=campaigns).values_list(
            "campaign_id", "status"
        )
    )
    invitations = []
    for campaign in campaigns:
        status = started.get(campaign.pk)
        if status in (Report.Status.SUBMITTED, Report.Status.REVIEWED):
            continue  # handed in: nothing to ask
        text = _(
            "« %(title)s » est ouverte jusqu’au %(date)s : rendez compte de l’utilité sociale "
            "de %(name)s en %(year)s."
        ) % {
            "title": campaign.title,
            "date": formats.date_format(campaign.closes_on, "j F Y"),
            "name": organisation.name,
            "year": campaign.year,
        }
        label = _("Reprendre le rapport") if status else _("Remplir le rapport")
        url = reverse("impact:report", args=[organisation.pk, campaign.year])
        invitations.append(Invitation(text=text, label=label, url=url))
    return invitations
