"""Navigation, breadcrumbs and language links for the site-wide layout."""

from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override
from wagtail.models import Site

from home.cache import MAX_CACHED_PAGE, cached, content_generation, request_hostname
from home.identity import site_name as association_name
from home.origin import absolute

register = template.Library()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The site root's children marked « show in menus », each with its own children marked so
    (the submenu), cached until content changes: two queries however many sections."""
    request = context.get("request")
    current = context.get("page")
    site = Site.find_for_request(request) if request else None
    items = []
    if site is not None:
        items = cached(
            f"main-menu:{site.pk}:{get_language()}", lambda: _menu_items(site, request), request
        )
    current_path = getattr(current, "path", "")
    for item in items:
        item["active"] = bool(current_path) and current_path.startswith(item["path"])
        item["current"] = item["path"] == current_path
        for child in item["children"]:
            child["current"] = child["path"] == current_path
    return {"items": items, "request": request}


def _menu_items(site, request):
    root = site.root_page
    fields = ("title", "url_path", "path", "depth")
    sections = list(root.get_children().live().public().in_menu().only(*fields))
    items = [
        {"title": page.title, "url": page.get_url(request), "path": page.path, "children": []}
        for page in sections
    ]
    if not items:
        return items
    by_path = {item["path"]: item for item in items}
    children = (
        root.get_descendants()
        .filter(depth=root.depth + 2)
        .live()
        .public()
        .in_menu()
        .only(*fields)
        .order_by("path")
    )
    for page in children:
        parent = by_path.get(page.path[: -page.steplen])
        if parent is not None:
            parent["children"].append(
                {"title": page.title, "url": page.get_url(request), "path": page.path}
            )
    return items


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    request = context.get("request")
    if page is None or page.depth <= 2:
        return {"ancestors": [], "page": page}
    ancestors = page.get_ancestors().filter(depth__gte=2).live().only("title", "url_path", "path")
    return {"ancestors": [(a.title, a.get_url(request)) for a in ancestors], "page": page}


@register.simple_tag(takes_context=True)
def language_links(context):
    """(code, name, url, is_current) for each language, pointing at this same page."""
    request = context.get("request")
    path = request.path if request else "/"
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = local_path(translate_url(path, code), fallback=_language_home(code))
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


def local_path(url, fallback="/"):
    """`url` if it is a path on this site, else `fallback`.

    The language links echo the requested path, and a 404 page answers any path: `/%2Fevil.example/`
    arrives as `//evil.example/`, which a browser reads as another site (so does `/\\evil.example/`,
    browsers treating a backslash as a slash). Only a single leading slash with no scheme, host or
    backslash is a path of ours.
    """
    parts = urlsplit(url)
    if (
        not url.startswith("/")
        or url.startswith("//")
        or "\\" in url
        or parts.scheme
        or parts.netloc
        or any(ord(char) < 32 for char in url)
    ):
        return fallback
    return url


def _language_home(code):
    with override(code):
        return reverse("wagtail_serve", args=[""])


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    request = context.get("request")
    if request is None or not url:
        return url
    return absolute(request, url)


@register.simple_tag(takes_context=True)
def content_cache_key(context, page_number=None):
    """(seconds, key) for {% cache %} fragments that change only when published content does.

    Usage: {% content_cache_key as ck %}{% cache ck.0 "name" page.pk ck.1 LANGUAGE_CODE %}
    A preview shows unsaved edits, and a listing page past MAX_CACHED_PAGE would make one entry
    per number typed: neither is kept (0 seconds, one fixed key that is never read back).
    """
    request = context.get("request")
    if getattr(request, "is_preview", False):
        return (0, "not-kept")
    if page_number is not None and int(page_number) > MAX_CACHED_PAGE:
        return (0, "not-kept")
    site = getattr(request, "_wagtail_site", None)
    host = f"{site.pk if site else ''}-{request_hostname(request)}" if request is not None else ""
    return (settings.CONTENT_CACHE_SECONDS, f"{content_generation(request)}-{host}")


@register.filter
def canonical_url(page, request):
    """The page's address in the site's content language (French), absolute."""
    path = translate_url(page.get_url(request), settings.LANGUAGE_CODE)
    return absolute(request, path) if request is not None else path


@register.filter
def with_iframe_title(html, title):
    """Give an embedded player's <iframe> the title screen readers announce (WCAG 4.1.2)."""
    html = str(html)
    if "<iframe" in html and " title=" not in html.split(">", 1)[0]:
        html = html.replace("<iframe", f'<iframe title="{escape(title)}"', 1)
    return mark_safe(html)


@register.simple_tag
def site_name():
    """The association's name from the site settings (the admin shows it too)."""

    return association_name()
