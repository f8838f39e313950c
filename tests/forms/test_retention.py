"""The volunteering's and form pages' retention rules (forms/retention.py): unverified
submissions after 30 days, closed needs and withdrawn offers 2 years after their last activity
(with their matches), form answers 2 years after they were sent.

The clock is frozen by the rules' contract: they compute from the `now` they are given only.
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from demo.factories.forms import BoardNeedFactory, MatchFactory, VolunteerOfferFactory
from forms.models import BoardNeed, EmailVerification, Match, VolunteerOffer
from forms.pages import FormField, FormPage
from privacy import retention
from privacy.register import processing

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2031, 6, 15, 10, 0))
TWO_YEARS_AGO = timezone.make_aware(datetime.datetime(2029, 6, 15, 10, 0))
DAY = datetime.timedelta(days=1)
OLD = TWO_YEARS_AGO - DAY  # past the retention
YOUNG = TWO_YEARS_AGO + DAY  # a day before it ends

SLUGS = {
    "forms-unverified-submissions": "forms-volunteering",
    "forms-closed-needs": "forms-volunteering",
    "forms-withdrawn-offers": "forms-volunteering",
    "forms-form-submissions": "forms-form-pages",
}


def rule(slug):
    return next(rule for rule in retention.rules() if rule.slug == slug)


def dated(obj, **dates):
    """Set dates Django stamps itself (auto_now, auto_now_add), bypassing save()."""
    type(obj).objects.filter(pk=obj.pk).update(**dates)
    return obj


def need(status, when, **dates):
    return dated(
        BoardNeedFactory(status=status),
        **{"created_at": when, "updated_at": when, "consent_at": when, **dates},
    )


def offer(status, when):
    return dated(
        VolunteerOfferFactory(status=status), created_at=when, updated_at=when, consent_at=when
    )


def match(need, offer, when, **dates):
    return dated(
        MatchFactory(need=need, offer=offer, status=Match.Status.DECLINED),
        **{
            "created_at": when,
            "introduced_at": when,
            "declined_at": when,
            "association_answered_at": when,
            **dates,
        },
    )


def ids(model):
    return set(model.objects.values_list("pk", flat=True))


def test_unverified_submissions_go_after_30_days():
    def verification(days, used=False):
        row = EmailVerification.objects.create(
            kind=EmailVerification.Kind.OFFER,
            email=f"inconnu{days}@exemple.fr",
            payload={"first_name": "Camille"},
        )
        sent = NOW - datetime.timedelta(days=days)
        return dated(row, created_at=sent, used_at=sent if used else None)

    stale = verification(31)
    spent = verification(31, used=True)
    waiting = verification(29)
    apply = rule("forms-unverified-submissions").apply

    assert apply(NOW, True) == 2
    assert ids(EmailVerification) == {stale.pk, spent.pk, waiting.pk}

    assert apply(NOW, False) == 2
    assert ids(EmailVerification) == {waiting.pk}

    assert apply(NOW, False) == 0
    assert apply(NOW, True) == 0


def test_closed_needs_go_with_their_matches_two_years_after_their_last_activity():
    Status = BoardNeed.Status
    volunteer = offer(VolunteerOffer.Status.AVAILABLE, YOUNG)
    closed = need(Status.CLOSED, OLD, closed_at=OLD)
    closed_match = match(closed, volunteer, OLD)
    filled = need(Status.FILLED, OLD - 300 * DAY, confirmed_at=OLD)
    kept = {
        "recently closed": need(Status.CLOSED, OLD, closed_at=YOUNG),
        "modified since": need(Status.CLOSED, OLD, closed_at=OLD, updated_at=YOUNG),
        "still open": need(Status.OPEN, OLD),
        "in progress": need(Status.IN_PROGRESS, OLD),
        "match ended since": need(Status.FILLED, OLD, closed_at=OLD),
    }
    match(kept["match ended since"], volunteer, OLD, ended_at=YOUNG)
    apply = rule("forms-closed-needs").apply

    assert apply(NOW, True) == 2
    assert ids(BoardNeed) == {closed.pk, filled.pk, *(n.pk for n in kept.values())}
    assert Match.objects.filter(pk=closed_match.pk).exists()

    assert apply(NOW, False) == 2

    assert ids(BoardNeed) == {n.pk for n in kept.values()}
    assert not Match.objects.filter(pk=closed_match.pk).exists()
    assert VolunteerOffer.objects.filter(pk=volunteer.pk).exists()  # the other side stays

    assert apply(NOW, False) == 0
    assert apply(NOW, True) == 0


def test_withdrawn_offers_go_with_their_matches_two_years_after_their_last_activity():
    Status = VolunteerOffer.Status
    open_need = need(BoardNeed.Status.OPEN, YOUNG)
    withdrawn = offer(Status.WITHDRAWN, OLD)
    withdrawn_match = match(open_need, withdrawn, OLD)
    kept = {
        "recently withdrawn": offer(Status.WITHDRAWN, YOUNG),
        "available": offer(Status.AVAILABLE, OLD),
        "engaged": offer(Status.ENGAGED, OLD),
        "answered since": offer(Status.WITHDRAWN, OLD),
    }
    match(open_need, kept["answered since"], OLD, volunteer_answered_at=YOUNG)
    apply = rule("forms-withdrawn-offers").apply

    assert apply(NOW, True) == 1
    assert VolunteerOffer.objects.filter(pk=withdrawn.pk).exists()

    assert apply(NOW, False) == 1

    assert ids(VolunteerOffer) == {o.pk for o in kept.values()}
    assert not Match.objects.filter(pk=withdrawn_match.pk).exists()
    assert BoardNeed.objects.filter(pk=open_need.pk).exists()  # the open need stays

    assert apply(NOW, False) == 0
    assert apply(NOW, True) == 0


def test_form_page_answers_go_two_years_after_they_were_sent(site_tree):
    page = FormPage(
        title="Contact",
        slug="contact",
        to_address="equipe@example.org",
        from_address="site@example.org",
        subject="Message du site",
        form_fields=[FormField(label="Message", field_type="multiline", required=True)],
    )
    site_tree["home"].add_child(instance=page)

    def answer(when, on=page):
        row = FormSubmission.objects.create(page=on, form_data={"message": "Bonjour, Camille"})
        return dated(row, submit_time=when)

    old = answer(OLD)
    young = answer(YOUNG)
    # An answer stored on another kind of page is not this rule's business.
    elsewhere = answer(OLD, on=site_tree["about"])
    apply = rule("forms-form-submissions").apply

    assert apply(NOW, True) == 1
    assert ids(FormSubmission) == {old.pk, young.pk, elsewhere.pk}

    assert apply(NOW, False) == 1
    assert ids(FormSubmission) == {young.pk, elsewhere.pk}

    assert apply(NOW, False) == 0
    assert apply(NOW, True) == 0


def test_the_rules_are_registered_for_declared_processings():
    registered = {rule.slug: rule for rule in retention.rules()}
    for slug, processing_slug in SLUGS.items():
        assert registered[slug].processing == processing_slug
        assert processing(processing_slug).slug == processing_slug
        assert str(registered[slug].label)
