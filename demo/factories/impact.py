"""Factories for the social-utility reporting (impact/): dimensions, indicators, breakdowns,
campaigns and reports. The demo builds with them too."""

import datetime

import factory
from django.utils import timezone

from demo.factories.members import OrganisationFactory
from impact.models import (
    Breakdown,
    BreakdownCategory,
    Campaign,
    CampaignIndicator,
    Dimension,
    Indicator,
    Report,
)
from impact.services import where_it_stands


class DimensionFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Dimension {n}")
    slug = factory.Sequence(lambda n: f"dimension-{n}")

    class Meta:
        model = Dimension


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A count of people by default; pass kind=… (a percentage gets its two labels)."""

    dimension = factory.SubFactory(DimensionFactory)
    code = factory.Sequence(lambda n: f"indicateur-{n}")
    name = factory.Sequence(lambda n: f"Indicateur {n}")
    definition = "Ce que l’on compte, sur l’année civile."
    kind = Indicator.Kind.COUNT
    unit = factory.LazyAttribute(lambda o: "" if o.kind == Indicator.Kind.TEXT else "personnes")
    numerator_label = factory.LazyAttribute(
        lambda o: "bénévoles formés" if o.kind == Indicator.Kind.PERCENTAGE else ""
    )
    denominator_label = factory.LazyAttribute(
        lambda o: "bénévoles" if o.kind == Indicator.Kind.PERCENTAGE else ""
    )

    class Meta:
        model = Indicator


def make_breakdown(name="Genre", labels=("Femmes", "Hommes", "Autre")):
    breakdown = Breakdown.objects.create(name=name, slug=name.lower())
    for order, label in enumerate(labels):
        BreakdownCategory.objects.create(breakdown=breakdown, label=label, sort_order=order)
    return breakdown


class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign open today, for last year; `indicators=[…]` picks them (none by default)."""

    year = factory.Sequence(lambda n: 2000 + n)
    title = factory.LazyAttribute(lambda o: f"Utilité sociale {o.year}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    # Published by default, so that a reviewed report shows in the figures; the rule that an
    # unpublished campaign shows none has its own tests.
    figures_public = True

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    @factory.post_generation
    def indicators(self, create, extracted, **kwargs):
        for order, indicator in enumerate(extracted or []):
            CampaignIndicator.objects.create(campaign=self, indicator=indicator, sort_order=order)


class ReportFactory(factory.django.DjangoModelFactory):
    """A draft by default; pass status=… and it was submitted now."""

    campaign = factory.SubFactory(CampaignFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = Report.Status.DRAFT
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == Report.Status.DRAFT else timezone.now()
    )
    # Handed in: where the organisation stands is recorded, as services.submit does.
    departement = factory.LazyAttribute(
        lambda o: "" if o.status == Report.Status.DRAFT else where_it_stands(o.organisation)[0]
    )
    sectors = factory.LazyAttribute(
        lambda o: [] if o.status == Report.Status.DRAFT else where_it_stands(o.organisation)[1]
    )

    class Meta:
        model = Report
