"""Where the legal texts are: the footer lists them and every consent box links to them."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from home.cache import cached

NOTICE = "legal-notice"
PRIVACY = "privacy"
STATUTES = "statutes"
LABELS = {
    NOTICE: _("Mentions légales"),
    PRIVACY: _("Politique de confidentialité"),
    STATUTES: _("Statuts de l’association"),
}


def _live(model):
    return model.objects.live().public().only("url_path", "title").first()


def privacy_notice():
    """The published privacy notice, or None while editors have not placed one."""
    from .pages import PrivacyNoticePage

    return _live(PrivacyNoticePage)


def privacy_notice_url(request=None):
    """Its address ("" when there is none), read through the cache: every form shows it."""

    def compute():
        notice = privacy_notice()
        return notice.get_url(request) if notice is not None else ""

    return cached(f"privacy-notice-url:{get_language()}", compute, request)


def legal_settings(request=None):
    """The legal settings with their statutes document, read through the cache (they are
    forgotten with the rest of the content when they change: privacy/signals.py)."""
    from .models import LegalSettings

    def compute():
        # Read, never made here: a GET writes nothing (Wagtail's load() would create the row),
        # and the statutes come in the same query, to be cached with the settings.
        return LegalSettings.objects.select_related("statutes_document").first() or LegalSettings()

    return cached("legal-settings", compute, request)


def statutes_document(request=None):
    return legal_settings(request).statutes_document


def accessibility_label(page):
    """The footer link says the conformity status, as the RGAA asks (« Accessibilité : … »)."""
    return _("Accessibilité : %(status)s") % {"status": page.get_status_display()}


def legal_links(request=None):
    """[(label, url), …] for the footer, in a fixed order, skipping what does not exist yet."""
    from .pages import AccessibilityStatementPage, LegalNoticePage, PrivacyNoticePage

    links = []
    for kind, model in ((NOTICE, LegalNoticePage), (PRIVACY, PrivacyNoticePage)):
        page = _live(model)
        if page is not None:
            links.append((LABELS[kind], page.get_url(request)))
    accessibility = (
        AccessibilityStatementPage.objects.live().public().only("url_path", "status").first()
    )
    if accessibility is not None:
        links.append((accessibility_label(accessibility), accessibility.get_url(request)))
    document = statutes_document(request)
    if document is not None:
        links.append((LABELS[STATUTES], document.url))
    return links
