"""The network's figures at scale: 1,000 organisations × 30 indicators × 5 years of reviewed
reports. Times the public page « L'impact du réseau » (in-process, Django's test client, first
request and warm) and the open-data export, and counts their SQL queries: the aggregates are
computed once per content change, not per visitor.

Run by the harness in a subprocess with the benchmark site's environment (its throw-away SQLite
database, already migrated): the data is added there, under years no demo uses.

    python -m bench.impact OUT.json

Run alone (no DJANGO_SETTINGS_MODULE), it makes its own throw-away SQLite database with the
test settings, migrates it, and prints the figures:

    python -m bench.impact
"""

import random
import sys
import time
from decimal import Decimal

from . import module_run

ORGANISATIONS, INDICATORS, YEARS = 1000, 30, 5
FIRST_YEAR = 2900  # far from any demo campaign
RUNS = 7
HOST = "127.0.0.1"
PAGE_TARGET_MS = 100


def build(seed=11):
    """Reviewed reports of every organisation for every year, through bulk_create."""
    import datetime

    from django.utils import timezone
    from wagtail.models import Page, Site

    from demo.factories.impact import CampaignFactory, DimensionFactory, IndicatorFactory
    from demo.factories.members import OrganisationFactory
    from impact.models import Answer, Indicator, Report
    from impact.pages import ImpactPage
    from members.models import Organisation

    rng = random.Random(seed)
    # Recorded on each report as services.submit does: one or two sectors per organisation.
    sector_lists = [
        ["Culture"],
        ["Solidarité", "Insertion"],
        ["Sport"],
        ["Environnement", "Culture"],
    ]
    Kind = Indicator.Kind
    kinds = [Kind.COUNT, Kind.AMOUNT, Kind.PERCENTAGE, Kind.SCALE, Kind.YES_NO, Kind.TEXT]
    dimension = DimensionFactory(name="Banc", slug="banc")
    indicators = [
        IndicatorFactory(dimension=dimension, code=f"banc-{i}", kind=kinds[i % len(kinds)])
        for i in range(INDICATORS)
    ]
    organisations = Organisation.objects.bulk_create(
        OrganisationFactory.build(
            name=f"Banc {n}",
            rna=f"W98{n:07d}",
            departement=f"{44 + n % 6}",
            postal_code=f"{44 + n % 6}000",
        )  # fmt: skip
        for n in range(ORGANISATIONS)
    )
    today = timezone.localdate()
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        campaign = CampaignFactory(
            year=year, opens_on=today - datetime.timedelta(days=400),
            closes_on=today - datetime.timedelta(days=300), indicators=indicators,
        )  # fmt: skip
        reports = Report.objects.bulk_create(
            Report(
                campaign=campaign,
                organisation=o,
                status=Report.Status.REVIEWED,
                submitted_at=timezone.now(),
                reviewed_at=timezone.now(),
                departement=o.departement,
                sectors=sector_lists[o.pk % len(sector_lists)],
            )  # fmt: skip
            for o in organisations
        )
        answers = []
        for report in reports:
            for indicator in indicators:
                values = {}
                if indicator.kind in (Kind.COUNT, Kind.AMOUNT):
                    values["value"] = Decimal(rng.randint(0, 500))
                elif indicator.kind == Kind.SCALE:
                    values["value"] = Decimal(rng.randint(1, 5))
                elif indicator.kind == Kind.PERCENTAGE:
                    d = rng.randint(1, 50)
                    values.update(numerator=Decimal(rng.randint(0, d)), denominator=Decimal(d))
                elif indicator.kind == Kind.YES_NO:
                    values["yes_no"] = rng.random() < 0.5
                else:
                    values["text"] = "Un fait marquant."
                answers.append(Answer(report=report, indicator=indicator, **values))
        Answer.objects.bulk_create(answers, batch_size=5000)
    site = Site.objects.filter(is_default_site=True).first()
    parent = site.root_page if site else Page.get_first_root_node()
    page = ImpactPage.objects.filter(slug="banc-impact").first()
    if page is None:
        page = parent.add_child(instance=ImpactPage(title="Banc d’impact", slug="banc-impact"))
    return page


def measure() -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from home.cache import invalidate_page_cache

    start = time.perf_counter()
    page = build()
    build_ms = (time.perf_counter() - start) * 1000
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    url = page.url or f"/{page.slug}/"

    cache.clear()
    invalidate_page_cache()
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        first = client.get(url)
    first_ms, first_queries = (time.perf_counter() - start) * 1000, len(captured)
    page_median, page_best, response = module_run.timed(lambda: client.get(url), RUNS)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    data_url = reverse("impact:open_data_csv")
    data_median, data_best, data = module_run.timed(lambda: client.get(data_url), RUNS)
    with CaptureQueriesContext(connection) as data_captured:
        data = client.get(data_url)
    return {
        "size": f"{ORGANISATIONS} organisations × {INDICATORS} indicators × {YEARS} years",
        "build_ms": build_ms,
        "first_status": first.status_code,
        "first_ms": first_ms,
        "first_queries": first_queries,
        "page_status": response.status_code,
        "page_median_ms": page_median,
        "page_best_ms": page_best,
        "page_queries": len(captured),
        "page_bytes": len(response.content),
        "data_status": data.status_code,
        "data_median_ms": data_median,
        "data_best_ms": data_best,
        "data_queries": len(data_captured),
        "data_bytes": len(data.content),
        "runs": RUNS,
    }


def targets(figures: dict) -> list[dict]:
    """The network figures' line in the report's list of targets."""
    name = f"impact page, warm, < {PAGE_TARGET_MS} ms in-process"
    if "error" in figures or not figures:
        return [{"target": name, "value": "n/a", "pass": False}]
    milliseconds = figures["page_median_ms"]
    return [
        {"target": name, "value": f"{milliseconds:.1f} ms", "pass": milliseconds < PAGE_TARGET_MS}
    ]


def render(figures: dict) -> str:
    if "error" in figures:
        return f"Network figures: could not run ({figures['error']})"
    f = figures
    verdict = "PASS" if f["page_median_ms"] < PAGE_TARGET_MS else "FAIL"
    return "\n".join(
        [
            f"Network figures, {f['size']} (in-process, median of {f['runs']} runs):",
            f"  impact page, first request  {f['first_ms']:8.1f} ms, {f['first_queries']} SQL "
            f"queries, HTTP {f['first_status']}",
            f"  impact page, warm           {f['page_median_ms']:8.1f} ms median, "
            f"{f['page_best_ms']:.1f} ms best, {f['page_queries']} SQL queries, "
            f"HTTP {f['page_status']}, {f['page_bytes']} bytes",
            f"  open data (CSV), warm       {f['data_median_ms']:8.1f} ms median, "
            f"{f['data_best_ms']:.1f} ms best, {f['data_queries']} SQL queries, "
            f"HTTP {f['data_status']}, {f['data_bytes']} bytes",
            f"  (data built with bulk_create in {f['build_ms']:.0f} ms)",
            f"  {verdict}  impact page, warm, < {PAGE_TARGET_MS} ms: {f['page_median_ms']:.1f} ms",
        ]
    )


if __name__ == "__main__":
    module_run.main("impact", measure, render, sys.argv[1:])
