"""Which logged queries may be suggested to other visitors, and how visitors are counted
without being known.

Anyone can type anything in the search box, and a suggestion is shown to everyone: a query
typed again and again by one person must never become one. A query is suggested when
- staff approved it (SearchTerm.Status.APPROVED), or
- it found something for at least `min_visitors()` distinct visitors within one period
  (a week), and it is not blocked (SearchTerm.Status.BLOCKED wins over everything).
Only searches that found something are counted: a query that finds nothing is never recorded.

A visitor is counted through a digest, never an address: an HMAC of the visitor's network and
the query, keyed with SECRET_KEY and a random secret of the period (VisitorKey). Within a
period the same visitor gives the same digest for the same query, so counts once, however
often they search; the next period gives another digest; and once a period is over its
secret is deleted, so that its digests can no longer be computed from an address by anyone.
The digest also covers the query, so that one visitor's different searches cannot be linked.

The network rather than the address and user agent: the user agent is whatever the client
sends, so it would let one address count as many visitors; an IPv6 customer of an access
provider holds up to a /48, so its addresses count as one (a few neighbours sharing a /48 count
as one too: the threshold only gets safer).

Visits are kept SEARCH_LOG_RETENTION_DAYS days (28 by default; a week's visits go together,
so up to six days more), no longer counted after that, and deleted by `purge`, which runs at
the first search of each week and from `manage.py purge_search_log` (daily, with the other
daily commands). Staff's decisions (approved, blocked) are kept until staff delete them.
"""

import dataclasses
import datetime
import ipaddress
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from wagtail.search.utils import normalise_query_string

from .models import SearchTerm, SearchVisit, VisitorKey

# Defaults of the settings of the same names (none of them needs to be set).
SEARCH_SUGGESTION_MIN_VISITORS = 3
SEARCH_LOG_RETENTION_DAYS = 28
DIGEST_LENGTH = 24  # hex characters: 96 bits, no collision among a term's visitors
IPV6_NETWORK_PREFIX = 48
KEY_CACHE_SECONDS = 3600
COUNTED_CACHE_SECONDS = 3600


def min_visitors():
    return int(getattr(settings, "SEARCH_SUGGESTION_MIN_VISITORS", SEARCH_SUGGESTION_MIN_VISITORS))


def retention_days():
    return int(getattr(settings, "SEARCH_LOG_RETENTION_DAYS", SEARCH_LOG_RETENTION_DAYS))


def normalise(text):
    return normalise_query_string(text or "")


# --- Periods and digests ------------------------------------------------------------------------


def period_start(day):
    """A period is a week, from Monday: long enough that one visitor cannot come back as
    another the next day, short enough that an address is not followed for long."""
    return day - datetime.timedelta(days=day.weekday())


def oldest_kept_period(today):
    """The first period whose visits are still kept (and counted) on `today`."""
    return period_start(today - datetime.timedelta(days=retention_days()))


def visitor_network(address):
    """The address as the visitor it stands for: an IPv4 address, or an IPv6 /48 network;
    None when it is not an address (nothing is then counted)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_NETWORK_PREFIX}", strict=False))
    return str(ip)


def _period_secret(period, today):
    """The period's random secret, made by the first search of the period. Shared by every
    server through the database (and the cache, to spare a query per search)."""
    cache_key = f"search:visitor-key:{period.isoformat()}"
    secret = cache.get(cache_key)
    if secret is None:
        key, created = VisitorKey.objects.get_or_create(
            period=period, defaults={"secret": secrets.token_hex(32)}
        )
        if created:  # a new period: the previous secrets and the expired visits go now
            purge(today)
        secret = key.secret
        cache.set(cache_key, secret, KEY_CACHE_SECONDS)
    return secret


def visitor_digest(network, text, period, secret):
    return salted_hmac(
        f"search.visitor:{period.isoformat()}:{secret}",
        f"{network}\n{text}",
        algorithm="sha256",
    ).hexdigest()[:DIGEST_LENGTH]


# --- Recording and trusting ------------------------------------------------------------------


def record_search(text, address, today=None):
    """Count that the visitor at `address` searched `text` and found something (call it only
    for searches that found something). True when this visitor was not yet counted for this
    text this period, as far as the cache remembers."""
    text = normalise(text)
    network = visitor_network(address)
    if not text or network is None:
        return False
    today = today or timezone.localdate()
    period = period_start(today)
    digest = visitor_digest(network, text, period, _period_secret(period, today))
    # The visitor paging through the results, or searching again: no query at all. (The
    # database's unique constraint is what counts them once; the cache only spares it.)
    if not cache.add(f"search:counted:{digest}", True, COUNTED_CACHE_SECONDS):
        return False
    term, _created = SearchTerm.objects.get_or_create(text=text)
    SearchVisit.objects.bulk_create(
        [SearchVisit(term=term, period=period, visitor=digest)], ignore_conflicts=True
    )
    return True


def with_visitors(terms, today=None):
    """The terms annotated with `visitors`: the most distinct visitors one kept period counted."""
    today = today or timezone.localdate()
    best = (
        SearchVisit.objects.filter(term=OuterRef("pk"), period__gte=oldest_kept_period(today))
        .values("period")
        .annotate(count=Count("pk"))
        .order_by("-count")
        .values("count")[:1]
    )
    return terms.annotate(visitors=Coalesce(Subquery(best, output_field=IntegerField()), Value(0)))


def with_trust(terms, today=None):
    """The terms annotated with `visitors` and `suggested`: the rule, in one place."""
    terms = with_visitors(terms, today)
    return terms.annotate(
        suggested=Case(
            When(status=SearchTerm.Status.BLOCKED, then=Value(False)),
            When(status=SearchTerm.Status.APPROVED, then=Value(True)),
            When(visitors__gte=min_visitors(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def suggestable(limit=20, today=None):
    """The texts that may be suggested to anyone, staff's choices first, then the most
    searched: one query."""
    terms = with_trust(SearchTerm.objects.all(), today).filter(suggested=True)
    approved_first = Case(When(status=SearchTerm.Status.APPROVED, then=Value(0)), default=Value(1))
    terms = terms.order_by(approved_first, "-visitors", "text")
    return list(terms.values_list("text", flat=True)[:limit])


# --- Forgetting ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Purged:
    keys: int
    visits: int
    terms: int


def purge(today=None, dry_run=False):
    """Delete the secrets of finished periods, the visits older than the retention, and the
    terms staff never looked at that no kept visit supports any more (only count them with
    `dry_run`)."""
    today = today or timezone.localdate()
    oldest = oldest_kept_period(today)
    kept_visits = SearchVisit.objects.filter(term=OuterRef("pk"), period__gte=oldest)
    doomed = (
        VisitorKey.objects.filter(period__lt=period_start(today)),
        SearchVisit.objects.filter(period__lt=oldest),
        SearchTerm.objects.filter(~Exists(kept_visits), status=SearchTerm.Status.PENDING),
    )
    if dry_run:
        return Purged(*(queryset.count() for queryset in doomed))
    return Purged(*(queryset.delete()[0] for queryset in doomed))
