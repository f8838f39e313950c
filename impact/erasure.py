"""Social utility's part of erasing an organisation's personal data (members.erasure sends
`organisation_pseudonymised` inside its transaction; this app answers it).

What goes: whatever was typed as free text, where a name or a story about a person may be:
free-text answers, the member's comments and sources, the reviewer's remarks, and the
designated reviewer. What stays: the numbers, « non applicable » and the statuses, which
identify no one once the organisation is pseudonymised and keep the network's figures of past
years from moving."""

from members.erasure import organisation_pseudonymised

from .models import Answer, Report


def erase_impact_text(sender, organisation, by_user=None, **kwargs):
    reports = Report.objects.filter(organisation=organisation)
    Answer.objects.filter(report__in=reports).update(
        text="", comment="", source="", review_comment=""
    )
    reports.update(reviewer=None)


def connect_erasure():
    organisation_pseudonymised.connect(erase_impact_text, dispatch_uid="impact.erase_impact_text")
