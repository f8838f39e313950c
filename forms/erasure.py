"""The volunteer matching's part of erasing an organisation's personal data (members.erasure
sends `organisation_pseudonymised` inside its transaction; this app answers it).

The organisation's board needs leave the listing and the matching (closed), their free text goes
(it may name people), and the staff's notes on their matches go too. What stays: the role, the
territory, the dates and the matches' statuses, which the company dashboards count.
"""

from django.utils import timezone
from django.utils.translation import gettext

from members.erasure import organisation_pseudonymised

from .models import BoardNeed, Match

ERASED_TEXT = "—"


def erase_volunteering_data(sender, organisation, by_user=None, **kwargs):

    needs = BoardNeed.objects.filter(organisation=organisation)
    still_open = [BoardNeed.Status.OPEN, BoardNeed.Status.IN_PROGRESS]
    needs.filter(status__in=still_open).update(
        status=BoardNeed.Status.CLOSED, closed_at=timezone.now()
    )
    needs.update(description=ERASED_TEXT, commune="")
    Match.objects.filter(need__organisation=organisation).update(
        notes=gettext("Notes effacées avec les données de l’association."),
        interest_message="",
    )


def connect_erasure():

    organisation_pseudonymised.connect(
        erase_volunteering_data, dispatch_uid="forms.erase_volunteering_data"
    )
