"""The legal pages editors place in the tree and introduce; their substance comes from the site
settings and the register of processing, so that it is said once and stays true."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Site
from wagtail.search import index

from home.blocks import BodyStreamBlock
from home.cache import cached
from home.models import BasePage, SiteIdentity

from . import register
from .cookies import necessary_cookies
from .models import legal_settings


class LegalPage(BasePage):
    """What the three legal pages share: one of each, no children, an optional free text."""

    body = StreamField(BodyStreamBlock(), verbose_name=_("texte complémentaire"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    max_count = 1
    subpage_types = []

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The site was found to serve the page: its identity comes from the cache.
        context["identity"] = SiteIdentity.for_site(Site.find_for_request(request))
        context["legal"] = legal_settings(request)
        context["contact_email"] = context["legal"].contact_email(context["identity"])
        return context


class LegalNoticePage(LegalPage):
    """« Mentions légales » (LCEN art. 6 III): publisher, director of publication, host."""

    class Meta:
        verbose_name = _("mentions légales")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["privacy_notice_url"] = privacy_notice_url(request)
        return context


class PrivacyNoticePage(LegalPage):
    """« Politique de confidentialité » (RGPD art. 13 and 14), written from the register."""

    class Meta:
        verbose_name = _("politique de confidentialité")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["audiences"] = register.by_audience()
        context["processors"] = list(register.PROCESSORS.values())
        context["cookies"] = necessary_cookies()
        return context


class AccessibilityStatementPage(LegalPage):
    """« Déclaration d'accessibilité », in the shape the RGAA 4.1 asks for."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"
    STATUSES = [
        (FULL, _("totalement conforme")),
        (PARTIAL, _("partiellement conforme")),
        (NONE, _("non conforme")),
    ]

    status = models.CharField(
        _("état de conformité au RGAA 4.1"), max_length=10, choices=STATUSES, default=PARTIAL
    )
    compliance_rate = models.PositiveSmallIntegerField(
        _("taux de critères respectés (%)"),
        null=True,
        blank=True,
        help_text=_("Laisser vide tant qu’aucun audit complet n’a été mené."),
    )
    checked_on = models.DateField(_("date de la dernière vérification"), null=True, blank=True)
    method = models.TextField(
        _("comment le site a été vérifié"),
        blank=True,
        help_text=_("Outils, navigateurs et pages vérifiées."),
    )
    known_issues = models.TextField(
        _("contenus non accessibles"),
        blank=True,
        help_text=_("Un contenu par ligne, avec ce qui est prévu pour y remédier."),
    )
    contact_email = models.EmailField(
        _("e-mail pour signaler un problème d’accès"),
        blank=True,
        help_text=_("Laisser vide pour utiliser l’e-mail de contact de l’association."),
    )

    content_panels = LegalPage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("compliance_rate"),
                FieldPanel("checked_on"),
                FieldPanel("method"),
                FieldPanel("known_issues"),
                FieldPanel("contact_email"),
            ],
            heading=_("Déclaration"),
        )
    ]

    class Meta:
        verbose_name = _("déclaration d’accessibilité")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["access_email"] = self.contact_email or context["identity"].email
        context["issues"] = [
            line.strip() for line in self.known_issues.splitlines() if line.strip()
        ]
        return context


def live_page(model):
    """The published page of this type (one of each), or None while editors have not placed
    it; only what its link needs is read."""
    return model.objects.live().public().only("url_path", "title").first()


def privacy_notice_url(request=None):
    """The privacy notice's address ("" when there is none), read through the cache: every
    form shows it."""

    def compute():
        notice = live_page(PrivacyNoticePage)
        return notice.get_url(request) if notice is not None else ""

    return cached(f"privacy-notice-url:{get_language()}", compute, request)
