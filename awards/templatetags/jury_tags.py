"""Template helpers of the jury area."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def attachment_url(attachment):
    """The address that serves an attachment to staff and assigned jurors."""
    return reverse("awards:attachment", args=[attachment.pk])


@register.filter
def size_kb(size):
    return max(1, round((size or 0) / 1024))
