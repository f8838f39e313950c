"""The company dashboard: what a CSR partner's programme achieved, in aggregated counts only.

The dashboard's readers are the company's own staff (Company.dashboard_users), who know their
colleagues: a precise small figure (« 1 volunteer engaged in Loire-Atlantique ») would tell them
who. So the dashboard never shows a name, an e-mail, a job title or a list of people, and every
count between 1 and MIN_SHOWN - 1 is shown as « moins de 3 » instead of its value (0 stays 0:
it says nothing about anyone). Breakdowns (by département, by role) put their small cells
together in one « autres » row, itself hidden the same way when small.

Limit, known and accepted: subtracting the shown figures from a total can sometimes narrow a
hidden cell down (complementary suppression is not attempted); the figures are about the
company's programme, never about a person, and nothing links a count to someone.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from .models import BoardRole, Match, VolunteerOffer

# Counts from 1 to MIN_SHOWN - 1 are shown as « moins de MIN_SHOWN ».
MIN_SHOWN = 3

# A mandate began when both sides accepted (Match.accepted_at); it ended at Match.ended_at.
MANDATE = Q(accepted_at__isnull=False)


@dataclass(frozen=True)
class Figure:
    """A count as the dashboard may show it: `value` is None when it is too small to show."""

    value: int | None

    @classmethod
    def of(cls, count):
        return cls(None if 0 < count < MIN_SHOWN else count)

    @property
    def hidden(self):
        return self.value is None


@dataclass(frozen=True)
class Row:
    label: str
    figure: Figure


def _breakdown(counts, label_of):
    """{key: count} as rows, largest first; cells too small to show are merged into one
    « autres » row (labelled None), itself hidden when it is too small."""
    rows = []
    others = 0
    for key, count in sorted(counts.items(), key=lambda item: (-item[1], str(item[0]))):
        if count >= MIN_SHOWN:
            rows.append(Row(label_of(key), Figure.of(count)))
        elif count:
            others += count
    if others:
        rows.append(Row(None, Figure.of(others)))
    return rows


def dashboard(company, today=None):
    """Every figure of `company`'s dashboard (four queries)."""
    year = (today or timezone.localdate()).year
    # A volunteer is a person: several offers of one person count once.
    people = VolunteerOffer.objects.filter(company=company).aggregate(
        registered=Count("user", distinct=True),
        available=Count("user", distinct=True, filter=Q(status=VolunteerOffer.Status.AVAILABLE)),
    )
    matches = Match.objects.filter(offer__company=company)
    progress = matches.aggregate(
        introduced=Count("offer__user", distinct=True, filter=Q(introduced_at__isnull=False)),
        engaged=Count("offer__user", distinct=True, filter=Q(status=Match.Status.ACCEPTED)),
        mandates=Count("pk", filter=MANDATE),
        mandates_this_year=Count("pk", filter=MANDATE & Q(accepted_at__year=year)),
        mandates_ended=Count("pk", filter=MANDATE & Q(ended_at__isnull=False)),
    )
    mandates = matches.filter(MANDATE)
    by_departement = dict(
        mandates.values_list("need__departement")
        .annotate(n=Count("need", distinct=True))
        .order_by()
    )
    by_role = dict(
        mandates.values_list("need__role").annotate(n=Count("need", distinct=True)).order_by()
    )
    roles = dict(BoardRole.choices)
    return {
        "company": company,
        "year": year,
        "registered": Figure.of(people["registered"]),
        "available": Figure.of(people["available"]),
        "introduced": Figure.of(progress["introduced"]),
        "engaged": Figure.of(progress["engaged"]),
        "mandates": Figure.of(progress["mandates"]),
        "mandates_this_year": Figure.of(progress["mandates_this_year"]),
        "mandates_ended": Figure.of(progress["mandates_ended"]),
        "by_departement": _breakdown(by_departement, str),
        "by_role": _breakdown(by_role, lambda role: roles.get(role, role)),
        "min_shown": MIN_SHOWN,
    }
