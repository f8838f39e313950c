"""The award's public pages: one page per edition, and its laureates' pages under it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from home.blocks import BodyStreamBlock
from home.models import BasePage


class AwardPage(BasePage):
    """An edition's page: presentation, calendar, rules, criteria, jury; « Candidater » while
    the call is open; its laureates once the results are out."""

    edition = models.OneToOneField(
        "awards.AwardEdition",
        verbose_name=_("édition"),
        on_delete=models.PROTECT,
        related_name="page",
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("présentation"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("edition"),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["awards.LaureatePage"]

    class Meta:
        verbose_name = _("page d’une édition du prix")


class LaureatePage(BasePage):
    """A laureate: the partnership told from its application, with photos and video."""

    application = models.OneToOneField(
        "awards.Application",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="laureate_page",
    )
    prize_name = models.CharField(_("prix reçu"), max_length=150, blank=True)
    association_name = models.CharField(_("association"), max_length=200)
    company_name = models.CharField(_("entreprise"), max_length=200)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("le partenariat"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("prize_name"),
        FieldPanel("association_name"),
        FieldPanel("company_name"),
        FieldPanel("image"),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    parent_page_types = ["awards.AwardPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lauréat")
        verbose_name_plural = _("lauréats")

    def social_image(self):
        return self.image
