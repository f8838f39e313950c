"""The award's ranking at scale: 300 applications × 5 jurors × 8 criteria, every sheet
submitted. Times the ranking computation (awards.ranking.rank_edition) and staff's ranking page
(in-process, Django's test client, logged in as a superuser), and counts their SQL queries.

Run by the harness in a subprocess with the benchmark site's environment (its throw-away SQLite
database, already migrated): the data is added there, under an edition year no demo uses.

    python -m bench.ranking OUT.json

Run alone (no DJANGO_SETTINGS_MODULE), it makes its own throw-away SQLite database with the
test settings, migrates it, and prints the figures:

    python -m bench.ranking
"""

import sys
import time

from . import module_run

APPLICATIONS, JURORS, CRITERIA = 300, 5, 8
YEAR = 2999  # far from any demo edition
RUNS = 7
HOST = "127.0.0.1"


def build(applications=APPLICATIONS, jurors=JURORS, criteria=CRITERIA):
    """The edition and its scores, made by the same builder as the ranking's query-count test
    (bulk_create, seeded values), under a year no demo uses."""
    from demo.factories.awards import build_large_edition

    return build_large_edition(applications, jurors, criteria, year=YEAR, seed=42)


def _staff_session(client, user):
    """Logged in with the second factor passed, as staff are once they typed their code (the
    admin sends anyone else to it: the page measured was a 302)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "bench"}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def measure() -> dict:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from awards.ranking import rank_edition

    start = time.perf_counter()
    edition = build()
    build_ms = (time.perf_counter() - start) * 1000

    compute_median, compute_best, _ = module_run.timed(lambda: rank_edition(edition), RUNS)
    with CaptureQueriesContext(connection) as captured:
        rank_edition(edition)
    compute_queries = len(captured)

    admin, _ = User.objects.get_or_create(
        username="bench-admin@example.org",
        defaults={"email": "bench-admin@example.org", "is_staff": True, "is_superuser": True},
    )
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    _staff_session(client, admin)
    url = reverse("awards_admin:ranking", args=[edition.pk])
    page_median, page_best, response = module_run.timed(lambda: client.get(url), RUNS)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"the ranking page answered {response.status_code}, not 200")
    return {
        "size": f"{APPLICATIONS} applications × {JURORS} jurors × {CRITERIA} criteria",
        "build_ms": build_ms,
        "compute_median_ms": compute_median,
        "compute_best_ms": compute_best,
        "compute_queries": compute_queries,
        "page_status": response.status_code,
        "page_median_ms": page_median,
        "page_best_ms": page_best,
        "page_queries": len(captured),
        "page_bytes": len(response.content),
        "runs": RUNS,
    }


def render(figures: dict) -> str:
    """The report's section (the harness prints it after the main report)."""
    if "error" in figures:
        return f"Award ranking: could not run ({figures['error']})"
    f = figures
    return "\n".join(
        [
            f"Award ranking, {f['size']} (in-process, median of {f['runs']} runs after a warm-up):",
            f"  computation (rank_edition)  {f['compute_median_ms']:8.1f} ms median, "
            f"{f['compute_best_ms']:.1f} ms best, {f['compute_queries']} SQL queries",
            f"  staff's ranking page        {f['page_median_ms']:8.1f} ms median, "
            f"{f['page_best_ms']:.1f} ms best, {f['page_queries']} SQL queries, "
            f"HTTP {f['page_status']}, {f['page_bytes']} bytes",
            f"  (data built with bulk_create in {f['build_ms']:.0f} ms)",
        ]
    )


if __name__ == "__main__":
    module_run.main("ranking", measure, render, sys.argv[1:])
