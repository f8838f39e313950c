"""The bulletin's cached form and grid show the fee grid, the sectors and the membership
settings: a change to any of them starts a new content generation, so it is seen at once."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.search import index

from home.cache import invalidate_page_cache
from home.transactions import on_commit_once

from .models import FeeGrid, FeeTier, MembershipSettings, Sector
from .pages import MembershipPage


def _changed(sender, **kwargs):
    transaction.on_commit(invalidate_page_cache)


def _grid_changed(sender, **kwargs):
    on_commit_once(reindex_bulletin_pages)


def reindex_bulletin_pages():
    """The bulletin's search entry holds the grid's text (MembershipPage.fee_grid_text), in
    the database index (the search app sends it to Elasticsearch on the same changes)."""
    for page in MembershipPage.objects.live():
        index.insert_or_update_object(page)


def connect_cache_invalidation():

    for model in (FeeGrid, FeeTier, Sector, MembershipSettings):
        name = model.__name__
        post_save.connect(_changed, sender=model, dispatch_uid=f"members-cache-save-{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"members-cache-del-{name}")
    for model in (FeeGrid, FeeTier, MembershipSettings):
        name = model.__name__
        post_save.connect(_grid_changed, sender=model, dispatch_uid=f"members-index-save-{name}")
        post_delete.connect(_grid_changed, sender=model, dispatch_uid=f"members-index-del-{name}")
