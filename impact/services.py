"""The rules of reporting: a member saves answers (as a draft, as often as it likes), submits
before the campaign closes, a reviewer reads each answer and accepts it or asks for a change,
and the report is then reviewed, or returned to the member.

Every entry point (portal, admin, tasks) goes through these functions: they lock the report,
check its state, and check each figure against its indicator's type."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial

from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from home.cache import invalidate_page_cache

from .emails import send_review_outcome, send_review_request
from .models import Answer, AnswerPart, Campaign, Indicator, Report
from .permissions import can_edit_report

Kind = Indicator.Kind


# What an answer says (its review and remarks aside).
ANSWER_FIELDS = ("not_applicable", "value", "numerator", "denominator", "yes_no", "text")


class ReportError(Exception):
    """A rule refused the change; the message says why, in French, for the person."""


@dataclass
class AnswerInput:
    """What was typed for one indicator, as text (forms and autosave send text)."""

    not_applicable: bool = False
    value: str = ""
    numerator: str = ""
    denominator: str = ""
    yes_no: str = ""  # "oui", "non" or ""
    text: str = ""
    comment: str = ""
    source: str = ""
    parts: dict = field(default_factory=dict)  # category id -> text


def _number(raw, errors, key, *, whole=False):
    raw = (raw or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not raw:
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        errors[key] = _("Saisissez un nombre, par ex. 12 ou 12,5.")
        return None
    if not number.is_finite():
        errors[key] = _("Saisissez un nombre, par ex. 12 ou 12,5.")
        return None
    if number < 0:
        errors[key] = _("Un nombre négatif n’a pas de sens ici.")
        return None
    if whole and number != number.to_integral_value():
        errors[key] = _("Saisissez un nombre entier.")
        return None
    # Rounded first: 999999999999.995 rounds up past what the column holds.
    if number >= Decimal("1e12") or number.quantize(Decimal("0.01")) >= Decimal("1e12"):
        errors[key] = _("Ce nombre est trop grand.")
        return None
    return number.quantize(Decimal("0.01"))


def check_answer(indicator, data):
    """The values to store for `data` (an AnswerInput), and the errors by field, in French."""
    errors = {}
    values = {
        "not_applicable": bool(data.not_applicable),
        "value": None,
        "numerator": None,
        "denominator": None,
        "yes_no": None,
        "text": (data.text or "").strip(),
        "comment": (data.comment or "").strip(),
        "source": (data.source or "").strip()[:300],
    }
    parts = {}
    if values["not_applicable"]:
        values["text"] = ""
        return values, parts, errors
    kind = indicator.kind
    if kind == Kind.PERCENTAGE:
        numerator = _number(data.numerator, errors, "numerator")
        denominator = _number(data.denominator, errors, "denominator")
        if denominator is not None and denominator == 0:
            errors["denominator"] = _("Le dénominateur ne peut pas être nul.")
            denominator = None
        if numerator is not None and denominator is not None and numerator > denominator:
            errors["numerator"] = _(
                "Le numérateur dépasse le dénominateur : le pourcentage passerait 100 %."
            )
        if (numerator is None) != (denominator is None) and not errors:
            missing = "denominator" if denominator is None else "numerator"
            errors[missing] = _("Donnez le numérateur et le dénominateur, ou aucun des deux.")
        values["numerator"], values["denominator"] = numerator, denominator
    elif kind == Kind.YES_NO:
        choice = (data.yes_no or "").strip().lower()
        if choice not in ("", "oui", "non"):
            errors["yes_no"] = _("Répondez oui ou non.")
        values["yes_no"] = {"oui": True, "non": False}.get(choice)
    elif kind in (Kind.COUNT, Kind.AMOUNT, Kind.SCALE):
        value = _number(data.value, errors, "value", whole=kind in (Kind.COUNT, Kind.SCALE))
        if (
            kind == Kind.SCALE
            and value is not None
            and not (Indicator.SCALE_MIN <= value <= Indicator.SCALE_MAX)
        ):
            errors["value"] = _("Choisissez une note de 1 à 5.")
            value = None
        values["value"] = value
    if kind != Kind.TEXT:
        values["text"] = ""
    if kind in (Kind.COUNT, Kind.AMOUNT):
        categories = {c.pk: c for b in indicator.breakdowns.all() for c in b.categories.all()}
        for category_id, raw in (data.parts or {}).items():
            category = categories.get(int(category_id))
            if category is None:
                continue
            number = _number(raw, errors, f"part-{category.pk}", whole=kind == Kind.COUNT)
            if number is not None:
                parts[category.pk] = number
        if values["value"] is not None:
            _check_parts_within_total(indicator, values["value"], parts, errors)
    return values, parts, errors


def _check_parts_within_total(indicator, total, parts, errors):
    """A breakdown's parts cannot add up to more than the answer (some may be unknown, so less
    is fine): the parts that do are refused, and keep what was stored."""
    for breakdown in indicator.breakdowns.all():
        given = [c.pk for c in breakdown.categories.all() if c.pk in parts]
        added = sum(parts[pk] for pk in given)
        if added <= total:
            continue
        message = _("Les parts « %(breakdown)s » (%(added)s) dépassent le total (%(total)s).") % {
            "breakdown": breakdown.name,
            "added": floatformat(added, -2),
            "total": floatformat(total, -2),
        }
        for pk in given:
            errors[f"part-{pk}"] = message
            del parts[pk]


def report_for(organisation, campaign):
    """The organisation's report for the campaign, made as a draft the first time."""
    report, _created = Report.objects.get_or_create(organisation=organisation, campaign=campaign)
    return report


@transaction.atomic
def save_answers(report, inputs, *, today=None):
    """Store `inputs` ({indicator id: AnswerInput}); returns the errors ({indicator id: {field:
    message}}). What is valid is saved even when another answer has an error: nothing typed is
    lost. Refused when the report is no longer the member's to change."""
    report = Report.objects.select_for_update().select_related("campaign").get(pk=report.pk)
    decision = can_edit_report(report, today)
    if not decision:
        raise ReportError(decision.reason)
    indicators = {
        i.pk: i for i in report.campaign.indicators().prefetch_related("breakdowns__categories")
    }
    existing = {a.indicator_id: a for a in report.answers.all()}
    all_errors = {}
    for indicator_id, data in inputs.items():
        indicator = indicators.get(int(indicator_id))
        if indicator is None:
            continue
        values, parts, errors = check_answer(indicator, data)
        if errors:
            all_errors[indicator.pk] = errors
            # Keep the fields that are right; drop only the wrong ones (a percentage's two
            # numbers go together: one without the other could break the pair stored).
            wrong = set(errors)
            if wrong & {"numerator", "denominator"}:
                wrong |= {"numerator", "denominator"}
            for key in wrong:
                values.pop(key, None)
        answer = existing.get(indicator.pk) or Answer(report=report, indicator=indicator)
        before = [getattr(answer, name) for name in ANSWER_FIELDS]
        for name, value in values.items():
            setattr(answer, name, value)
        if answer.pk and before != [getattr(answer, name) for name in ANSWER_FIELDS]:
            # A changed answer is read again, even one the reviewer had accepted: what the
            # network publishes has been read by someone.
            answer.review = Answer.Review.PENDING
        answer.save()
        if indicator.kind in (Kind.COUNT, Kind.AMOUNT):
            # A part typed wrong keeps its stored value until it is typed right.
            kept = [int(key.split("-", 1)[1]) for key in errors if key.startswith("part-")]
            answer.parts.exclude(category_id__in=[*parts, *kept]).delete()
            for category_id, value in parts.items():
                AnswerPart.objects.update_or_create(
                    answer=answer, category_id=category_id, defaults={"value": value}
                )
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    return all_errors


def missing_answers(report):
    """The campaign's indicators this report leaves unanswered (« non applicable » answers)."""
    answers = {a.indicator_id: a for a in report.answers.select_related("indicator")}
    return [
        indicator
        for indicator in report.campaign.indicators()
        if indicator.pk not in answers or answers[indicator.pk].is_empty
    ]


def where_it_stands(organisation):
    """(département, [sector names]) of the organisation today, recorded on a report handed in."""
    sectors = sorted(organisation.sectors.values_list("name", flat=True))
    return organisation.departement, sectors


@transaction.atomic
def submit(report, *, now=None):
    """Hand the report in: every indicator answered (or « non applicable »), before the close."""
    now = now or timezone.now()
    report = (
        Report.objects.select_for_update()
        .select_related("campaign", "organisation")
        .get(pk=report.pk)
    )
    decision = can_edit_report(report, timezone.localdate(now))
    if not decision:
        raise ReportError(decision.reason)
    missing = missing_answers(report)
    if missing:
        raise ReportError(
            _(
                "Il manque %(count)s réponse(s), par ex. « %(name)s » : répondez ou cochez « non "
                "applicable »."
            )
            % {"count": len(missing), "name": missing[0].name}
        )
    # Answers the reviewer asked to change are read again.
    report.answers.filter(review=Answer.Review.TO_CHANGE).update(review=Answer.Review.PENDING)
    report.status = Report.Status.SUBMITTED
    report.submitted_at = now
    report.departement, report.sectors = where_it_stands(report.organisation)
    report.save(update_fields=["status", "submitted_at", "departement", "sectors", "updated_at"])
    if report.reviewer_id:
        transaction.on_commit(partial(send_review_request.enqueue, report.pk))
    return report


def reviewer_designated(report):
    """Staff named (or changed) the report's reviewer: a report already submitted is waiting,
    so they are told at once; otherwise they are told when it is submitted."""
    if report.reviewer_id and report.status == Report.Status.SUBMITTED:
        transaction.on_commit(partial(send_review_request.enqueue, report.pk))


@transaction.atomic
def review_answer(answer, verdict, comment=""):
    """A reviewer's verdict on one answer of a submitted report."""
    report = Report.objects.select_for_update().get(pk=answer.report_id)
    if report.status != Report.Status.SUBMITTED:
        raise ReportError(_("Seul un rapport remis, pas encore relu, se relit."))
    if verdict not in (Answer.Review.ACCEPTED, Answer.Review.TO_CHANGE):
        raise ReportError(_("Choisissez : validée ou à revoir."))
    if verdict == Answer.Review.TO_CHANGE and not comment.strip():
        raise ReportError(_("Dites à l’adhérent ce qu’il faut revoir."))
    Answer.objects.filter(pk=answer.pk).update(review=verdict, review_comment=comment.strip())


@transaction.atomic
def finish_review(report, *, now=None):
    """Close the review: the report is reviewed when every answer is accepted, returned to the
    member when one is to change. Every answer must have its verdict."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.SUBMITTED:
        raise ReportError(_("Seul un rapport remis, pas encore relu, se relit."))
    verdicts = set(report.answers.values_list("review", flat=True))
    if Answer.Review.PENDING in verdicts:
        raise ReportError(_("Chaque réponse attend encore votre avis : validée ou à revoir."))
    report.status = (
        Report.Status.RETURNED if Answer.Review.TO_CHANGE in verdicts else Report.Status.REVIEWED
    )
    report.reviewed_at = now or timezone.now()
    report.save(update_fields=["status", "reviewed_at", "updated_at"])
    # The member hears of it by e-mail, once the verdict is stored.
    transaction.on_commit(partial(send_review_outcome.enqueue, report.pk))
    if report.status == Report.Status.REVIEWED:
        # A reviewed report enters the network's figures: the page and the open data follow.
        transaction.on_commit(invalidate_page_cache)
    return report


def open_campaigns(today=None):
    today = today or timezone.localdate()
    return Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today)
