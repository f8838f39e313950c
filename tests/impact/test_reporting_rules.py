"""The rules of reporting, whatever the entry point: figures checked against their indicator's
type, drafts that keep what is right, submission before the close with every answer given,
and the review that accepts the report or returns it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from demo.factories.impact import CampaignFactory, IndicatorFactory, ReportFactory, make_breakdown
from impact import services
from impact.models import Answer, Indicator, Report
from impact.services import AnswerInput, ReportError

pytestmark = pytest.mark.django_db

Kind = Indicator.Kind


@pytest.fixture
def indicators():
    return {
        "volunteers": IndicatorFactory(name="Bénévoles actifs", kind=Kind.COUNT),
        "budget": IndicatorFactory(name="Budget", kind=Kind.AMOUNT, unit="€"),
        "trained": IndicatorFactory(name="Part des bénévoles formés", kind=Kind.PERCENTAGE),
        "governance": IndicatorFactory(name="Participation", kind=Kind.SCALE, unit="note"),
        "charter": IndicatorFactory(name="Charte du bénévolat", kind=Kind.YES_NO, unit=""),
        "story": IndicatorFactory(name="Un fait marquant", kind=Kind.TEXT),
    }


@pytest.fixture
def report(indicators):
    return ReportFactory(campaign=CampaignFactory(indicators=list(indicators.values())))


def answers(report):
    return {a.indicator.name: a for a in report.answers.select_related("indicator")}


def test_each_type_is_stored_in_its_own_field(report, indicators):
    errors = services.save_answers(
        report,
        {
            indicators["volunteers"].pk: AnswerInput(value="1 250", source="registre"),
            indicators["budget"].pk: AnswerInput(value="48 500,50"),
            indicators["trained"].pk: AnswerInput(numerator="12", denominator="40"),
            indicators["governance"].pk: AnswerInput(value="4"),
            indicators["charter"].pk: AnswerInput(yes_no="oui"),
            indicators["story"].pk: AnswerInput(text="  Un nouveau local.  "),
        },
    )
    assert errors == {}
    saved = answers(report)
    assert saved["Bénévoles actifs"].value == Decimal("1250")
    assert saved["Bénévoles actifs"].source == "registre"
    assert saved["Budget"].value == Decimal("48500.50")
    assert saved["Part des bénévoles formés"].percentage == Decimal("30")
    assert saved["Participation"].value == 4
    assert saved["Charte du bénévolat"].yes_no is True
    assert saved["Un fait marquant"].text == "Un nouveau local."


@pytest.mark.parametrize(
    "name, data, field, message",
    [
        ("volunteers", AnswerInput(value="-3"), "value", "négatif"),
        ("volunteers", AnswerInput(value="2,5"), "value", "entier"),
        ("volunteers", AnswerInput(value="beaucoup"), "value", "Saisissez un nombre"),
        ("governance", AnswerInput(value="6"), "value", "de 1 à 5"),
        ("trained", AnswerInput(numerator="50", denominator="40"), "numerator", "100 %"),
        ("trained", AnswerInput(numerator="5", denominator="0"), "denominator", "nul"),
        ("trained", AnswerInput(numerator="5"), "denominator", "aucun des deux"),
        ("charter", AnswerInput(yes_no="peut-être"), "yes_no", "oui ou non"),
    ],
)
def test_a_wrong_figure_is_explained_in_french_on_its_field(
    report, indicators, name, data, field, message
):
    indicator = indicators[name]
    errors = services.save_answers(report, {indicator.pk: data})
    assert message in str(errors[indicator.pk][field])


def test_a_wrong_answer_does_not_lose_the_others_nor_its_comment(report, indicators):
    errors = services.save_answers(
        report,
        {
            indicators["volunteers"].pk: AnswerInput(value="-1", comment="à vérifier"),
            indicators["budget"].pk: AnswerInput(value="1000"),
        },
    )
    assert list(errors) == [indicators["volunteers"].pk]
    saved = answers(report)
    assert saved["Budget"].value == 1000
    assert saved["Bénévoles actifs"].value is None
    assert saved["Bénévoles actifs"].comment == "à vérifier"


def test_not_applicable_is_an_answer_distinct_from_empty(report, indicators):
    services.save_answers(
        report,
        {
            indicators["volunteers"].pk: AnswerInput(not_applicable=True, value="12"),
            indicators["budget"].pk: AnswerInput(),
        },
    )
    saved = answers(report)
    assert saved["Bénévoles actifs"].not_applicable and not saved["Bénévoles actifs"].is_empty
    assert saved["Bénévoles actifs"].value is None
    assert saved["Budget"].is_empty
    missing = {i.name for i in services.missing_answers(report)}
    assert "Budget" in missing and "Bénévoles actifs" not in missing


def test_breakdown_parts_are_stored_and_replaced(report, indicators):
    genre = make_breakdown()
    indicators["volunteers"].breakdowns.add(genre)
    women, men, other = genre.categories.all()
    volunteers = indicators["volunteers"].pk
    services.save_answers(
        report, {volunteers: AnswerInput(value="30", parts={women.pk: "18", men.pk: "12"})}
    )
    services.save_answers(report, {volunteers: AnswerInput(value="30", parts={women.pk: "20"})})
    answer = answers(report)["Bénévoles actifs"]
    assert {p.category.label: p.value for p in answer.parts.all()} == {"Femmes": 20}


def complete(report, indicators):
    services.save_answers(
        report,
        {
            indicators["volunteers"].pk: AnswerInput(value="12"),
            indicators["budget"].pk: AnswerInput(not_applicable=True),
            indicators["trained"].pk: AnswerInput(numerator="3", denominator="12"),
            indicators["governance"].pk: AnswerInput(value="3"),
            indicators["charter"].pk: AnswerInput(yes_no="non"),
            indicators["story"].pk: AnswerInput(text="Une fête de quartier."),
        },
    )


def test_submission_needs_every_answer(report, indicators):
    services.save_answers(report, {indicators["volunteers"].pk: AnswerInput(value="12")})
    with pytest.raises(ReportError, match="Il manque 5 réponse"):
        services.submit(report)
    complete(report, indicators)
    services.submit(report)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.submitted_at


def test_a_submitted_report_no_longer_changes(report, indicators):
    complete(report, indicators)
    services.submit(report)
    with pytest.raises(ReportError, match="a été remis"):
        services.save_answers(report, {indicators["volunteers"].pk: AnswerInput(value="99")})
    with pytest.raises(ReportError, match="a été remis"):
        services.submit(report)
    assert answers(report)["Bénévoles actifs"].value == 12


def test_nothing_changes_before_the_opening_nor_after_the_close(report, indicators):
    complete(report, indicators)
    after = report.campaign.closes_on + datetime.timedelta(days=1)
    before = report.campaign.opens_on - datetime.timedelta(days=1)
    with pytest.raises(ReportError, match="close"):
        services.save_answers(report, {}, today=after)
    with pytest.raises(ReportError, match="pas encore ouverte"):
        services.save_answers(report, {}, today=before)
    with pytest.raises(ReportError, match="close"):
        services.submit(report, now=timezone.now() + datetime.timedelta(days=60))


def test_review_returns_the_report_then_accepts_it(report, indicators):
    complete(report, indicators)
    services.submit(report)
    saved = answers(report)
    with pytest.raises(ReportError, match="ce qu’il faut revoir"):
        services.review_answer(saved["Budget"], Answer.Review.TO_CHANGE, "")
    for name, answer in saved.items():
        verdict = Answer.Review.TO_CHANGE if name == "Budget" else Answer.Review.ACCEPTED
        services.review_answer(answer, verdict, "Le budget est connu : donnez-le.")
    assert services.finish_review(report).status == Report.Status.RETURNED

    # The member sees the remark, completes, submits again: the answer is read again.
    assert answers(report)["Budget"].review_comment == "Le budget est connu : donnez-le."
    services.save_answers(report, {indicators["budget"].pk: AnswerInput(value="9000")})
    services.submit(report)
    assert answers(report)["Budget"].review == Answer.Review.PENDING
    with pytest.raises(ReportError, match="attend encore"):
        services.finish_review(report)
    services.review_answer(answers(report)["Budget"], Answer.Review.ACCEPTED)
    assert services.finish_review(report).status == Report.Status.REVIEWED


def test_only_a_submitted_report_is_reviewed(report, indicators):
    complete(report, indicators)
    with pytest.raises(ReportError, match="Seul un rapport remis"):
        services.review_answer(answers(report)["Budget"], Answer.Review.ACCEPTED)
    with pytest.raises(ReportError, match="Seul un rapport remis"):
        services.finish_review(report)


def test_an_indicator_with_answers_keeps_its_type_and_unit(report, indicators):
    volunteers = indicators["volunteers"]
    volunteers.kind = Kind.AMOUNT
    volunteers.full_clean()  # no answer yet: it may still change
    volunteers.kind = Kind.COUNT
    services.save_answers(report, {volunteers.pk: AnswerInput(value="3")})
    volunteers.kind, volunteers.unit = Kind.AMOUNT, "€"
    with pytest.raises(ValidationError) as error:
        volunteers.full_clean()
    assert set(error.value.message_dict) == {"kind", "unit"}
    volunteers.kind, volunteers.unit = Kind.COUNT, "personnes"
    volunteers.name = "Bénévoles actifs dans l’année"
    volunteers.full_clean()  # the wording may still change


def test_a_percentage_says_what_it_counts():
    indicator = IndicatorFactory.build(
        kind=Kind.PERCENTAGE, numerator_label="", denominator_label="", dimension=None
    )
    with pytest.raises(ValidationError, match="numérateur et son dénominateur"):
        indicator.clean()


@pytest.mark.parametrize(
    "fields",
    [{"value": -1}, {"numerator": 5, "denominator": 4}, {"denominator": 0}, {"numerator": -1}],
)
def test_the_database_refuses_impossible_figures(report, indicators, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(report=report, indicator=indicators["trained"], **fields)


def test_one_report_per_organisation_and_campaign(report):
    assert services.report_for(report.organisation, report.campaign) == report
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(organisation=report.organisation, campaign=report.campaign)


def test_a_percentage_pair_half_wrong_keeps_the_pair_stored(report, indicators):
    trained = indicators["trained"].pk
    services.save_answers(report, {trained: AnswerInput(numerator="50", denominator="100")})
    errors = services.save_answers(report, {trained: AnswerInput(numerator="50", denominator="40")})
    assert "numerator" in errors[trained]
    answer = answers(report)["Part des bénévoles formés"]
    assert (answer.numerator, answer.denominator) == (50, 100)  # no IntegrityError, no half


def test_a_number_too_large_once_rounded_is_refused_not_a_server_error(report, indicators):
    budget = indicators["budget"].pk
    errors = services.save_answers(report, {budget: AnswerInput(value="999999999999,995")})
    assert "trop grand" in str(errors[budget]["value"])


def test_a_part_typed_wrong_keeps_its_stored_value(report, indicators):
    genre = make_breakdown()
    indicators["volunteers"].breakdowns.add(genre)
    women = genre.categories.get(label="Femmes")
    volunteers = indicators["volunteers"].pk
    services.save_answers(report, {volunteers: AnswerInput(value="30", parts={women.pk: "18"})})
    services.save_answers(report, {volunteers: AnswerInput(value="30", parts={women.pk: "-2"})})
    answer = answers(report)["Bénévoles actifs"]
    assert {p.category.label: p.value for p in answer.parts.all()} == {"Femmes": 18}


def test_a_breakdowns_parts_cannot_add_up_to_more_than_the_total(report, indicators):
    genre = make_breakdown()
    indicators["volunteers"].breakdowns.add(genre)
    women, men = genre.categories.get(label="Femmes"), genre.categories.get(label="Hommes")
    volunteers = indicators["volunteers"].pk
    assert not services.save_answers(
        report, {volunteers: AnswerInput(value="30", parts={women.pk: "18"})}
    )  # fewer than the total: the rest is unknown, that is fine
    errors = services.save_answers(
        report, {volunteers: AnswerInput(value="30", parts={women.pk: "20", men.pk: "15"})}
    )
    message = "Les parts « Genre » (35) dépassent le total (30)."
    assert errors[volunteers] == {f"part-{women.pk}": message, f"part-{men.pk}": message}
    answer = answers(report)["Bénévoles actifs"]
    assert answer.value == 30  # the total typed is kept, the parts as they were
    assert {p.category.label: p.value for p in answer.parts.all()} == {"Femmes": 18}


def test_an_accepted_answer_changed_afterwards_is_read_again(report, indicators):
    complete(report, indicators)
    services.submit(report)
    for answer in answers(report).values():
        verdict = Answer.Review.TO_CHANGE if answer.indicator.name == "Budget" else "accepted"
        services.review_answer(answer, verdict, "Donnez le budget.")
    services.finish_review(report)
    # Returned: the member also changes an answer the reviewer had accepted.
    services.save_answers(
        report,
        {
            indicators["budget"].pk: AnswerInput(value="9000"),
            indicators["volunteers"].pk: AnswerInput(value="99"),
            indicators["charter"].pk: AnswerInput(yes_no="non"),  # unchanged
        },
    )
    services.submit(report)
    saved = answers(report)
    assert saved["Bénévoles actifs"].review == Answer.Review.PENDING
    assert saved["Budget"].review == Answer.Review.PENDING
    assert saved["Charte du bénévolat"].review == Answer.Review.ACCEPTED
