"""The bulletin's cached form and grid show the fee grid, the sectors and the membership
settings: a change to any of them starts a new content generation, so it is seen at once."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from home.cache import invalidate_page_cache


def _changed(sender, **kwargs):
    transaction.on_commit(invalidate_page_cache)


def connect_cache_invalidation():
    from .models import FeeGrid, FeeTier, Sector
    from .pages import MembershipSettings

    for model in (FeeGrid, FeeTier, Sector, MembershipSettings):
        name = model.__name__
        post_save.connect(_changed, sender=model, dispatch_uid=f"members-cache-save-{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"members-cache-del-{name}")
