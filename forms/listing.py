"""The public listing of board needs: which needs anyone may see, the filters, their counts, and
what a logged-in volunteer already did about a need.

Plain functions over querysets, used by forms/views/listing.py (and free for search or a feed
to reuse).
The listing is public, so nothing here ever reads an organisation's contacts or a volunteer's
identity, and every query is built so that a page costs the same number of queries whatever the
number of needs shown (organisation joined, skills and sectors prefetched).
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils.text import capfirst

from members.models import Sector

from .models import BoardNeed, BoardRole, Match, NeedSkill, Skill, VolunteerOffer

PER_PAGE = 12

# The filters, by the name of their GET parameter (French, as the rest of the address).
SKILL = "competence"
DEPARTEMENT = "departement"
ROLE = "fonction"
SECTOR = "secteur"
FILTERS = (SKILL, DEPARTEMENT, ROLE, SECTOR)


def listed_needs():
    """Open, public needs, newest first, with what a card shows already loaded.

    The same rule as BoardNeed.is_listed, plus: an organisation whose data was erased
    (pseudonymised) no longer shows anything in public.
    """
    return (
        BoardNeed.objects.filter(
            status=BoardNeed.Status.OPEN,
            visibility=BoardNeed.Visibility.PUBLIC,
            organisation__pseudonymised_at__isnull=True,
        )
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "need_skills",
                queryset=NeedSkill.objects.select_related("skill").order_by(
                    "-importance", "skill__order", "skill__name"
                ),
            ),
            Prefetch("organisation__sectors", queryset=Sector.objects.order_by("name")),
        )
        .order_by("-created_at", "-pk")
    )


def listed_need(pk):
    """The need `pk` if the public may see it, else None."""
    return listed_needs().filter(pk=pk).first()


def _condition(name, value):
    """The Q object of one filter on BoardNeed."""
    if name == SKILL:
        return Q(skills__slug=value)
    if name == DEPARTEMENT:
        return Q(departement=value)
    if name == ROLE:
        return Q(role=value)
    if name == SECTOR:
        return Q(organisation__sectors__slug=value)
    raise ValueError(name)


def _matching_ids(filters, skip=None):
    """Primary keys of the listed needs that pass every filter but `skip`, as a subquery.

    Joins through skills or sectors can repeat a need; filtering on `pk__in` of a subquery
    keeps each need once without DISTINCT on the outer (ordered, prefetched) query.
    """
    needs = BoardNeed.objects.filter(
        status=BoardNeed.Status.OPEN,
        visibility=BoardNeed.Visibility.PUBLIC,
        organisation__pseudonymised_at__isnull=True,
    )
    for name, value in filters.items():
        if value and name != skip:
            # One filter() per condition: each multi-valued join gets its own alias.
            needs = needs.filter(_condition(name, value))
    return needs.values("pk")


def filter_needs(filters):
    """Listed needs passing `filters` ({parameter name: value}; empty values are ignored)."""
    if not any(filters.get(name) for name in FILTERS):
        return listed_needs()
    return listed_needs().filter(pk__in=_matching_ids(filters))


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    count: int


def facets(filters):
    """For each filter, its choices with how many needs each would show given the other active
    filters (so a choice's count is what choosing it gives): one grouped query per filter.

    Choices with no need are left out, except the selected one (it stays shown, at 0).
    """
    result = {}

    # filter() then annotate() on the same relation: the count only sees the matching needs.
    skills = list(
        Skill.objects.filter(needs__in=_matching_ids(filters, skip=SKILL))
        .annotate(n=Count("needs", distinct=True))
        .order_by("order", "name")
    )
    result[SKILL] = _with_selected(
        [Choice(skill.slug, skill.name, skill.n) for skill in skills],
        filters.get(SKILL),
        lambda slug: Skill.objects.filter(slug=slug).values_list("name", flat=True).first(),
    )

    departements = dict(
        BoardNeed.objects.filter(pk__in=_matching_ids(filters, skip=DEPARTEMENT))
        .values_list("departement")
        .annotate(n=Count("pk"))
        .order_by()
    )
    selected = filters.get(DEPARTEMENT)
    if selected:
        departements.setdefault(selected, 0)
    result[DEPARTEMENT] = [
        Choice(code, code, departements[code])
        for code in sorted(departements, key=departement_sort_key)
    ]

    roles = dict(
        BoardNeed.objects.filter(pk__in=_matching_ids(filters, skip=ROLE))
        .values_list("role")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result[ROLE] = [
        Choice(value, capfirst(label), roles.get(value, 0))
        for value, label in BoardRole.choices
        if roles.get(value) or value == filters.get(ROLE)
    ]

    sectors = list(
        Sector.objects.filter(organisation__board_needs__in=_matching_ids(filters, skip=SECTOR))
        .annotate(n=Count("organisation__board_needs", distinct=True))
        .order_by("name")
    )
    result[SECTOR] = _with_selected(
        [Choice(sector.slug, sector.name, sector.n) for sector in sectors],
        filters.get(SECTOR),
        lambda slug: Sector.objects.filter(slug=slug).values_list("name", flat=True).first(),
    )
    return result


def _with_selected(choices, selected, name_of):
    """`choices`, plus the selected value at 0 when no need has it any more (if it exists)."""
    if not selected or any(choice.value == selected for choice in choices):
        return choices
    name = name_of(selected)
    if name is None:
        return choices
    return [*choices, Choice(selected, name, 0)]


def departement_sort_key(code):
    """Metropolitan départements in number order (2A and 2B where Corsica's 20 was), then
    overseas: « 01 » … « 19 », « 2A », « 2B », « 21 » … « 95 », « 971 » …"""
    if code in ("2A", "2B"):
        return (20, code)
    return (int(code) if code.isdigit() else 999, code)


@dataclass(frozen=True)
class Interest:
    """What a logged-in user can do about a need: the offers they may express interest with,
    and the match that already ties one of their offers to the need, if any."""

    offers: list
    match: Match | None

    @property
    def already(self):
        return self.match is not None

    @property
    def can_express(self):
        return self.match is None and bool(self.offers)


def available_offers_queryset(user):
    """The user's offers that can still be put forward, newest first."""
    if not user.is_authenticated:
        return VolunteerOffer.objects.none()
    return VolunteerOffer.objects.filter(
        user=user, status=VolunteerOffer.Status.AVAILABLE
    ).order_by("-created_at", "-pk")


def available_offers(user):
    return list(available_offers_queryset(user))


def existing_match(need, user):
    """The match between `need` and any offer of `user` (whatever its origin), or None:
    one is enough, a second would only duplicate what staff already follow."""
    if not user.is_authenticated:
        return None
    return Match.objects.filter(need=need, offer__user=user).order_by("created_at", "pk").first()


def interest_for(need, user):
    return Interest(offers=available_offers(user), match=existing_match(need, user))
