"""What the public site keeps in the cache, and how it is all forgotten when content changes.

Everything cached from published content (the Wagtail site with its root page, the page found
at each address with its view restrictions (HomePage.route), the site identity, the main menu,
page fragments and, when PAGE_CACHE_SECONDS > 0, whole anonymous pages) is keyed by a *content
generation*: a number that every content change (publish, unpublish, move, delete, privacy,
images, documents, site settings; see signals.py) replaces with a new, never reused one. Old
entries are then never read again and expire on their own.

A request reads the generation once (ContentGenerationMiddleware) and uses it for every key, so
a publication that commits while the request runs cannot get old content stored under the new
generation.

The anonymous page cache stores only responses that are safe to share: GET or HEAD, status 200,
from a request with no session cookie, that set no cookie (a page with a form sets the CSRF
cookie, so it is never stored), not marked private or `never_cache`, for Wagtail pages only,
and with no query string but a page number.
"""

import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DatabaseError
from django.http.request import split_domain_port
from django.utils.cache import get_max_age
from wagtail.models import Site

from .cache_backends import GENERATION_KEY, outage, recovery, start_generation

# Where what is keyed by the generation goes: the "content" alias, which keeps a copy in each
# process in front of Redis when there is one (home/cache_backends.LayeredCache). The generation
# itself lives in "default", shared by every process, and is read once per request.
CONTENT_CACHE = "content"
# While the shared cache is down, the generation is one of these: a new one every few seconds,
# so that what a process keeps meanwhile is never read for longer (home/cache_backends.py).
OUTAGE_GENERATION_SECONDS = 5


def content_cache():
    return caches[CONTENT_CACHE]


def invalidate_page_cache():
    """Start a new content generation: every cached page, fragment, menu and site is forgotten."""
    start_generation()
    if outage.down:
        recovery.unrecorded = True  # recorded when Redis answers again
    # Keys carry the generation, so this process's copies are unreachable anyway, except while
    # Redis is down: the write above failed, and the copies are forgotten here instead (other
    # processes forget theirs within seconds, home/cache_backends.LayeredCache).
    forget = getattr(content_cache(), "forget_copies", None)
    if forget is not None:
        forget()


def read_generation():
    """The current generation. Never set yet, or lost (Redis restarted empty): a new one is
    started, so that copies kept under an older one (in a process, home/cache_backends.py) are
    never read again. While the cache is down: an outage generation of a few seconds."""
    recoveries = recovery.count
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY)
    if recovery.count != recoveries:
        # The read that ended an outage gave the generation from before it, which a
        # publication made during the outage has just replaced (home/cache_backends.py).
        generation = cache.get(GENERATION_KEY, generation)
    if generation is None:
        return f"outage-{int(time.time() // OUTAGE_GENERATION_SECONDS)}"
    return generation


def content_generation(request=None):
    """The generation this request works with (read once), or the current one."""
    generation = getattr(request, "content_generation", None)
    if generation is None:
        generation = read_generation()
    return generation


def cached(key, compute, request=None):
    """Read `key` through the cache, within the request's content generation."""
    full_key = f"{key}:{content_generation(request)}"
    store = content_cache()
    value = store.get(full_key)
    if value is None:
        value = compute()
        if value is not None:
            store.set(full_key, value, settings.CONTENT_CACHE_SECONDS)
    return value


# Listings past this page are served but not kept: « ?page=99999999 » makes no new entry.
MAX_CACHED_PAGE = 100


def _page_number(request):
    """The listing page asked for, "" for none, or None when the request is not cached: any
    other query string (tracking tags, cache busting) would make a new entry per visitor."""
    if set(request.GET) - {"page"}:
        return None
    page = request.GET.get("page")
    if page is None:
        return ""
    if not (page.isdigit() and len(page) <= 3 and 1 <= int(page) <= MAX_CACHED_PAGE):
        return None
    return str(int(page))


def request_hostname(request):
    """The host name the visitor asked for, checked against ALLOWED_HOSTS, without its port:
    keys hold no port, and only the site's own names, never whatever a client sends."""
    return split_domain_port(request.get_host())[0]


def _is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if _page_number(request) is None:
        return False
    return not request.path.startswith("/admin/")


def _is_cacheable_response(response):
    if not getattr(response, "page_cacheable", False):
        return False
    if response.status_code != 200 or response.cookies or response.streaming:
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control or get_max_age(response) == 0:
        return False
    # A page that varies on something other than the cookie (absent, as checked above) or the
    # language (given by the path) could differ between visitors.
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= {"cookie", "accept-language"}


class ContentGenerationMiddleware:
    """Reads the content generation once, for every cache key of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.content_generation = read_generation()
        return self.get_response(request)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or not _is_cacheable_request(request):
            return self.get_response(request)

        site = getattr(request, "_wagtail_site", None)
        if site is None:
            return self.get_response(request)
        key = ":".join(
            (
                "page",
                str(request.content_generation),
                str(site.pk),
                # The name too: pages hold absolute addresses (canonical, sharing links).
                request_hostname(request),
                request.path,
                _page_number(request),
            )
        )
        store = content_cache()
        response = store.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if _is_cacheable_response(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            store.set(key, response, seconds)
            response["X-Page-Cache"] = "miss"
        return response


class CachedSiteMiddleware:
    """Find the Wagtail site of a request from the cache rather than the database.

    Wagtail looks the site up on every request and keeps it on `request._wagtail_site` (its
    documented per-request cache); we fill that attribute from the shared cache, with the root
    page's specific object already loaded, since routing starts from it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            sites = cached("wagtail-sites", _load_sites, request)
        except DatabaseError:
            sites = None  # let the view answer (/health/ reports the outage) instead of failing
        if sites is not None:
            hostname = split_domain_port(request._get_raw_host())[0]
            request._wagtail_site = match_site(sites, hostname, request.get_port())
        return self.get_response(request)


def _load_sites():
    """Every Wagtail site (a handful), in one cache entry whatever host names clients send."""
    sites = list(Site.objects.select_related("root_page"))
    for site in sites:
        site.root_page.specific  # noqa: B018 (loads and memoises it before pickling)
    return sites


def match_site(sites, hostname, port):
    """The site Wagtail would choose for this host name and port (wagtail.models.sites'
    get_site_for_hostname), chosen in memory: the exact name and port; else the name if it is
    the default site's; else the default site, unless exactly one other site has the name."""

    def rank(site):
        if site.hostname == hostname and str(site.port) == str(port):
            return 0
        if site.hostname == hostname and site.is_default_site:
            return 1
        return 2 if site.is_default_site else 3

    candidates = sorted(
        (site for site in sites if site.hostname == hostname or site.is_default_site), key=rank
    )
    if not candidates:
        return None
    if len(candidates) == 1 or rank(candidates[0]) in (0, 1):
        return candidates[0]
    if rank(candidates[0]) == 2:
        return candidates[len(candidates) == 2]
    return None
