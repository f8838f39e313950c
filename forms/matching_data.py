"""The volunteer matching's data: needs and offers read in a fixed number of queries and laid
out as numpy arrays for forms.matching (which documents the score). Split from it by subject:
this part talks to the database, forms.matching computes.
"""

import json
from dataclasses import dataclass, field

import numpy as np
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from members.models import Contact, Organisation

from .departements import ADJACENCY, CODES
from .models import Company, Match, NeedSkill, OfferSkill, VolunteerOffer

# The weights, in points out of 100.
WEIGHTS = {"skills": 60, "territory": 20, "sector": 10, "availability": 10}
COMPONENTS = tuple(WEIGHTS)
MAX_LEVEL = 3  # OfferSkill.Level.EXPERT
NEIGHBOUR_SHARE = 0.5  # territory share for a bordering département

# Every département code gets a column, plus one for a code the table does not know.
_DEPARTEMENT_INDEX = {code: i for i, code in enumerate(CODES)}
_UNKNOWN = len(CODES)
_ADJACENT = np.zeros((len(CODES) + 1, len(CODES) + 1), dtype=bool)
for _code, _neighbours in ADJACENCY.items():
    for _other in _neighbours:
        _ADJACENT[_DEPARTEMENT_INDEX[_code], _DEPARTEMENT_INDEX[_other]] = True


def _departement_index(code):
    return _DEPARTEMENT_INDEX.get(str(code or "").strip().upper(), _UNKNOWN)


@dataclass
class Data:
    """Needs (rows) and offers (columns) as arrays sharing one numbering of skills and sectors,
    scaled so that the products below come out in tenths of a point."""

    need_ids: np.ndarray
    need_departements: np.ndarray  # index into CODES (or _UNKNOWN)
    need_hours: np.ndarray
    # needs × skills: importance ÷ Σ importance × 600 ÷ 3, so that × level gives tenths.
    need_skill_weights: np.ndarray
    # needs × (sectors + 1): 1.0 where the organisation has the sector; the last column is 1.
    need_sectors: np.ndarray
    offer_ids: np.ndarray
    offer_levels: np.ndarray  # offers × skills: level (1 to 3), 0 where not offered
    # offers × (sectors + 1): 1.0 where preferred; the last column is 1 for « no preference ».
    offer_sectors: np.ndarray
    # départements × offers (one contiguous row per département, gathered per need): 200, 100
    # or 0 tenths.
    territory_by_departement: np.ndarray
    offer_hours_tenths: np.ndarray  # hours × 100: availability = this ÷ the need's hours
    # Excluded pairs as (need row, offer column), sorted by need row.
    blocked_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    blocked_columns: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def load(needs: QuerySet, offers: QuerySet, with_exclusions: bool) -> Data:
    """Read the needs and offers of these querysets in 6 queries (9 with the exclusions); the
    querysets are only used as subqueries afterwards."""
    need_rows = list(
        needs.order_by("pk").values_list("pk", "organisation_id", "departement", "hours_per_month")
    )
    # The départements come as JSON text, decoded below in one call for all the offers
    # (the field's own decoding, once per row, took most of a per-need suggestion's time).
    offer_rows = list(
        offers.order_by("pk")
        .annotate(departements_json=Cast("departements", output_field=TextField()))
        .values_list("pk", "user_id", "company_id", "hours_per_month", "departements_json")
    )
    need_skills = list(
        NeedSkill.objects.filter(need__in=needs.values("pk")).values_list(
            "need_id", "skill_id", "importance"
        )
    )
    offer_skills = list(
        OfferSkill.objects.filter(offer__in=offers.values("pk")).values_list(
            "offer_id", "skill_id", "level"
        )
    )
    organisation_sectors = list(
        Organisation.sectors.through.objects.filter(
            organisation_id__in=needs.values("organisation_id")
        ).values_list("organisation_id", "sector_id")
    )
    preferred_sectors = list(
        VolunteerOffer.preferred_sectors.through.objects.filter(
            volunteeroffer_id__in=offers.values("pk")
        ).values_list("volunteeroffer_id", "sector_id")
    )

    need_ids = np.array([row[0] for row in need_rows], dtype=np.int64)
    offer_ids = np.array([row[0] for row in offer_rows], dtype=np.int64)
    need_row = {pk: i for i, pk in enumerate(need_ids.tolist())}
    offer_column = {pk: j for j, pk in enumerate(offer_ids.tolist())}
    skill_index = {}
    for _, skill, _ in need_skills:
        skill_index.setdefault(skill, len(skill_index))
    for _, skill, _ in offer_skills:
        skill_index.setdefault(skill, len(skill_index))
    sector_index = {}
    for _, sector in organisation_sectors:
        sector_index.setdefault(sector, len(sector_index))
    for _, sector in preferred_sectors:
        sector_index.setdefault(sector, len(sector_index))
    n, m = len(need_ids), len(offer_ids)
    skills, sectors = max(len(skill_index), 1), len(sector_index)

    importance = np.zeros((n, skills))
    for need, skill, value in need_skills:
        importance[need_row[need], skill_index[skill]] = value
    required = importance.sum(axis=1, keepdims=True)
    scale = 10 * WEIGHTS["skills"] / MAX_LEVEL
    weights = np.divide(
        importance * scale, required, out=np.zeros_like(importance), where=required > 0
    )
    levels = np.zeros((m, skills))
    for offer, skill, value in offer_skills:
        levels[offer_column[offer], skill_index[skill]] = min(value, MAX_LEVEL)

    # Sectors belong to the organisation: spread them over its needs.
    rows_of_organisation = {}
    for i, row in enumerate(need_rows):
        rows_of_organisation.setdefault(row[1], []).append(i)
    need_sectors = np.zeros((n, sectors + 1))
    need_sectors[:, sectors] = 1.0
    for organisation, sector in organisation_sectors:
        need_sectors[rows_of_organisation.get(organisation, []), sector_index[sector]] = 1.0
    offer_sectors = np.zeros((m, sectors + 1))
    for offer, sector in preferred_sectors:
        offer_sectors[offer_column[offer], sector_index[sector]] = 1.0
    offer_sectors[:, sectors] = offer_sectors[:, :sectors].sum(axis=1) == 0

    covered = np.zeros((m, len(CODES) + 1), dtype=bool)
    departements = json.loads("[" + ",".join(row[4] or "null" for row in offer_rows) + "]")
    for j, codes in enumerate(departements):
        codes = codes or []
        for code in [codes] if isinstance(codes, str) else codes:  # « "44" » typed by hand
            index = _departement_index(code)
            if index != _UNKNOWN:
                covered[j, index] = True
    bordering = (covered.astype(np.float64) @ _ADJACENT.astype(np.float64)) > 0
    full = 10.0 * WEIGHTS["territory"]
    territory = np.where(covered, full, np.where(bordering, full * NEIGHBOUR_SHARE, 0.0))

    data = Data(
        need_ids=need_ids,
        need_departements=np.array([_departement_index(r[2]) for r in need_rows], dtype=np.int64),
        need_hours=np.array([r[3] for r in need_rows], dtype=np.float64),
        need_skill_weights=weights,
        need_sectors=need_sectors,
        offer_ids=offer_ids,
        offer_hours_tenths=np.array([r[3] for r in offer_rows], dtype=np.float64)
        * (10.0 * WEIGHTS["availability"]),
        offer_levels=levels,
        offer_sectors=offer_sectors,
        territory_by_departement=np.ascontiguousarray(territory.T),
    )
    if with_exclusions and n and m:
        _load_exclusions(data, needs, offers, need_rows, offer_rows, rows_of_organisation)
    return data


def _load_exclusions(data, needs, offers, need_rows, offer_rows, rows_of_organisation):
    """The pairs never suggested, in 3 queries: company partners, contacts, existing matches.

    Each query filters on one side only, the smaller one, and the other side is checked here:
    SQLite answers « need IN (…) AND offer IN (…) » by probing every combination of the two
    lists (10 million index look-ups for the whole batch, several seconds)."""
    by_need = len(need_rows) <= len(offer_rows)
    partners = Company.partner_organisations.through.objects.values_list(
        "organisation_id", "company_id"
    )
    contacts = Contact.objects.values_list("organisation_id", "user_id")
    matches = Match.objects.values_list("need_id", "offer_id")
    if by_need:
        organisations = needs.values("organisation_id")
        partners = partners.filter(organisation_id__in=organisations)
        contacts = contacts.filter(organisation_id__in=organisations)
        matches = matches.filter(need_id__in=needs.values("pk"))
    else:
        partners = partners.filter(company_id__in=offers.values("company_id"))
        contacts = contacts.filter(user_id__in=offers.values("user_id"))
        matches = matches.filter(offer_id__in=offers.values("pk"))

    columns_of_company, columns_of_user = {}, {}
    for j, row in enumerate(offer_rows):
        if row[2]:
            columns_of_company.setdefault(row[2], []).append(j)
        columns_of_user.setdefault(row[1], []).append(j)
    need_row = {row[0]: i for i, row in enumerate(need_rows)}
    offer_column = {row[0]: j for j, row in enumerate(offer_rows)}

    # One loop per conflict found in the database (a few thousand), never per pair of the matrix.
    rows, columns = [], []

    def block(need_rows, offer_columns):
        if need_rows and offer_columns:
            rows.append(np.repeat(need_rows, len(offer_columns)))
            columns.append(np.tile(offer_columns, len(need_rows)))

    for organisation, company in partners:
        block(rows_of_organisation.get(organisation), columns_of_company.get(company))
    for organisation, user in contacts:
        block(rows_of_organisation.get(organisation), columns_of_user.get(user))
    for need, offer in matches:
        if need in need_row and offer in offer_column:
            block([need_row[need]], [offer_column[offer]])
    if rows:
        all_rows, all_columns = np.concatenate(rows), np.concatenate(columns)
        order = np.argsort(all_rows, kind="stable")
        data.blocked_rows = all_rows[order].astype(np.int64)
        data.blocked_columns = all_columns[order].astype(np.int64)
