"""The award's retention rules (awards/retention.py): non-laureate dossiers and jurors' records
go 3 years after their edition's results, laureates and their jury's work stay.

The clock is frozen by the rules' contract: they compute from the `now` they are given only.
"""

import datetime

import pytest
from django.utils import timezone

from awards.models import (
    Application,
    Attachment,
    Juror,
    JuryAssignment,
    JuryReminder,
    Score,
)
from demo.factories.awards import (
    ApplicationFactory,
    EditionFactory,
    JurorFactory,
    JuryAssignmentFactory,
    make_attachment,
)
from privacy import retention
from privacy.register import processing

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2031, 6, 15, 10, 0))
THREE_YEARS_AGO = timezone.make_aware(datetime.datetime(2028, 6, 15, 10, 0))
DAY = datetime.timedelta(days=1)


def rule(slug):
    return next(rule for rule in retention.rules() if rule.slug == slug)


def edition(results_published_at):
    """An edition whose calendar ends (results published) at that moment."""
    return EditionFactory(
        call_opens_at=results_published_at - datetime.timedelta(days=120),
        call_closes_at=results_published_at - datetime.timedelta(days=60),
        scoring_deadline=results_published_at - datetime.timedelta(days=20),
        results_published_at=results_published_at,
    )


@pytest.fixture
def old():
    """Results published 3 years and a day before NOW: its non-laureates are due."""
    return edition(THREE_YEARS_AGO - DAY)


@pytest.fixture
def recent():
    """Results published 3 years minus a day before NOW: kept one more day."""
    return edition(THREE_YEARS_AGO + DAY)


def scored(application, juror=None):
    assignment = JuryAssignmentFactory(
        application=application, **({"juror": juror} if juror else {})
    )
    Score.objects.create(
        assignment=assignment,
        criterion=application.edition.criteria.first(),
        value=4,
        comment="Un partenariat solide.",
    )
    return assignment


def submitted(edition, status=Application.Status.SUBMITTED):
    return ApplicationFactory(edition=edition, submitted=True, status=status)


def test_applications_but_published_laureates_go_with_their_files_and_scores(
    old, recent, django_capture_on_commit_callbacks
):
    draft = ApplicationFactory(edition=old, complete=False)
    dossier = submitted(old, Application.Status.NOT_SELECTED)
    ineligible = submitted(old, Application.Status.INELIGIBLE)
    laureate = submitted(old, Application.Status.LAUREATE)
    # Kept « tant que tient leur accord de publication »: without it, no public history.
    unpublished = submitted(old, Application.Status.LAUREATE)
    Application.objects.filter(pk=unpublished.pk).update(publication_consent=False)
    young = submitted(recent, Application.Status.NOT_SELECTED)
    gone_file = make_attachment(dossier, "bilan.pdf")
    laureate_file = make_attachment(laureate, "photos.pdf")
    young_file = make_attachment(young, "lettre.pdf")
    storage = gone_file.file.storage
    scored(dossier)
    scored(laureate)
    scored(young)
    apply = rule("awards-expired-applications").apply

    assert apply(NOW, True) == 4
    assert Application.objects.count() == 6
    assert Attachment.objects.count() == 3
    assert storage.exists(gone_file.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        assert apply(NOW, False) == 4

    remaining = set(Application.objects.values_list("pk", flat=True))
    assert remaining == {laureate.pk, young.pk}
    for deleted in (draft, dossier, ineligible, unpublished):
        assert not JuryAssignment.objects.filter(application_id=deleted.pk).exists()
    assert not Score.objects.filter(assignment__application_id=dossier.pk).exists()
    assert not Attachment.objects.filter(pk=gone_file.pk).exists()
    assert not storage.exists(gone_file.file.name)
    # The laureate keeps its jury's work and its files; the recent edition is untouched.
    assert Score.objects.filter(assignment__application=laureate).count() == 1
    assert Score.objects.filter(assignment__application=young).count() == 1
    assert storage.exists(laureate_file.file.name)
    assert storage.exists(young_file.file.name)

    assert apply(NOW, False) == 0
    assert apply(NOW, True) == 0


def test_a_dossier_is_kept_until_the_end_of_its_third_year(recent):
    submitted(recent, Application.Status.NOT_SELECTED)
    apply = rule("awards-expired-applications").apply
    assert apply(NOW, False) == 0
    assert apply(NOW + 2 * DAY, True) == 1


def test_jurors_records_are_erased_but_laureates_keep_their_scores(old, recent):
    laureate = submitted(old, Application.Status.LAUREATE)
    scorer = JurorFactory(
        edition=old, company_siret="12345678901234", bio="Directrice financière.", is_public=True
    )
    scored(laureate, scorer)
    JuryReminder.objects.create(juror=scorer, days_before=7, deadline=old.scoring_deadline)
    idle = JurorFactory(edition=old, bio="Jamais affectée.")
    JuryReminder.objects.create(juror=idle, days_before=2, deadline=old.scoring_deadline)
    young = JurorFactory(edition=recent, bio="Juré récent.")
    scored(submitted(recent), young)
    JuryReminder.objects.create(juror=young, days_before=7, deadline=recent.scoring_deadline)
    apply = rule("awards-juror-records").apply

    assert apply(NOW, True) == 2
    scorer.refresh_from_db()
    assert scorer.bio and scorer.company_name and scorer.reminders.exists()
    assert Juror.objects.filter(pk=idle.pk).exists()

    assert apply(NOW, False) == 2

    assert not Juror.objects.filter(pk=idle.pk).exists()
    assert not JuryReminder.objects.filter(juror_id=idle.pk).exists()
    scorer.refresh_from_db()
    assert (scorer.company_name, scorer.company_siret, scorer.bio, scorer.is_public) == (
        "",
        "",
        "",
        False,
    )
    assert not scorer.reminders.exists()
    # The laureate's ranking does not move: the scorer's assignment and score stay.
    assert Score.objects.filter(assignment__juror=scorer).count() == 1
    young.refresh_from_db()
    assert young.bio == "Juré récent." and young.company_name and young.reminders.exists()

    assert apply(NOW, False) == 0
    assert apply(NOW, True) == 0


def test_both_rules_in_order_leave_no_juror_of_non_laureates_only(old):
    dossier = submitted(old, Application.Status.NOT_SELECTED)
    juror = scored(dossier).juror

    outcomes = retention.apply_all(
        NOW, only={"awards-expired-applications", "awards-juror-records"}
    )

    assert [(o.rule.slug, o.count, o.error) for o in outcomes] == [
        ("awards-expired-applications", 1, ""),
        ("awards-juror-records", 1, ""),
    ]
    assert not Juror.objects.filter(pk=juror.pk).exists()
    assert [o.count for o in retention.apply_all(NOW, only={o.rule.slug for o in outcomes})] == [
        0,
        0,
    ]


def test_the_rules_are_registered_for_declared_processings():
    slugs = {rule.slug: rule for rule in retention.rules()}
    assert slugs["awards-expired-applications"].processing == "awards-applications"
    assert slugs["awards-juror-records"].processing == "awards-jury"
    for slug in ("awards-expired-applications", "awards-juror-records"):
        assert processing(slugs[slug].processing).slug == slugs[slug].processing
    # Dossiers go before jurors: a juror left without any dossier is then deleted, not kept.
    assert slugs["awards-expired-applications"].order < slugs["awards-juror-records"].order
