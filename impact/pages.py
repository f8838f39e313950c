"""« L'impact du réseau »: the page editors place and introduce, showing the network's figures
(impact/aggregates.py) as charts, each with its table, and linking to the open data."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from home.cache import cached
from home.charts import chart
from home.models import BasePage

from .aggregates import MIN_ORGANISATIONS, PUBLIC_KINDS, network_figures
from .models import Indicator


def headline(indicator, figure):
    """The one number a chart shows for a figure: a total, a pooled percentage, a share of
    « oui », or the median score."""
    if not figure.published:
        return None
    kind = indicator.kind
    if kind == indicator.Kind.YES_NO:
        return figure.share_yes
    if kind == indicator.Kind.SCALE:
        return figure.median
    return figure.total


class ImpactPage(BasePage):
    """The network's figures, by dimension of social utility."""

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    search_fields = BasePage.search_fields + [index.SearchField("indicator_definitions")]
    max_count = 1
    subpage_types = []

    class Meta:
        verbose_name = _("l’impact du réseau")

    def indicator_definitions(self):
        """The framework's public definitions, for the site search (no member's answer)."""
        indicators = Indicator.objects.filter(kind__in=PUBLIC_KINDS).order_by("pk")
        return " ".join(f"{i.name} {i.definition}" for i in indicators)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        figures = cached("impact-network-figures", network_figures, request)
        sections, current = [], None
        for item in figures["indicators"]:
            indicator = item["indicator"]
            if current is None or current["dimension"] != indicator.dimension:
                current = {"dimension": indicator.dimension, "items": []}
                sections.append(current)
            years = figures["years"]
            last = years[-1] if years else None
            current["items"].append(
                {
                    **item,
                    "rows": [(year, item["by_year"][year]) for year in years],
                    "chart": chart(
                        _("%(name)s, par année : le détail est dans le tableau ci-contre.")
                        % {"name": indicator.name},
                        [(year, headline(indicator, item["by_year"][year])) for year in years],
                        percent=indicator.kind
                        in (indicator.Kind.PERCENTAGE, indicator.Kind.YES_NO),
                    ),
                    "last_year": last,
                    "departements": item["by_departement"].get(last, {}).items() if last else [],
                    "sectors": item["by_sector"].get(last, {}).items() if last else [],
                }
            )
        context.update(
            sections=sections,
            years=figures["years"],
            min_organisations=MIN_ORGANISATIONS,
        )
        return context
