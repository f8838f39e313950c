"""A member reports from the portal: the campaigns of its organisations, the form that keeps
what was typed and says what is wrong in French, the autosave, the submission, and the
read-only report after it. Another organisation's report answers 404."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.factories.impact import CampaignFactory, IndicatorFactory, make_breakdown
from demo.factories.members import OrganisationFactory, UserFactory
from impact.models import Indicator, Report
from members.models import Contact

pytestmark = pytest.mark.django_db

Kind = Indicator.Kind


@pytest.fixture
def campaign():
    volunteers = IndicatorFactory(name="Bénévoles actifs", kind=Kind.COUNT)
    volunteers.breakdowns.add(make_breakdown())
    trained = IndicatorFactory(name="Part des bénévoles formés", kind=Kind.PERCENTAGE)
    return CampaignFactory(
        year=2026, title="Utilité sociale 2026", indicators=[volunteers, trained]
    )


@pytest.fixture
def jardins():
    return OrganisationFactory(name="Les Jardins Partagés")


@pytest.fixture
def member(client, jardins):
    user = UserFactory(email="alice@jardins.example.org")
    Contact.objects.create(organisation=jardins, user=user, role="president", is_primary=True)
    client.force_login(user)
    return client


def url(organisation, campaign, name="impact:report"):
    return reverse(name, args=[organisation.pk, campaign.year])


def fields(campaign):
    volunteers, trained = campaign.indicators()
    return volunteers, trained


def test_anonymous_visitors_are_sent_to_the_login_page(client, campaign, jardins):
    for address in (reverse("impact:portal"), url(jardins, campaign)):
        response = client.get(address)
        assert response.status_code == 302 and reverse("members:login") in response["Location"]


def test_the_portal_lists_the_open_campaign_of_each_organisation(member, campaign, jardins):
    page = member.get(reverse("members:portal")).content.decode()
    assert reverse("impact:portal") in page
    page = member.get(reverse("impact:portal")).content.decode()
    assert "Les Jardins Partagés" in page and url(jardins, campaign) in page
    assert "à remplir" in page


def test_another_organisations_report_answers_404(member, campaign):
    velo = OrganisationFactory(name="Atelier Vélo")
    assert member.get(url(velo, campaign)).status_code == 404
    assert member.post(url(velo, campaign, "impact:report_autosave")).status_code == 404
    assert not Report.objects.filter(organisation=velo).exists()


def test_saving_a_draft_keeps_the_answers(member, campaign, jardins):
    volunteers, trained = fields(campaign)
    women = volunteers.breakdowns.get().categories.get(label="Femmes")
    page = member.get(url(jardins, campaign)).content.decode()
    assert "Bénévoles actifs" in page and "Part des bénévoles formés" in page
    assert not Report.objects.exists()  # a GET writes nothing: the first save makes the draft
    response = member.post(
        url(jardins, campaign),
        {
            f"i{volunteers.pk}_value": "1 250",
            f"i{volunteers.pk}_part_{women.pk}": "700",
            f"i{volunteers.pk}_source": "registre des bénévoles",
            f"i{trained.pk}_numerator": "12",
            f"i{trained.pk}_denominator": "40",
            "save": "",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Brouillon enregistré." in page
    assert 'value="1250"' in page and 'value="700"' in page and "registre des bénévoles" in page
    answer = Report.objects.get().answers.get(indicator=trained)
    assert answer.percentage == 30


def test_a_wrong_figure_is_explained_and_what_was_typed_is_kept(member, campaign, jardins):
    volunteers, trained = fields(campaign)
    response = member.post(
        url(jardins, campaign),
        {
            f"i{volunteers.pk}_value": "-4",
            f"i{trained.pk}_numerator": "50",
            f"i{trained.pk}_denominator": "40",
            f"i{trained.pk}_comment": "un commentaire à garder",
            "save": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Un nombre négatif n’a pas de sens ici." in page
    assert "Le numérateur dépasse le dénominateur" in page
    assert 'value="-4"' in page and 'value="50"' in page
    # The summary names the indicator and links to the field.
    assert re.search(rf'href="#id_i{volunteers.pk}_value"[^>]*>Bénévoles actifs — ', page)
    report = Report.objects.get()
    assert report.answers.get(indicator=trained).comment == "un commentaire à garder"


def test_submitting_needs_every_answer_then_the_report_is_read_only(member, campaign, jardins):
    volunteers, trained = fields(campaign)
    response = member.post(
        url(jardins, campaign), {f"i{volunteers.pk}_value": "30", "submit": ""}, follow=True
    )
    assert "Il manque 1 réponse" in response.content.decode()
    assert Report.objects.get().status == Report.Status.DRAFT
    response = member.post(
        url(jardins, campaign),
        {f"i{volunteers.pk}_value": "30", f"i{trained.pk}_na": "on", "submit": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "Rapport remis : merci" in page
    assert '<form method="post" novalidate data-autosave' not in page
    assert "non applicable" in page and "30 personnes" in page
    assert Report.objects.get().status == Report.Status.SUBMITTED
    # A late post changes nothing.
    member.post(url(jardins, campaign), {f"i{volunteers.pk}_value": "99", "save": ""})
    assert Report.objects.get().answers.get(indicator=volunteers).value == 30


def test_the_autosave_keeps_what_is_right(member, campaign, jardins):
    volunteers, trained = fields(campaign)
    response = member.post(
        url(jardins, campaign, "impact:report_autosave"),
        {f"i{volunteers.pk}_value": "12", f"i{trained.pk}_numerator": "x"},
    )
    data = response.json()
    assert data["saved"] is True and data["errors"] == [f"i{trained.pk}_numerator"]
    assert Report.objects.get().answers.get(indicator=volunteers).value == 12
    assert member.get(url(jardins, campaign, "impact:report_autosave")).status_code == 405


def test_after_the_close_a_report_never_started_answers_404(member, campaign, jardins):
    campaign.opens_on = timezone.localdate() - datetime.timedelta(days=60)
    campaign.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    campaign.save()
    assert member.get(url(jardins, campaign)).status_code == 404
    Report.objects.create(campaign=campaign, organisation=jardins)
    page = member.get(url(jardins, campaign)).content.decode()
    assert "La campagne est close" in page and "data-autosave" not in page


@pytest.mark.parametrize("count", [2, 20])
def test_the_report_page_costs_the_same_whatever_the_indicators(
    member, jardins, count, django_assert_max_num_queries
):
    indicators = [IndicatorFactory() for _ in range(count)]
    campaign = CampaignFactory(indicators=indicators)
    member.post(url(jardins, campaign), {"save": ""})  # the draft is made
    member.get(url(jardins, campaign))  # the site's identity and links, cached
    with django_assert_max_num_queries(13):
        assert member.get(url(jardins, campaign)).status_code == 200


def test_a_field_the_form_refuses_leaves_the_stored_answer_as_it_was(member, campaign, jardins):
    volunteers, trained = fields(campaign)
    member.post(url(jardins, campaign), {f"i{volunteers.pk}_value": "30", "save": ""})
    response = member.post(
        url(jardins, campaign, "impact:report_autosave"),
        {f"i{volunteers.pk}_value": "", f"i{volunteers.pk}_source": "x" * 301},
    )
    assert f"i{volunteers.pk}_source" in response.json()["errors"]
    assert Report.objects.get().answers.get(indicator=volunteers).value == 30
    page = member.post(
        url(jardins, campaign), {f"i{volunteers.pk}_source": "x" * 301, "save": ""}
    ).content.decode()
    assert "Assurez-vous que cette valeur comporte au plus 300" in page
    assert Report.objects.get().answers.get(indicator=volunteers).value == 30
