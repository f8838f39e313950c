"""Where the legal texts are: the footer lists them and every consent box links to them."""

from django.utils.translation import gettext_lazy as _

from .models import statutes_document
from .pages import AccessibilityStatementPage, LegalNoticePage, PrivacyNoticePage, live_page

NOTICE = "legal-notice"
PRIVACY = "privacy"
STATUTES = "statutes"
LABELS = {
    NOTICE: _("Mentions légales"),
    PRIVACY: _("Politique de confidentialité"),
    STATUTES: _("Statuts de l’association"),
}


def accessibility_label(page):
    """The footer link says the conformity status, as the RGAA asks (« Accessibilité : … »)."""
    return _("Accessibilité : %(status)s") % {"status": page.get_status_display()}


def legal_links(request=None):
    """[(label, url), …] for the footer, in a fixed order, skipping what does not exist yet."""
    links = []
    for kind, model in ((NOTICE, LegalNoticePage), (PRIVACY, PrivacyNoticePage)):
        page = live_page(model)
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
