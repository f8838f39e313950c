"""The legal texts for templates: `{% legal_links as links %}` in the footer and
`{% consent_links %}` next to every consent box."""

from django import template

from .. import links
from ..models import statutes_document
from ..pages import privacy_notice_url

register = template.Library()


@register.simple_tag(takes_context=True)
def legal_links(context):
    return links.legal_links(context.get("request"))


@register.inclusion_tag("privacy/_consent_links.html", takes_context=True)
def consent_links(context, statutes=False):
    """The texts a consent box accepts: the privacy notice and, for the bulletin, the statutes."""
    request = context.get("request")
    return {
        "privacy_url": privacy_notice_url(request),
        "statutes": statutes_document(request) if statutes else None,
    }
