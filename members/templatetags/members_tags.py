from django import template

from home.money import format_euros

register = template.Library()


@register.filter
def euros(cents):
    """Cents as French euros: 12000 -> « 120 € »."""
    return "" if cents is None else format_euros(cents)
