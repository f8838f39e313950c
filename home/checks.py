"""Deployment checks of our own (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def page_cache_needs_a_shared_cache(app_configs, **kwargs):
    if settings.PAGE_CACHE_SECONDS > 0 and not settings.REDIS_URL:
        return [
            Warning(
                "PAGE_CACHE_SECONDS is on without REDIS_URL: each process keeps its own copy of "
                "the pages, and a publication reaches only the process that handled it.",
                hint="Set REDIS_URL, or leave PAGE_CACHE_SECONDS at 0.",
                id="home.W001",
            )
        ]
    return []
