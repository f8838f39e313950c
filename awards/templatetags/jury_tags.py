"""Template helpers of the jury area."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def attachment_url(attachment):
    """The address that serves an attachment to staff and assigned jurors."""
    return reverse("awards:attachment", args=[attachment.pk])


@register.filter
def score_total(value):
    """A weighted total as the page shows it: one decimal, or None left as is."""
    return None if value is None else round(value, 1)


@register.filter
def size_kb(size):
    return max(1, round((size or 0) / 1024))
