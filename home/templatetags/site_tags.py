"""Navigation, breadcrumbs and language links for the site-wide layout."""

import uuid

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Site

from home.cache import cached, content_generation

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
        url = translate_url(path, code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    request = context.get("request")
    if request is None or not url:
        return url
    return request.build_absolute_uri(url)


@register.simple_tag(takes_context=True)
def content_cache_key(context):
    """(seconds, key) for {% cache %} fragments that change only when published content does.

    Usage: {% content_cache_key as ck %}{% cache ck.0 "name" page.pk ck.1 LANGUAGE_CODE %}
    A preview shows unsaved edits: it gets a key of its own and is not kept (0 seconds).
    """
    request = context.get("request")
    if getattr(request, "is_preview", False):
        return (0, f"preview-{uuid.uuid4().hex}")
    host = request.get_host() if request is not None else ""
    return (settings.CONTENT_CACHE_SECONDS, f"{content_generation(request)}-{host}")


@register.filter
def canonical_url(page, request):
    """The page's address in the site's content language (French), absolute."""
    path = translate_url(page.get_url(request), settings.LANGUAGE_CODE)
    return request.build_absolute_uri(path) if request is not None else path


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
    from home.identity import site_name as name

    return name()
