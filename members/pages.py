"""The bulletin d'adhésion page and the membership settings editors change in Wagtail."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.search import index

from home.blocks import BodyStreamBlock
from home.models import BasePage


def parse_offsets(value):
    """« -30, 0, 30 » -> [-30, 0, 30]: days from the end of the membership year."""
    try:
        return sorted({int(part) for part in value.replace(" ", "").split(",") if part})
    except ValueError as error:
        raise ValidationError(
            _("Indiquez des nombres de jours séparés par des virgules, par ex. « -30, 0, 30 ».")
        ) from error


def validate_offsets(value):
    parse_offsets(value)


@register_setting(icon="euro")
class MembershipSettings(BaseGenericSetting):
    """How memberships run: the year, renewals, reminders, and where offline payments go."""

    year_start_month = models.PositiveSmallIntegerField(
        _("mois de début de l’année d’adhésion"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1 pour une année civile (janvier à décembre)."),
    )
    renewal_opens_days = models.PositiveSmallIntegerField(
        _("ouverture du renouvellement (jours avant la fin)"), default=60
    )
    reminder_offsets = models.CharField(
        _("relances (jours par rapport à la fin de l’adhésion)"),
        max_length=100,
        default="-30, 0, 30",
        validators=[validate_offsets],
        help_text=_(
            "Par ex. « -30, 0, 30 » : 30 jours avant, le jour de l’échéance, 30 jours après."
        ),
    )
    bank_account_holder = models.CharField(_("titulaire du compte"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    cheque_payable_to = models.CharField(_("chèque à l’ordre de"), max_length=200, blank=True)
    cheque_address = models.TextField(_("adresse d’envoi des chèques"), blank=True)
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("year_start_month"),
                FieldPanel("renewal_opens_days"),
                FieldPanel("reminder_offsets"),
            ],
            heading=_("Année d’adhésion et relances"),
        ),
        MultiFieldPanel(
            [FieldPanel("bank_account_holder"), FieldPanel("iban"), FieldPanel("bic")],
            heading=_("Virements"),
        ),
        MultiFieldPanel(
            [FieldPanel("cheque_payable_to"), FieldPanel("cheque_address")],
            heading=_("Chèques"),
        ),
    ]

    class Meta:
        verbose_name = _("adhésions")

    def offsets(self):
        return parse_offsets(self.reminder_offsets)


class MembershipPage(BasePage):
    """The bulletin d'adhésion: the editors' text, the current fee grid and the form."""

    body = StreamField(BodyStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    # The grid is searchable as text (« cotisation », a tier's name, an amount): the page is
    # indexed again when the grid changes (members/signals.py).
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("fee_grid_text"),
    ]
    max_count = 1
    subpage_types = []

    class Meta:
        verbose_name = _("bulletin d’adhésion")

    def fee_grid_text(self):
        """The fee grids this page shows or will show, in words, for the search index: this
        year's and those made in advance. Which one the page shows moves with the date (when
        renewals open); indexing them all keeps the entry right without a save."""
        from django.utils import timezone, translation

        from home.money import format_euros

        from .bulletin import grid_rows
        from .models import FeeGrid

        grids = FeeGrid.objects.filter(year__gte=timezone.localdate().year - 1)
        parts = []
        with translation.override(settings.LANGUAGE_CODE):
            for grid in grids.order_by("year").prefetch_related("tiers"):
                parts += [str(_("Grille de cotisation")), str(grid.year), grid.notes]
                for row in grid_rows(grid):
                    tier = row["tier"]
                    amount = "" if tier.free_amount else format_euros(tier.amount_cents)
                    parts += [tier.label, str(row["rule"]), amount]
        return " ".join(part for part in parts if part)

    def serve(self, request, *args, **kwargs):
        # The form is personal: never from the page cache (BasePage.serve would allow it).
        from .bulletin import serve_bulletin

        return serve_bulletin(self, request)
