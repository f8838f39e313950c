"""The network's figures are cached with the site's content (home/cache.py): an edit of the
framework (an indicator's name or definition, a dimension) or of a campaign (its figures made
public, or withdrawn) starts a new content generation.
A reviewed report does the same, from impact.services.finish_review."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from home.cache import invalidate_page_cache

from .models import Campaign, Dimension, Indicator


def _framework_changed(sender, **kwargs):
    transaction.on_commit(invalidate_page_cache)


def connect_cache_invalidation():
    for model in (Indicator, Dimension, Campaign):
        for signal in (post_save, post_delete):
            signal.connect(
                _framework_changed, sender=model, dispatch_uid=f"impact-{model.__name__}"
            )
