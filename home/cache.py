"""Anonymous page cache: published pages served from the cache to visitors without a session.

Only responses that are safe to share are stored: GET or HEAD, status 200, from a request with no
session cookie, that set no cookie (a page with a form sets the CSRF cookie, so it is never
stored) and that the view did not mark private or `never_cache`. Any content change (publish,
unpublish, move, delete, site settings) bumps a generation number, so every cached page is
forgotten at once: menus and news lists appear on many pages.

Turned on by PAGE_CACHE_SECONDS > 0.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils.cache import get_max_age

GENERATION_KEY = "page-cache:generation"


def invalidate_page_cache():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates the old keys
        cache.set(GENERATION_KEY, 1, None)


def _cache_key(request, generation):
    return f"page-cache:{generation}:{request.get_host()}:{request.get_full_path()}"


def _is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(("/admin/", "/django-admin/"))
    )


def _is_cacheable_response(response):
    if response.status_code != 200 or response.cookies or response.streaming:
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control or get_max_age(response) == 0:
        return False
    # A page that varies on something other than the cookie (absent, as checked above) or the
    # language (given by the path) could differ between visitors.
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= {"cookie", "accept-language"}


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or not _is_cacheable_request(request):
            return self.get_response(request)

        generation = cache.get(GENERATION_KEY, 0)
        key = _cache_key(request, generation)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached

        response = self.get_response(request)
        if getattr(response, "page_cacheable", False) and _is_cacheable_response(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, seconds)
            response["X-Page-Cache"] = "miss"
        return response


def content_generation():
    """A number that changes whenever published content changes (see invalidate_page_cache)."""
    return cache.get(GENERATION_KEY, 0)


class CachedSiteMiddleware:
    """Find the Wagtail site of a request from the cache rather than the database.

    Wagtail looks the site up on every request and keeps it on `request._wagtail_site` (its
    documented per-request cache); we fill that attribute from the shared cache, which any
    change to a Site empties (home/signals.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from wagtail.models import Site

        key = f"wagtail-site:{content_generation()}:{request._get_raw_host()}:{request.get_port()}"
        site = cache.get(key)
        if site is None:
            try:
                site = Site._find_for_request(request)
            except DatabaseError:
                # Let the view answer (/health/ reports the outage) instead of failing here.
                return self.get_response(request)
            if site is not None:
                # Routing starts from the root page's specific object: keep it with the site.
                site.root_page.specific  # noqa: B018 (loads and memoises it before pickling)
                cache.set(key, site, settings.CONTENT_CACHE_SECONDS)
        request._wagtail_site = site
        return self.get_response(request)
