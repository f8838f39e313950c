"""The search app's retention rules (search/retention.py): Wagtail's search log after 13 months,
and the site's own log of visitors by its purge (28 days).

The clock is frozen by the rules' contract: they compute from the `now` they are given only.
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion

from privacy import retention
from privacy.register import processing
from search import query_log
from search.models import SearchTerm, SearchVisit, VisitorKey
from search.retention import months_before

pytestmark = pytest.mark.django_db

SLUGS = {"search-query-log": "search-statistics", "search-visitor-digests": "search-statistics"}
NOW = timezone.make_aware(datetime.datetime(2031, 3, 15, 12, 0))
CUTOFF = datetime.date(2030, 2, 15)  # 13 months before NOW's day: the first day kept
DAY = datetime.timedelta(days=1)


def rule(slug):
    return next(rule for rule in retention.rules() if rule.slug == slug)


def test_every_rule_is_declared_and_names_a_declared_processing():
    declared = {rule.slug: rule.processing for rule in retention.rules()}
    for slug, processing_slug in SLUGS.items():
        assert declared[slug] == processing_slug
        assert processing(processing_slug).retention  # raises KeyError if unknown


def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert months_before(datetime.date(2031, 3, 15), 13) == CUTOFF
    assert months_before(datetime.date(2031, 3, 31), 13) == datetime.date(2030, 2, 28)
    assert months_before(datetime.date(2032, 3, 31), 1) == datetime.date(2032, 2, 29)
    assert months_before(datetime.date(2031, 1, 15), 13) == datetime.date(2029, 12, 15)
    assert months_before(datetime.date(2031, 5, 31), 13) == datetime.date(2030, 4, 30)


# --- Wagtail's search log -----------------------------------------------------------------------


def logged(text, *days):
    query = Query.get(text)
    for day in days:
        query.add_hit(date=day)
    return query


@pytest.fixture
def search_log():
    promoted = logged("adhésion", CUTOFF - DAY)
    SearchPromotion.objects.create(
        query=promoted, external_link_url="https://example.org/", external_link_text="Adhérer"
    )
    return {
        "forgotten": logged("jean dupont", CUTOFF - DAY),
        "just_inside": logged("bénévolat", CUTOFF - DAY, CUTOFF),
        "recent": logged("prix", NOW.date()),
        "promoted": promoted,
    }


def test_a_dry_run_counts_the_old_search_log_and_changes_nothing(search_log):
    # 3 daily counts older than 13 months, and the query left with none.
    assert rule("search-query-log").apply(NOW, True) == 4

    assert QueryDailyHits.objects.count() == 5
    assert Query.objects.count() == 4


def test_the_search_log_is_deleted_after_13_months(search_log):
    assert rule("search-query-log").apply(NOW - DAY, False) == 0

    assert rule("search-query-log").apply(NOW, False) == 4

    assert set(Query.objects.values_list("query_string", flat=True)) == {
        "bénévolat", "prix", "adhésion",
    }  # fmt: skip
    assert set(QueryDailyHits.objects.values_list("query__query_string", "date")) == {
        ("bénévolat", CUTOFF), ("prix", NOW.date()),
    }  # fmt: skip
    assert search_log["promoted"].editors_picks.count() == 1
    assert rule("search-query-log").apply(NOW, False) == 0


# --- The site's log of visitors -----------------------------------------------------------------


@pytest.fixture
def visits():
    today = timezone.localdate(NOW)
    oldest = query_log.oldest_kept_period(today)  # the first week still kept
    VisitorKey.objects.create(period=query_log.period_start(today) - 7 * DAY, secret="a" * 64)
    VisitorKey.objects.create(period=query_log.period_start(today), secret="b" * 64)
    forgotten = SearchTerm.objects.create(text="jean dupont")
    kept = SearchTerm.objects.create(text="mécénat")
    approved = SearchTerm.objects.create(text="adhésion", status=SearchTerm.Status.APPROVED)
    for term, period in [
        (forgotten, oldest - 7 * DAY), (kept, oldest - 7 * DAY), (kept, oldest),
        (approved, oldest - 7 * DAY),
    ]:  # fmt: skip
        SearchVisit.objects.create(term=term, period=period, visitor=f"{term.pk}-{period}")
    return {"forgotten": forgotten, "kept": kept, "approved": approved, "oldest": oldest}


def test_a_dry_run_counts_what_the_purge_would_delete_and_changes_nothing(visits):
    # A finished week's key, 3 visits before the oldest week kept, the term none supports.
    assert rule("search-visitor-digests").apply(NOW, True) == 5

    assert VisitorKey.objects.count() == 2
    assert SearchVisit.objects.count() == 4
    assert SearchTerm.objects.count() == 3


def test_the_visitors_digests_go_after_28_days_and_staffs_decisions_stay(visits):
    assert rule("search-visitor-digests").apply(NOW, False) == 5

    assert list(VisitorKey.objects.values_list("period", flat=True)) == [
        query_log.period_start(timezone.localdate(NOW))
    ]
    assert list(SearchVisit.objects.values_list("term__text", "period")) == [
        ("mécénat", visits["oldest"])
    ]
    assert set(SearchTerm.objects.values_list("text", flat=True)) == {"mécénat", "adhésion"}
    assert rule("search-visitor-digests").apply(NOW, False) == 0
