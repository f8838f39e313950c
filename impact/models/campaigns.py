"""A yearly campaign: the indicators it asks for, when it opens and closes, and whether the
renewal page invites members to report."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from .framework import Indicator


class Campaign(ClusterableModel):
    year = models.PositiveSmallIntegerField(
        _("année mesurée"), unique=True, help_text=_("L’année dont les adhérents rendent compte.")
    )
    title = models.CharField(_("titre"), max_length=150)
    introduction = models.TextField(_("introduction"), blank=True)
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("clôture"), help_text=_("Dernier jour pour remettre."))
    invite_on_renewal = models.BooleanField(
        _("inviter à remettre lors du renouvellement"),
        default=True,
        help_text=_("La page de renouvellement de l’adhésion invite l’adhérent à remplir."),
    )

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("title")]),
        FieldPanel("introduction"),
        FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
        FieldPanel("invite_on_renewal"),
        InlinePanel("campaign_indicators", label=_("Indicateurs demandés"), min_num=1),
    ]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="campaign_closes_after_opening"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("La clôture ne peut pas précéder l’ouverture.")})

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def indicators(self):
        return Indicator.objects.filter(campaign_links__campaign=self).order_by(
            "campaign_links__sort_order", "pk"
        )


class CampaignIndicator(Orderable):
    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="campaign_indicators")
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="campaign_links",
        verbose_name=_("indicateur"),
    )

    panels = [FieldPanel("indicator")]

    class Meta(Orderable.Meta):
        verbose_name = _("indicateur demandé")
        verbose_name_plural = _("indicateurs demandés")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "indicator"], name="campaignindicator_unique"
            )
        ]
