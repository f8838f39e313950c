"""The bulletin d'adhésion page (the membership settings editors change are in `models`)."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from home.blocks import BodyStreamBlock
from home.models import BasePage
from home.money import format_euros

from .bulletin import grid_rows, serve_bulletin
from .models import FeeGrid


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
        return serve_bulletin(self, request)
