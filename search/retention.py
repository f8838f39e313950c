"""The search app's retention rules (privacy.retention), enforcing what search/processing.py
states (« search-statistics »).

- `search-query-log`: Wagtail's search log (wagtail.contrib.search_promotions), which the
  search page feeds with every query typed here: the daily counts (QueryDailyHits) of a day
  more than 13 months before `now`'s day, then the queries left with no count and no
  editor's promotion (a promoted query is the editors' choice, not a visitor's trace, and
  stays). Wagtail's own `searchpromotions_garbage_collect` does the same with a 7-day default
  that nothing schedules here.
- `search-visitor-digests`: the site's own log (search/query_log.py), by its own `purge`: the
  keys of finished weeks, the visits older than SEARCH_LOG_RETENTION_DAYS (28 days; a week
  goes in one piece) and the undecided queries no kept visit supports any more. The daily
  `purge_search_log` and the first search of each week already run it: here, the retention
  command counts and enforces it with the others. The queries staff approved or blocked stay:
  an editorial list, tied to no visitor.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion

from privacy.retention import RetentionRule, delete_counted, register_rule

from . import query_log
from .models import SearchTerm, SearchVisit, VisitorKey

QUERY_LOG_MONTHS = 13


def months_before(day, months):
    """The same day `months` calendar months earlier, or the last day of that month when it is
    shorter (31 March less one month is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def query_log_cutoff(now):
    """The first day whose counts are still kept."""
    return months_before(timezone.localdate(now), QUERY_LOG_MONTHS)


def delete_query_log(now, dry_run):
    cutoff = query_log_cutoff(now)
    old_hits = QueryDailyHits.objects.filter(date__lt=cutoff)
    # Those left without any count once the old ones are gone (and never promoted).
    kept_hits = QueryDailyHits.objects.filter(query=OuterRef("pk"), date__gte=cutoff)
    promoted = SearchPromotion.objects.filter(query=OuterRef("pk"))
    queries = Query.objects.filter(~Exists(kept_hits), ~Exists(promoted))
    return delete_counted(dry_run, old_hits, queries)


def purge_visitor_digests(now, dry_run):
    today = timezone.localdate(now)
    if not dry_run:
        purged = query_log.purge(today)
        return purged.keys + purged.visits + purged.terms
    # What query_log.purge would delete, counted with its own dates.
    oldest = query_log.oldest_kept_period(today)
    kept_visits = SearchVisit.objects.filter(term=OuterRef("pk"), period__gte=oldest)
    return (
        VisitorKey.objects.filter(period__lt=query_log.period_start(today)).count()
        + SearchVisit.objects.filter(period__lt=oldest).count()
        + SearchTerm.objects.filter(~Exists(kept_visits), status=SearchTerm.Status.PENDING).count()
    )


register_rule(
    RetentionRule(
        slug="search-query-log",
        label=_("Journal des recherches de Wagtail de plus de 13 mois"),
        processing="search-statistics",
        apply=delete_query_log,
        order=40,
    ),
    RetentionRule(
        slug="search-visitor-digests",
        label=_(
            "Empreintes des visiteurs de plus de 28 jours, clés des semaines finies et "
            "recherches qu’aucune visite conservée ne soutient"
        ),
        processing="search-statistics",
        apply=purge_visitor_digests,
        order=41,
    ),
)
