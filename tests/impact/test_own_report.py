"""« Notre utilité sociale »: an organisation's answers over the years beside the network's
medians, as a page, a PDF and a CSV; only its own organisations, only submitted reports."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from demo.factories.impact import CampaignFactory, IndicatorFactory, ReportFactory
from demo.factories.members import OrganisationFactory, UserFactory
from impact.models import Answer, Indicator, Report
from members.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteers():
    return IndicatorFactory(
        name="Bénévoles actifs", definition="Venus au moins quatre fois dans l’année."
    )


@pytest.fixture
def jardins(volunteers):
    jardins = OrganisationFactory(name="Les Jardins Partagés", rna="W442000001")
    for year, value, status in (
        (2024, 20, "reviewed"),
        (2025, 30, "submitted"),
        (2026, 99, "draft"),
    ):
        campaign = CampaignFactory(year=year, indicators=[volunteers])
        report = ReportFactory(campaign=campaign, organisation=jardins, status=status)
        Answer.objects.create(report=report, indicator=volunteers, value=Decimal(value))
        if year == 2024:  # four others, reviewed: the network's median is published
            for n in range(4):
                other = ReportFactory(campaign=campaign, status=Report.Status.REVIEWED)
                Answer.objects.create(report=other, indicator=volunteers, value=Decimal(10 * n))
    return jardins


@pytest.fixture
def member(client, jardins):
    user = UserFactory(email="alice@jardins.example.org")
    Contact.objects.create(organisation=jardins, user=user, role="president", is_primary=True)
    client.force_login(user)
    return client


def test_the_page_shows_our_answers_and_the_network_median(member, jardins):
    page = member.get(reverse("impact:own", args=[jardins.pk])).content.decode()
    assert "Le bilan de Les Jardins Partagés" in page
    assert "Venus au moins quatre fois" in page
    assert "20 personnes" in page and "30 personnes" in page
    assert "99" not in page  # a draft is still being written
    assert ">20<" in page  # 2024: the median of 0, 10, 20, 20 (ours) and 30


def test_the_csv_and_the_pdf(member, jardins):
    response = member.get(reverse("impact:own_csv", args=[jardins.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Dimension", "Indicateur"]
    assert ["2024", "20 personnes", "20"] == rows[1][3:]
    assert ["2025", "30 personnes", ""] == rows[2][3:]
    pdf = member.get(reverse("impact:own_pdf", args=[jardins.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"Les Jardins Partag" in pdf.content


def test_another_organisation_answers_404(member, volunteers):
    velo = OrganisationFactory(name="Atelier Vélo")
    for name in ("impact:own", "impact:own_pdf", "impact:own_csv"):
        assert member.get(reverse(name, args=[velo.pk])).status_code == 404


def test_a_percentage_reads_as_one(member, jardins):
    trained = IndicatorFactory(name="Bénévoles formés", kind=Indicator.Kind.PERCENTAGE)
    report = Report.objects.get(organisation=jardins, campaign__year=2024)
    Answer.objects.create(
        report=report, indicator=trained, numerator=Decimal(1), denominator=Decimal(4)
    )
    page = member.get(reverse("impact:own", args=[jardins.pk])).content.decode()
    assert "25,0 %" in page


def test_the_pdf_holds_long_texts_and_many_years(member, jardins, volunteers):
    """A row of a table cannot run onto the next page: a long text answer or definition in a
    cell made reportlab fail. They are printed below the table, and the table keeps the latest
    years so that its columns stay readable."""
    from pypdf import PdfReader

    story = IndicatorFactory(name="Fait marquant", kind=Indicator.Kind.TEXT)
    story.definition = "Ce qui a marqué l’année. " * 400
    story.save()
    for year in range(2019, 2025):
        campaign = CampaignFactory(year=year + 100, indicators=[story])  # years 2119…2124
        report = ReportFactory(campaign=campaign, organisation=jardins, status="reviewed")
        text = f"Récit {year + 100} : " + "une longue histoire de jardin partagé. " * 600
        Answer.objects.create(report=report, indicator=story, text=text)
    response = member.get(reverse("impact:own_pdf", args=[jardins.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 3
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Récit 2124" in text and "Récit 2121" in text
    assert "Récit 2120" not in text  # the table's 4 latest years; the CSV has them all
    assert "toutes sont dans l’export CSV" in text
    csv_text = member.get(reverse("impact:own_csv", args=[jardins.pk])).content.decode()
    assert "Récit 2119" in csv_text
