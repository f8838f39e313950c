"""The volunteer matching at scale: 2,000 open board needs × 5,000 available offers (plus closed
needs, withdrawn offers, conflicts and existing matches, as in real life). Times
forms.matching.all_suggestions() with its load / compute split, and staff's per-need and
per-offer suggestions, counts their SQL queries and measures the memory. Target: the whole batch
in under 10 s.

Run by the harness in a subprocess with the benchmark site's environment (its throw-away SQLite
database, already migrated, with the demo content): the data is added there, named « banc ».

    python -m bench.matching OUT.json

Run alone (no DJANGO_SETTINGS_MODULE), it makes its own throw-away SQLite database with the
test settings, migrates it, and prints the figures:

    python -m bench.matching
"""

import random
import resource
import statistics
import sys
import time
import tracemalloc

from . import module_run

NEEDS, OFFERS = 2000, 5000
CLOSED_NEEDS, WITHDRAWN_OFFERS = 300, 500  # present but never matched
SKILLS, SECTORS, COMPANIES, ORGANISATIONS = 14, 10, 80, 1500
CONTACTS, MATCHES = 600, 1500
TARGET_SECONDS = 10.0
RUNS = 3
PER_NEED = 5
# Pays de la Loire and the départements around it.
REGION = ["44", "49", "53", "72", "85"]
AROUND = ["35", "56", "50", "61", "28", "41", "37", "86", "79", "17"]


def build(seed=42, scale=1.0):
    """The needs, offers and everything around them, with bulk_create (a few dozen queries);
    values follow a seeded pseudo-random pattern. `scale` shrinks every count but the skills and
    sectors (the tests build a small copy). Returns how many rows of each were made."""
    from django.contrib.auth.models import User

    from forms.models import (
        BoardNeed,
        BoardRole,
        Company,
        Match,
        NeedSkill,
        OfferSkill,
        Skill,
        VolunteerOffer,
    )
    from members.models import Contact, Organisation, Sector

    def sized(count):
        return max(1, round(count * scale))

    needs_count, offers_count = sized(NEEDS), sized(OFFERS)
    rng = random.Random(seed)
    skills = Skill.objects.bulk_create(
        Skill(name=f"Compétence banc {i}", slug=f"banc-competence-{i}", order=100 + i)
        for i in range(SKILLS)
    )
    sectors = Sector.objects.bulk_create(
        Sector(name=f"Secteur banc {i}", slug=f"banc-secteur-{i}") for i in range(SECTORS)
    )
    territory = REGION * 3 + AROUND  # most associations in the region itself
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Association banc {i}",
            legal_form="association",
            rna=f"W99{i:07d}",
            address="1 rue du Banc",
            postal_code="44000",
            city="Nantes",
            departement=rng.choice(territory),
            budget_bracket="50000",
        )  # fmt: skip
        for i in range(sized(ORGANISATIONS))
    )
    Organisation.sectors.through.objects.bulk_create(
        Organisation.sectors.through(organisation_id=organisation.pk, sector_id=sector.pk)
        for organisation in organisations
        for sector in rng.sample(sectors, rng.randint(1, 3))
    )
    roles = [choice for choice, _ in BoardRole.choices]
    statuses = [BoardNeed.Status.OPEN] * needs_count + [
        rng.choice([BoardNeed.Status.CLOSED, BoardNeed.Status.FILLED, BoardNeed.Status.IN_PROGRESS])
        for _ in range(sized(CLOSED_NEEDS))
    ]
    needs = []
    for status in statuses:
        organisation = rng.choice(organisations)
        needs.append(
            BoardNeed(
                organisation=organisation,
                role=rng.choice(roles),
                hours_per_month=rng.choice([2, 4, 6, 8, 10, 12]),
                mandate_months=rng.choice([12, 24, 36]),
                departement=organisation.departement,
                commune=organisation.city,
                description="Besoin du banc d’essai.",
                status=status,
            )
        )
    needs = BoardNeed.objects.bulk_create(needs)
    NeedSkill.objects.bulk_create(
        NeedSkill(need=need, skill=skill, importance=rng.randint(1, 3))
        for need in needs
        for skill in rng.sample(skills, rng.randint(1, 4))
    )
    companies = Company.objects.bulk_create(
        Company(name=f"Entreprise banc {i}") for i in range(sized(COMPANIES))
    )
    Company.partner_organisations.through.objects.bulk_create(
        Company.partner_organisations.through(company_id=company.pk, organisation_id=org.pk)
        for company in companies
        for org in rng.sample(organisations, rng.randint(1, 6))
    )
    users = User.objects.bulk_create(
        User(username=f"banc-benevole-{i}@example.org", email=f"banc-benevole-{i}@example.org")
        for i in range(offers_count + sized(WITHDRAWN_OFFERS))
    )
    offers = VolunteerOffer.objects.bulk_create(
        VolunteerOffer(
            user=user,
            first_name="Bénévole",
            last_name=str(i),
            company=rng.choice(companies) if rng.random() < 0.6 else None,
            hours_per_month=rng.choice([2, 3, 4, 6, 8, 10, 15, 20]),
            departements=sorted(set(rng.sample(territory, rng.randint(1, 3)))),
            motivation="Offre du banc d’essai.",
            status=(
                VolunteerOffer.Status.AVAILABLE
                if i < offers_count
                else rng.choice([VolunteerOffer.Status.WITHDRAWN, VolunteerOffer.Status.ENGAGED])
            ),
        )  # fmt: skip
        for i, user in enumerate(users)
    )
    OfferSkill.objects.bulk_create(
        OfferSkill(offer=offer, skill=skill, level=rng.randint(1, 3))
        for offer in offers
        for skill in rng.sample(skills, rng.randint(1, 4))
    )
    VolunteerOffer.preferred_sectors.through.objects.bulk_create(
        VolunteerOffer.preferred_sectors.through(volunteeroffer_id=offer.pk, sector_id=sector.pk)
        for offer in offers
        if rng.random() < 0.7  # the others state no preference
        for sector in rng.sample(sectors, rng.randint(1, 3))
    )
    contact_pairs = {(rng.choice(organisations), rng.choice(users)) for _ in range(sized(CONTACTS))}
    Contact.objects.bulk_create(
        Contact(organisation=organisation, user=user, role=Contact.Role.OTHER)
        for organisation, user in contact_pairs
    )
    match_pairs = {
        (rng.choice(needs[:needs_count]), rng.choice(offers[:offers_count]))
        for _ in range(sized(MATCHES))
    }
    Match.objects.bulk_create(
        Match(need=need, offer=offer, status=rng.choice(Match.Status.values))
        for need, offer in match_pairs
    )
    return {
        "open_needs": needs_count,
        "available_offers": offers_count,
        "needs": len(needs),
        "offers": len(offers),
        "matches": len(match_pairs),
    }


def _timed(function, runs=RUNS):
    """Median and best seconds over `runs` calls (after one warm-up), and the last result."""
    result = function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result


def measure() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forms import matching
    from forms.models import BoardNeed, VolunteerOffer

    start = time.perf_counter()
    build()
    build_seconds = time.perf_counter() - start
    open_needs = BoardNeed.objects.filter(status=BoardNeed.Status.OPEN)
    available = VolunteerOffer.objects.filter(status=VolunteerOffer.Status.AVAILABLE)
    needs, offers = open_needs.count(), available.count()

    splits = []

    def batch():
        timings = {}
        result = matching.all_suggestions(per_need=PER_NEED, timings=timings)
        splits.append(timings)
        return result

    batch_median, batch_best, result = _timed(batch)
    measured = splits[1:]  # the warm-up's split left out
    with CaptureQueriesContext(connection) as captured:
        matching.all_suggestions(per_need=PER_NEED)
    batch_queries = len(captured)

    # Memory of one batch: Python and numpy allocations traced (tracemalloc slows the run down,
    # so it is not timed), and the process's peak resident size.
    tracemalloc.start()
    matching.all_suggestions(per_need=PER_NEED)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    need = open_needs.order_by("pk").first()
    offer = available.order_by("pk").first()
    need_median, need_best, _ = _timed(lambda: matching.suggestions_for_need(need))
    with CaptureQueriesContext(connection) as captured:
        matching.suggestions_for_need(need)
    need_queries = len(captured)
    offer_median, offer_best, _ = _timed(lambda: matching.suggestions_for_offer(offer))
    with CaptureQueriesContext(connection) as captured:
        matching.suggestions_for_offer(offer)
    offer_queries = len(captured)

    return {
        "size": f"{needs} open needs × {offers} available offers",
        "needs": needs,
        "offers": offers,
        "build_seconds": build_seconds,
        "batch_median_seconds": batch_median,
        "batch_best_seconds": batch_best,
        "batch_load_seconds": statistics.median(s["load"] for s in measured),
        "batch_compute_seconds": statistics.median(s["compute"] for s in measured),
        "batch_queries": batch_queries,
        "suggested_pairs": sum(len(offers) for offers in result.values()),
        "needs_without_suggestion": sum(1 for offers in result.values() if not offers),
        "traced_peak_mb": traced_peak / 2**20,
        # ru_maxrss is in kilobytes on Linux.
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "need_median_ms": need_median * 1000,
        "need_best_ms": need_best * 1000,
        "need_queries": need_queries,
        "offer_median_ms": offer_median * 1000,
        "offer_best_ms": offer_best * 1000,
        "offer_queries": offer_queries,
        "per_need": PER_NEED,
        "runs": RUNS,
        "target_seconds": TARGET_SECONDS,
        "pass": batch_median < TARGET_SECONDS,
    }


def targets(figures: dict) -> list[dict]:
    """The matching's line in the report's list of targets."""
    name = f"volunteer matching, all suggestions < {TARGET_SECONDS:.0f} s"
    if "error" in figures or not figures:
        return [{"target": name, "value": "n/a", "pass": False}]
    seconds = figures["batch_median_seconds"]
    return [{"target": name, "value": f"{seconds:.2f} s", "pass": seconds < TARGET_SECONDS}]


def render(figures: dict) -> str:
    """The report's section (the harness prints it after the main report)."""
    if "error" in figures:
        return f"Volunteer matching: could not run ({figures['error']})"
    f = figures
    verdict = "PASS" if f["pass"] else "FAIL"
    return "\n".join(
        [
            f"Volunteer matching, {f['size']} (in-process, median of {f['runs']} runs after a "
            "warm-up):",
            f"  all suggestions ({f['per_need']} per need)  {f['batch_median_seconds']:7.2f} s "
            f"median, {f['batch_best_seconds']:.2f} s best, {f['batch_queries']} SQL queries "
            f"(load {f['batch_load_seconds']:.2f} s, compute {f['batch_compute_seconds']:.2f} s)",
            f"  suggestions for one need      {f['need_median_ms']:7.1f} ms median, "
            f"{f['need_best_ms']:.1f} ms best, {f['need_queries']} SQL queries",
            f"  suggestions for one offer     {f['offer_median_ms']:7.1f} ms median, "
            f"{f['offer_best_ms']:.1f} ms best, {f['offer_queries']} SQL queries",
            f"  memory: {f['traced_peak_mb']:.0f} MB traced peak for one batch, "
            f"{f['max_rss_mb']:.0f} MB process peak RSS; {f['suggested_pairs']} pairs suggested, "
            f"{f['needs_without_suggestion']} needs without any",
            f"  (data built with bulk_create in {f['build_seconds']:.1f} s)",
            f"  {verdict}  all suggestions < {f['target_seconds']:.0f} s: "
            f"{f['batch_median_seconds']:.2f} s",
        ]
    )


if __name__ == "__main__":
    module_run.main("matching", measure, render, sys.argv[1:])
