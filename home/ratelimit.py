"""Rate limits: how often a client, or anyone writing to one e-mail address, may do a thing.

Everything that sends e-mail or writes on behalf of a stranger is limited twice: per client
address (a robot hammering the form) and per target address (twenty password resets for one
victim from twenty addresses). The rules are a table in the settings (`RATE_LIMITS`), so one
read shows them all; `RateLimitMiddleware` applies those naming a URL, `page_rate_limit` those
naming a Wagtail page type (its `before_serve_page` hook is in home/wagtail_hooks.py).

Counters live in a cache alias of their own (`ratelimit`): page and menu entries of the default
cache, however many, never evict them. Each counter covers `period` seconds from the first
request it counts, so the 429 page can say when to come back. If the counter store is down,
requests go through: a lost limit is better than a site that refuses everyone.
"""

import hashlib
import ipaddress
import logging
import math
import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render

from operations.outages import Outage

logger = logging.getLogger(__name__)
counters_outage = Outage("Rate-limit counters", logger)

CACHE_ALIAS = "ratelimit"


@dataclass(frozen=True)
class Rule:
    """`limit` requests per `period` seconds, counted per `key`: "address" (the client's) or
    "field:<name>" (the e-mail address or user name typed in that form field).

    `failed_logins_only`: only failed logins count (see `count_failed_login`), so that nobody
    can lock an account out by posting its name with any password: its owner's successful
    logins are never refused by this rule's own count."""

    scope: str
    limit: int
    period: int
    key: str = "address"
    views: tuple = ()
    pages: tuple = ()
    methods: tuple = ("POST",)
    failed_logins_only: bool = False

    @classmethod
    def from_setting(cls, entry):
        entry = dict(entry)
        for name in ("views", "pages", "methods"):
            if name in entry:
                entry[name] = tuple(entry[name])
        return cls(**entry)


def rules():
    return [Rule.from_setting(entry) for entry in getattr(settings, "RATE_LIMITS", [])]


def client_address(request):
    """The client's address. Behind RATE_LIMIT_PROXY_COUNT trusted reverse proxies, each
    appends the address it received the request from to X-Forwarded-For: the client is then
    the entry that many places from the right (what is to its left, the client may have
    written). With no proxy (the default), or a header shorter than that, REMOTE_ADDR."""
    proxies = int(getattr(settings, "RATE_LIMIT_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_network(request):
    """The client's address as counted: an IPv4 address, or the /64 network of an IPv6 one (a
    single home or server holds a whole /64 and could otherwise count as billions of clients)."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def axes_client_address(request):
    """The same for django-axes' login counters (AXES_CLIENT_IP_CALLABLE)."""
    return client_network(request)


def fold(value):
    """A typed user name or e-mail address as the login forms compare it: Unicode compatibility
    form (the forms' NFKC: « ｖ » is « v »), case folded, trimmed. Every spelling that reaches
    one account shares one counter."""
    return unicodedata.normalize("NFKC", value or "").casefold().strip()


def _digest(value):
    # Keys of a fixed length whatever was typed, and no address in clear in the cache.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def hit(scope, identity, limit, period, *, count=True):
    """Count one request of `identity` in `scope` (or only read the counter, `count=False`);
    the seconds to wait if the limit is passed, else 0.

    The window opens at the first request and lasts `period` seconds (a window on the clock
    would let 2 × `limit` requests through around its edge); its start is kept beside the count
    so that the 429 page can say when it closes."""
    now = time.time()
    key = f"rl:{scope}:{_digest(identity)}"
    store = caches[CACHE_ALIAS]
    try:
        if count:
            if store.add(key, 0, period):
                store.set(f"{key}:t", now, period)
            try:
                counted = store.incr(key)
            except ValueError:  # expired between add and incr
                store.set(key, 1, period)
                store.set(f"{key}:t", now, period)
                counted = 1
            # incr is the one call here that raises when Redis is down (the others are tolerant).
            counters_outage.recovered()
        else:
            counted = (store.get(key) or 0) + 1  # as if this request were counted
        if counted <= limit:
            return 0
        started = store.get(f"{key}:t") or now
    except Exception as error:  # the counter store is down: let the request through
        counters_outage.failed(error)  # logged once a minute, not once per request
        return 0
    return max(1, math.ceil(started + period - now))


def rate_limited(request, scope, limit, period):
    """Count this request against `limit` per `period` seconds for the client and `scope`;
    True once the limit is passed (the request must then be refused)."""
    return hit(scope, client_network(request), limit, period) > 0


def _identity(rule, request):
    if rule.key == "address":
        return client_network(request)
    field = rule.key.removeprefix("field:")
    return fold(request.POST.get(field)) or None  # nothing typed: the address rule counts it


def check(request, applicable):
    """Count the request against each applicable rule; the seconds to wait if one is passed."""
    wait = 0
    for rule in applicable:
        if request.method not in rule.methods:
            continue
        identity = _identity(rule, request)
        if identity is not None:
            counted = not rule.failed_logins_only  # those are counted by count_failed_login
            wait = max(wait, hit(rule.scope, identity, rule.limit, rule.period, count=counted))
    return wait


def count_failed_login(sender, credentials, request=None, **kwargs):
    """Django's `user_login_failed` signal: one more failure for the rules that count only
    those, on the view that checked the password."""
    match = getattr(request, "resolver_match", None)
    if match is None or request.method != "POST":
        return
    if getattr(request, "axes_locked_out", False):
        # Already locked out at this address by django-axes: one address cannot add more than
        # its few tries to the account's count, so that locking an account takes many.
        return
    for rule in rules():
        if rule.failed_logins_only and match.view_name in rule.views:
            identity = _identity(rule, request)
            if identity is not None:
                hit(rule.scope, identity, rule.limit, rule.period)


def too_many_requests(request, wait):
    response = render(
        request,
        "429.html",
        {"wait_minutes": max(1, math.ceil(wait / 60))},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.by_view = {}
        for rule in rules():
            for view in rule.views:
                self.by_view.setdefault(view, []).append(rule)

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        applicable = self.by_view.get(match.view_name) if match else None
        if not applicable:
            return None
        wait = check(request, applicable)
        return too_many_requests(request, wait) if wait else None


def page_rate_limit(page, request):
    """Wagtail's `before_serve_page` hook: the rules naming this page's type."""
    label = page.specific_class._meta.label if page.specific_class else ""
    applicable = [rule for rule in rules() if label in rule.pages]
    if not applicable:
        return None
    wait = check(request, applicable)
    return too_many_requests(request, wait) if wait else None
