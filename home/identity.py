"""The association's identity, read one way everywhere: the public site, the admin, e-mails
and PDFs all take its name and address from the SiteIdentity setting of the default site."""

from django.conf import settings
from wagtail.models import Site

from .models import SiteIdentity


def site_identity():
    """The default site's identity (read through the cache), or the setting's defaults when
    there is no site yet: a document or an e-mail is still made."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return SiteIdentity()
    return SiteIdentity.for_site(site)


def site_name():
    """The association's name, as the public site shows it."""
    return site_identity().name or settings.SITE_NAME_DEFAULT
