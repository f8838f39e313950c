"""Make image renditions ahead of visitors, and forget cached pages when content changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import invalidate_page_cache
from .images import images_of_page, make_renditions_task
from .models import SiteIdentity


@receiver(post_save, sender=get_image_model())
def image_saved(sender, instance, **kwargs):
    image_id = instance.pk
    transaction.on_commit(lambda: make_renditions_task.enqueue(image_id))


@receiver(page_published)
def page_published_handler(sender, instance, **kwargs):
    image_ids = [image.pk for image in images_of_page(instance)]

    def after_commit():
        for image_id in image_ids:
            make_renditions_task.enqueue(image_id)
        invalidate_page_cache()

    transaction.on_commit(after_commit)


@receiver(page_unpublished)
def page_unpublished_handler(sender, instance, **kwargs):
    transaction.on_commit(invalidate_page_cache)


def _content_changed(sender, **kwargs):
    transaction.on_commit(invalidate_page_cache)


def _name_the_site(sender, instance, **kwargs):
    """Wagtail's admin names the site after Site.site_name (its dashboard, its site list): it
    follows the association's name, so that there is one name everywhere."""
    if instance.site_id and instance.name:
        Site.objects.filter(pk=instance.site_id).exclude(site_name=instance.name).update(
            site_name=instance.name
        )


def connect_cache_invalidation():
    """Pages moved or deleted, privacy, settings, images and documents edited: forget the cached
    content."""
    post_page_move.connect(_content_changed, dispatch_uid="home-cache-page-move")
    # A page made private must leave the cached menus, fragments and pages at once; an edited
    # image gets new renditions, whose addresses the cached fragments hold; a document's title
    # and address (its file name) are in the fragments that link to it (an edition's rules).
    media = (get_image_model(), get_document_model())
    for model in (Page, Site, SiteIdentity, PageViewRestriction, *media):
        name = model.__name__
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"home-cache-del-{name}")
    for model in (Site, SiteIdentity, PageViewRestriction, *media):
        name = model.__name__
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"home-cache-save-{name}")
    post_save.connect(_name_the_site, sender=SiteIdentity, dispatch_uid="home-site-name")
