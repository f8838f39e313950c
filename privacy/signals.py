"""The legal settings are shown in the cached footer and legal pages: forget them on change."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from home.cache import invalidate_page_cache

from .models import LegalSettings


def _legal_settings_changed(sender, **kwargs):
    transaction.on_commit(invalidate_page_cache)


def connect_cache_invalidation():

    post_save.connect(_legal_settings_changed, sender=LegalSettings, dispatch_uid="privacy-save")
    post_delete.connect(_legal_settings_changed, sender=LegalSettings, dispatch_uid="privacy-del")
