"""An organisation pseudonymised (members.erasure) loses what was typed as free text in its
reports, and the designated reviewer; its numbers stay, so past figures do not move."""

from decimal import Decimal

import pytest

from demo.factories.impact import CampaignFactory, IndicatorFactory, ReportFactory
from demo.factories.members import OrganisationFactory, UserFactory
from impact.models import Answer, Indicator, Report
from members.erasure import pseudonymise_organisation

pytestmark = pytest.mark.django_db


def test_pseudonymising_an_organisation_erases_its_free_text_and_keeps_its_numbers():
    count = IndicatorFactory(name="Bénévoles actifs")
    story = IndicatorFactory(name="Fait marquant", kind=Indicator.Kind.TEXT)
    campaign = CampaignFactory(year=2025, indicators=[count, story])
    jardins = OrganisationFactory(name="Les Jardins Partagés")
    report = ReportFactory(
        campaign=campaign,
        organisation=jardins,
        status=Report.Status.REVIEWED,
        reviewer=UserFactory(),
    )
    Answer.objects.create(
        report=report, indicator=count, value=Decimal(30), comment="Compté par Alice Martin",
        source="Registre de Mme Martin", review_comment="Merci Alice",
    )  # fmt: skip
    Answer.objects.create(report=report, indicator=story, text="Alice Martin a fondé…")
    other = ReportFactory(campaign=campaign, status=Report.Status.REVIEWED)
    Answer.objects.create(report=other, indicator=story, text="Une autre histoire")

    pseudonymise_organisation(jardins, by_user=None)

    kept = Answer.objects.get(report=report, indicator=count)
    assert kept.value == 30
    assert (kept.comment, kept.source, kept.review_comment) == ("", "", "")
    assert Answer.objects.get(report=report, indicator=story).text == ""
    report.refresh_from_db()
    assert report.reviewer is None and report.status == Report.Status.REVIEWED
    # Another organisation's report is untouched.
    assert Answer.objects.get(report=other).text == "Une autre histoire"
