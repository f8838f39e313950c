"""A yearly campaign: the indicators it asks for, when it opens and closes, and whether the
renewal page invites members to report."""

import datetime

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

# A report returned for changes may be corrected this long after the close when the campaign
# sets no date of its own: the review mostly happens after the close.
CORRECTION_DAYS = 30


class Campaign(ClusterableModel):
    year = models.PositiveSmallIntegerField(
        _("année mesurée"), unique=True, help_text=_("L’année dont les adhérents rendent compte.")
    )
    title = models.CharField(_("titre"), max_length=150)
    introduction = models.TextField(_("introduction"), blank=True)
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("clôture"), help_text=_("Dernier jour pour remettre."))
    corrections_close_on = models.DateField(
        _("fin des corrections"),
        null=True,
        blank=True,
        help_text=_(
            "Dernier jour pour corriger et remettre à nouveau un rapport renvoyé par le "
            "relecteur. Vide : 30 jours après la clôture."
        ),
    )
    figures_public = models.BooleanField(
        _("chiffres publiés"),
        default=False,
        help_text=_(
            "Les chiffres de la campagne paraissent sur la page « L’impact du réseau » et dans "
            "les données ouvertes. Cochez-le une fois la relecture terminée : publiés d’un "
            "coup, ils ne trahissent la réponse d’aucune association (publiés au fil des "
            "relectures, chaque changement révélerait celle d’un rapport)."
        ),
    )
    invite_on_renewal = models.BooleanField(
        _("inviter à remettre lors du renouvellement"),
        default=True,
        help_text=_("La page de renouvellement de l’adhésion invite l’adhérent à remplir."),
    )

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("title")]),
        FieldPanel("introduction"),
        FieldRowPanel(
            [FieldPanel("opens_on"), FieldPanel("closes_on"), FieldPanel("corrections_close_on")]
        ),
        FieldRowPanel([FieldPanel("invite_on_renewal"), FieldPanel("figures_public")]),
        InlinePanel("campaign_indicators", label=_("Indicateurs demandés"), min_num=1),
    ]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="campaign_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(corrections_close_on__isnull=True)
                | Q(corrections_close_on__gte=F("closes_on")),
                name="campaign_corrections_after_close",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("La clôture ne peut pas précéder l’ouverture.")})
        if (
            self.closes_on
            and self.corrections_close_on
            and self.corrections_close_on < self.closes_on
        ):
            raise ValidationError(
                {"corrections_close_on": _("Les corrections ne peuvent finir avant la clôture.")}
            )

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    @property
    def corrections_deadline(self):
        """The last day a returned report may be corrected and handed in again."""
        return self.corrections_close_on or self.closes_on + datetime.timedelta(
            days=CORRECTION_DAYS
        )

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
