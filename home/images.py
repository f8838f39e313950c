"""Image renditions: made when an image is uploaded or a page published, never for a visitor.

Templates ask only for the filter specs listed in RENDITION_SPECS. The renditions are created by a
background task after an image is saved and again when a page is published, so a visitor's
request only reads existing renditions (prefetched in one query where pages are listed).
"""

from collections.abc import Iterable, Mapping

from django.db.models import Prefetch, prefetch_related_objects
from django_tasks import task
from wagtail.fields import StreamField
from wagtail.images import get_image_model

from .cache import invalidate_page_cache

# Keep in step with the {% image %} tags in the templates (a test checks that rendering the
# demo pages creates no rendition).
RENDITION_SPECS = {
    "hero": "fill-1400x560",
    "card": "fill-640x360",
    "content": "max-1000x800",
    "social": "fill-1200x630",
}


def prefetch_page_images(pages, field="image"):
    """Fetch the renditions of `field` for every page in one query."""
    Rendition = get_image_model().get_rendition_model()
    prefetch_related_objects(
        pages,
        Prefetch(
            f"{field}__renditions",
            queryset=Rendition.objects.filter(filter_spec__in=RENDITION_SPECS.values()),
            # The attribute Wagtail's own Image.prefetch_renditions() fills: a plain list, which
            # the rendition cache can pickle (a prefetched queryset cannot be).
            to_attr="prefetched_renditions",
        ),
    )
    return pages


def make_renditions(image):
    """Create every rendition the templates use for this image (existing ones are kept)."""
    return image.get_renditions(*RENDITION_SPECS.values())


@task()
def make_renditions_task(image_id):

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:
        make_renditions(image)
        # Pages cached before the renditions existed (the task worker runs after the commit)
        # would make a visitor's request create them: start a new generation now that they exist.
        invalidate_page_cache()


def images_of_page(page):
    """Every image a page shows: its own image fields and the images in its StreamFields."""
    Image = get_image_model()
    found = {}
    for field in page._meta.get_fields():
        if getattr(field, "related_model", None) is Image and field.many_to_one:
            image = getattr(page, field.name, None)
            if image is not None:
                found[image.pk] = image
        elif isinstance(field, StreamField):
            for image in _stream_images(getattr(page, field.name)):
                found[image.pk] = image
    return list(found.values())


def _stream_images(value):
    """Walk a StreamField value (streams, structs, lists) and yield the images in it."""
    if isinstance(value, get_image_model()):
        yield value
    elif isinstance(value, Mapping):  # StructValue
        for child in value.values():
            yield from _stream_images(child)
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes):  # stream or list
        for child in value:
            yield from _stream_images(getattr(child, "value", child))
