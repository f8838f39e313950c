"""What the public site keeps in the cache, and how it is all forgotten when content changes.

Everything cached from published content (the Wagtail site with its root page, the site
identity, the main menu, page fragments and, when PAGE_CACHE_SECONDS > 0, whole anonymous
pages) is keyed by a *content generation*: a number that every content change (publish,
unpublish, move, delete, privacy, images, site settings; see signals.py) replaces with a new,
never reused one. Old entries are then never read again and expire on their own.

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
from django.core.cache import cache
from django.db import DatabaseError
from django.utils.cache import get_max_age

GENERATION_KEY = "content-generation"


def invalidate_page_cache():
    """Start a new content generation: every cached page, fragment, menu and site is forgotten."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def content_generation(request=None):
    """The generation this request works with (read once), or the current one."""
    generation = getattr(request, "content_generation", None)
    if generation is None:
        generation = cache.get(GENERATION_KEY, 0)
    return generation


def cached(key, compute, request=None):
    """Read `key` through the cache, within the request's content generation."""
    full_key = f"{key}:{content_generation(request)}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(full_key, value, settings.CONTENT_CACHE_SECONDS)
    return value


def _is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    # Any other query string (tracking tags, cache busting) would make a new entry per visitor.
    if set(request.GET) - {"page"} or not request.GET.get("page", "1").isdigit():
        return False
    return not request.path.startswith(("/admin/", "/django-admin/"))


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
        request.content_generation = cache.get(GENERATION_KEY, 0)
        return self.get_response(request)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or not _is_cacheable_request(request):
            return self.get_response(request)

        key = f"page:{request.content_generation}:{request.get_host()}:{request.get_full_path()}"
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if _is_cacheable_response(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, seconds)
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
        from wagtail.models import Site

        def find_site():
            site = Site._find_for_request(request)
            if site is not None:
                site.root_page.specific  # noqa: B018 (loads and memoises it before pickling)
            return site

        try:
            request._wagtail_site = cached(
                f"wagtail-site:{request._get_raw_host()}:{request.get_port()}", find_site, request
            )
        except DatabaseError:
            pass  # let the view answer (/health/ reports the outage) instead of failing here
        return self.get_response(request)
