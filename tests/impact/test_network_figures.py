"""The network's figures: only reviewed reports count, no figure stands for fewer than 5
organisations (tested with 4), free text is never public, percentages are pooled, and the page
and the open data show the same numbers."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from demo.factories.home import build_site
from demo.factories.impact import CampaignFactory, IndicatorFactory, ReportFactory
from demo.factories.members import OrganisationFactory
from impact import services
from impact.aggregates import network_figures
from impact.models import Answer, Campaign, Indicator, Report
from impact.pages import ImpactPage

pytestmark = pytest.mark.django_db

Kind = Indicator.Kind


@pytest.fixture
def framework():
    return {
        "volunteers": IndicatorFactory(name="Bénévoles actifs", code="benevoles", kind=Kind.COUNT),
        "trained": IndicatorFactory(name="Bénévoles formés", code="formes", kind=Kind.PERCENTAGE),
        "charter": IndicatorFactory(name="Charte", code="charte", kind=Kind.YES_NO, unit=""),
        "story": IndicatorFactory(name="Fait marquant", code="fait", kind=Kind.TEXT),
    }


def report(campaign, organisation, status=Report.Status.REVIEWED, answers=None):
    """A report with `answers` ({indicator: field values}), at `status`."""
    report = ReportFactory(campaign=campaign, organisation=organisation, status=status)
    for indicator, values in (answers or {}).items():
        Answer.objects.create(report=report, indicator=indicator, **values)
    return report


def network(framework, count, departement="44", status=Report.Status.REVIEWED, year=2025):
    campaign = CampaignFactory(year=year, indicators=list(framework.values()))
    for n in range(count):
        organisation = OrganisationFactory(departement=departement, postal_code=f"{departement}000")
        report(
            campaign,
            organisation,
            status,
            answers={
                framework["volunteers"]: {"value": Decimal(10 * (n + 1))},
                framework["trained"]: {"numerator": Decimal(n % 11), "denominator": Decimal(10)},
                framework["charter"]: {"yes_no": n % 2 == 0},
                framework["story"]: {"text": f"Secret de l’association {n}"},
            },
        )
    return campaign


def figure(figures, code, year=2025):
    item = next(i for i in figures["indicators"] if i["indicator"].code == code)
    return item["by_year"][year]


def test_five_organisations_make_a_figure_four_do_not(framework):
    campaign = network(framework, 4)
    assert not figure(network_figures(), "benevoles").published
    assert figure(network_figures(), "benevoles").total is None
    network(framework, 1, year=2024)  # another year does not add up with this one
    assert not figure(network_figures(), "benevoles").published
    report(
        campaign, OrganisationFactory(), answers={framework["volunteers"]: {"value": Decimal(1)}}
    )
    assert figure(network_figures(), "benevoles").published


def test_totals_medians_pooled_percentages_and_shares(framework):
    network(framework, 5)
    figures = network_figures()
    volunteers = figure(figures, "benevoles")
    assert volunteers.organisations == 5
    assert volunteers.total == 150 and volunteers.median == 30
    trained = figure(figures, "formes")
    assert trained.total == Decimal(10 * 100) / 50  # (0+1+2+3+4) / (5 × 10), pooled
    assert figure(figures, "charte").share_yes == 60
    assert all(i["indicator"].code != "fait" for i in figures["indicators"])


def test_only_reviewed_reports_count(framework):
    network(framework, 5, status=Report.Status.SUBMITTED)
    network(framework, 5, status=Report.Status.DRAFT, year=2024)
    assert network_figures()["years"] == []


def add_reports(campaign, framework, departement, count):
    for _n in range(count):
        report(
            campaign,
            OrganisationFactory(departement=departement, postal_code=f"{departement}000"),
            answers={framework["volunteers"]: {"value": Decimal(7)}},
        )


def by_departement(year=2025):
    item = next(i for i in network_figures()["indicators"] if i["indicator"].code == "benevoles")
    return item["by_departement"][year], item["by_year"][year]


def test_a_small_departement_is_not_shown_and_cannot_be_found_by_subtraction(framework):
    campaign = network(framework, 6, departement="44")
    add_reports(campaign, framework, "85", 5)
    add_reports(campaign, framework, "53", 2)
    departements, whole = by_departement()
    assert whole.published and whole.organisations == 13
    assert not departements["53"].published and departements["53"].total is None
    # The network minus Loire-Atlantique would be Mayenne's two: Vendée is withheld with them
    # (the smallest slice shown), so what is hidden stands for 7 organisations.
    assert not departements["85"].published and departements["85"].total is None
    assert departements["44"].published and departements["44"].total == 210


def test_nothing_more_is_withheld_when_the_hidden_slices_are_five_or_none(framework):
    campaign = network(framework, 6, departement="44")
    add_reports(campaign, framework, "85", 5)
    departements, _whole = by_departement()
    assert departements["44"].published and departements["85"].published  # none hidden
    add_reports(campaign, framework, "53", 3)
    add_reports(campaign, framework, "49", 2)
    departements, _whole = by_departement()
    assert not departements["53"].published and not departements["49"].published
    assert departements["44"].published and departements["85"].published  # 3 + 2 hidden: 5


def test_a_campaign_shows_its_figures_only_once_staff_publish_them(framework):
    campaign = network(framework, 6)
    Campaign.objects.filter(pk=campaign.pk).update(figures_public=False)
    assert network_figures()["years"] == []
    Campaign.objects.filter(pk=campaign.pk).update(figures_public=True)
    assert figure(network_figures(), "benevoles").total == 210


@pytest.fixture
def impact_page():
    home = build_site()["home"]
    return home.add_child(instance=ImpactPage(title="L’impact du réseau", slug="impact"))


def test_the_page_shows_charts_and_tables_and_never_free_text(client, framework, impact_page):
    network(framework, 5)
    network(framework, 4, year=2024)
    html = client.get(impact_page.url).content.decode()
    assert html.count("<svg") == 3 and "<table" in html
    assert "Bénévoles actifs, par année" in html
    assert "moins de 5 organisations : non publié" in html  # 2024
    assert "Secret de l’association" not in html and "Fait marquant" not in html
    assert reverse("impact:open_data_csv") in html


def test_the_open_data_matches_the_page(client, framework, impact_page):
    network(framework, 5)
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("impact:open_data_csv")).content.decode()))
    )
    network_row = next(
        r for r in rows if r["indicateur"] == "benevoles" and r["tranche"] == "reseau"
    )
    assert float(network_row["total"]) == 150.0 and network_row["publie"] == "oui"
    assert not any(r["indicateur"] == "fait" for r in rows)
    assert "150" in client.get(impact_page.url).content.decode()
    data = client.get(reverse("impact:open_data_json")).json()
    assert "Etalab" in data["licence"]["nom"] and data["seuil_organisations"] == 5
    assert any(d["colonne"] == "mediane" for d in data["dictionnaire"])
    assert data["donnees"] and not any(d["indicateur"] == "fait" for d in data["donnees"])
    dictionary = client.get(reverse("impact:data_dictionary")).content.decode()
    assert "colonne,description" in dictionary and "benevoles" in dictionary


def test_a_review_refreshes_the_cached_figures(
    client, framework, impact_page, django_capture_on_commit_callbacks
):

    network(framework, 4)
    assert "moins de 5 organisations" in client.get(impact_page.url).content.decode()
    fifth = report(
        Campaign.objects.get(year=2025),
        OrganisationFactory(),
        Report.Status.SUBMITTED,
        answers={framework["volunteers"]: {"value": Decimal(50)}},
    )
    for answer in fifth.answers.all():
        services.review_answer(answer, Answer.Review.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.finish_review(fifth)
    assert figure(network_figures(), "benevoles").published
    html = client.get(impact_page.url).content.decode()
    assert "Bénévoles actifs" in html and "150" in html


@pytest.mark.parametrize("organisations", [5, 25])
def test_the_page_costs_the_same_whatever_the_network(
    client, framework, impact_page, organisations, django_assert_max_num_queries
):
    network(framework, organisations)
    client.get(impact_page.url)
    with django_assert_max_num_queries(6):
        assert client.get(impact_page.url).status_code == 200


def test_the_site_search_finds_the_page_by_an_indicators_definition(client, framework):
    framework["volunteers"].definition = "Bénévoles venus au moins quatre fois dans l’année."
    framework["volunteers"].save()
    network(framework, 5)  # free-text answers « Secret de l’association n »
    home = build_site()["home"]
    home.add_child(instance=ImpactPage(title="L’impact du réseau", slug="impact"))
    page = client.get(reverse("search:results"), {"q": "quatre fois"}).content.decode()
    assert "L’impact du réseau" in page
    page = client.get(reverse("search:results"), {"q": "Secret"}).content.decode()
    assert "L’impact du réseau" not in page


def test_the_open_data_waits_for_a_published_page_and_hides_small_counts(client, framework):
    network(framework, 5)
    network(framework, 3, year=2024)
    assert client.get(reverse("impact:open_data_csv")).status_code == 404
    assert client.get(reverse("impact:open_data_json")).status_code == 404
    home = build_site()["home"]
    home.add_child(instance=ImpactPage(title="L’impact du réseau", slug="impact"))
    data = client.get(reverse("impact:open_data_json")).json()["donnees"]
    small = [d for d in data if d["annee"] == 2024 and d["tranche"] == "reseau"]
    assert small and all(d["organisations"] is None and d["publie"] == "non" for d in small)


def test_the_exports_never_hand_a_spreadsheet_a_formula(client, framework):
    framework["volunteers"].name = '=HYPERLINK("http://example.org")'
    framework["volunteers"].save()
    network(framework, 5)
    home = build_site()["home"]
    home.add_child(instance=ImpactPage(title="L’impact du réseau", slug="impact"))
    content = client.get(reverse("impact:open_data_csv")).content.decode()
    assert "'=HYPERLINK" in content and ",=HYPERLINK" not in content


def test_publishing_a_campaign_refreshes_the_cached_page(
    client, framework, impact_page, django_capture_on_commit_callbacks
):
    campaign = network(framework, 5)
    Campaign.objects.filter(pk=campaign.pk).update(figures_public=False)
    assert "150" not in client.get(impact_page.url).content.decode()  # cached without figures
    campaign.refresh_from_db()
    campaign.figures_public = True
    with django_capture_on_commit_callbacks(execute=True):
        campaign.save()
    assert "150" in client.get(impact_page.url).content.decode()


def test_the_open_data_gives_a_scales_distribution(client, impact_page):
    mood = IndicatorFactory(name="Climat", code="climat", kind=Kind.SCALE, unit="")
    campaign = CampaignFactory(year=2025, indicators=[mood])
    for value in (1, 3, 3, 5, 5, 5):
        report(campaign, OrganisationFactory(), answers={mood: {"value": Decimal(value)}})
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("impact:open_data_csv")).content.decode()))
    )
    row = next(r for r in rows if r["indicateur"] == "climat" and r["tranche"] == "reseau")
    assert [row[f"echelle_{n}"] for n in range(1, 6)] == ["1", "0", "2", "0", "3"]
    assert row["mediane"] == "4.0"


def test_figures_by_sector_and_departement_are_where_each_stood_when_it_reported(framework):
    from members.models import Sector

    culture, _new = Sector.objects.get_or_create(name="Culture")
    sport, _new = Sector.objects.get_or_create(name="Sport")
    volunteers = framework["volunteers"]
    campaign = CampaignFactory(year=2025, indicators=[volunteers])
    organisations = []
    for n in range(6):
        organisation = OrganisationFactory(departement="44", postal_code="44000")
        organisation.sectors.set([culture, sport] if n < 5 else [culture])
        draft = ReportFactory(campaign=campaign, organisation=organisation)
        services.save_answers(draft, {volunteers.pk: services.AnswerInput(value=str(n + 1))})
        services.submit(draft)
        services.review_answer(draft.answers.get(), Answer.Review.ACCEPTED)
        services.finish_review(draft)
        organisations.append(organisation)
    # Afterwards, one moves to Vendée and leaves sport: the 2025 figures do not move.
    organisations[0].departement = "85"
    organisations[0].save()
    organisations[0].sectors.set([culture])
    item = next(i for i in network_figures()["indicators"] if i["indicator"].code == "benevoles")
    assert item["by_sector"][2025]["Culture"].total == 21
    assert (
        item["by_sector"][2025]["Sport"].total == 15 and item["by_sector"][2025]["Sport"].published
    )
    assert list(item["by_departement"][2025]) == ["44"]
    assert item["by_departement"][2025]["44"].organisations == 6
