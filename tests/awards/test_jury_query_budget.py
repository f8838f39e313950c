"""The jury's home and a dossier's scoring page cost a fixed number of queries, whatever the
number of dossiers assigned to the juror, of criteria, of attachments or of other jurors' score
sheets: the same with 2 rows as with 20.

Measured on a second request, the site's shared parts (identity, footer links) being cached by
the first, as they are for every visitor but the first after a content change. Jurors are not
staff: no second factor is asked of them (it guards the admin only)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import Attachment, JuryAssignment, Score
from demo.factories.awards import (
    application_to_score,
    assign,
    make_criterion,
    make_juror,
    make_user,
    score_sheet,
    scoring_edition,
)

pytestmark = pytest.mark.django_db

# The session, its user; Wagtail's user bar asks whether the user may enter the admin (their
# own permissions, then their groups'): these four come with every logged-in page.
LOGGED_IN = 4
# The juror's seats (with their edition), their assignments (with their dossier), the scores of
# those assignments, the criteria of the editions.
HOME = LOGGED_IN + 4
# The juror's assignment (with its dossier, edition, organisation and juror), the criteria, the
# juror's scores, the attachments, the juror's progress (one aggregate).
SCORING = LOGGED_IN + 5
# Once scoring is closed, if the edition shows them: the other jurors' submitted sheets, their
# scores.
SCORING_WITH_OTHERS = SCORING + 2

ROWS = pytest.mark.parametrize("n", [2, 20], ids=["2 rows", "20 rows"])


def _grid(edition, n):
    return [
        make_criterion(edition, f"Critère {i + 1}", weight=1 + i % 3, na=i == 0, order=i)
        for i in range(n)
    ]


def _attachments(application, n):
    Attachment.objects.bulk_create(
        Attachment(
            application=application,
            file=f"awards/piece-{i}.pdf",
            original_name=f"piece-{i}.pdf",
            content_type="application/pdf",
            size=2048,
            description=f"Pièce {i}",
        )
        for i in range(n)
    )


@ROWS
def test_the_jury_home_costs_the_same_whatever_the_assigned_dossiers(
    client, n, django_assert_num_queries
):
    """A juror on two editions (last year's, closed, and this year's), `n` dossiers in each:
    scored in part, submitted, withdrawn for a conflict, not yet opened."""
    user = make_user("alice")
    for year, deadline_in in ((2030, -datetime.timedelta(days=300)), (2031, None)):
        edition = scoring_edition(
            year=year, **({"deadline_in": deadline_in} if deadline_in else {})
        )
        criteria = _grid(edition, 3)
        juror = make_juror(edition, user)
        for i in range(n):
            application = application_to_score(edition, title=f"Dossier {year}-{i}")
            kind = i % 4
            if kind == 0:
                assignment = assign(application, juror)
                Score.objects.create(assignment=assignment, criterion=criteria[0], value=3)
            elif kind == 1:
                score_sheet(application, juror, dict(zip(criteria, [4, 2, None], strict=True)))
            elif kind == 2:
                score_sheet(application, juror, {}, status=JuryAssignment.Status.CONFLICT)
            else:
                assign(application, juror)
    client.force_login(user)
    client.get("/jury/")
    with django_assert_num_queries(HOME):
        response = client.get("/jury/")
    html = response.content.decode()
    for year in (2030, 2031):
        for i in range(n):
            assert f"Dossier {year}-{i}" in html
    assert html.count("1 / 3") == 2 * len(range(0, n, 4))  # partly scored
    assert html.count("3 / 3") == 2 * len(range(1, n, 4))  # submitted


@ROWS
def test_the_scoring_page_costs_the_same_whatever_the_criteria_and_attachments(
    client, n, django_assert_num_queries
):
    """`n` criteria, half of them scored by the juror, `n` attachments, `n` other dossiers
    assigned to the juror."""
    edition = scoring_edition()
    criteria = _grid(edition, n)
    juror = make_juror(edition, make_user("alice"))
    application = application_to_score(edition, title="Potagers solidaires")
    assignment = assign(application, juror)
    Score.objects.bulk_create(
        Score(assignment=assignment, criterion=criterion, value=1, comment=f"Avis {i}")
        for i, criterion in enumerate(criteria[: n // 2])
    )
    _attachments(application, n)
    for _ in range(n):
        assign(application_to_score(edition), juror)
    client.force_login(juror.user)
    url = reverse("awards:jury_application", args=[application.pk])
    client.get(url)
    with django_assert_num_queries(SCORING):
        response = client.get(url)
    html = response.content.decode()
    for i in range(n):
        assert f"Critère {i + 1}" in html
        assert f"piece-{i}.pdf" in html
    assert html.count("Avis ") == n // 2
    assert f"0 sur {n + 1} dossiers notés et soumis" in html


@ROWS
def test_the_scoring_page_costs_the_same_whatever_the_other_jurors(
    client, n, django_assert_num_queries
):
    """Scoring closed on an edition that shows the other jurors' scores: `n` other jurors
    submitted their sheets on `n` criteria."""
    edition = scoring_edition(show_other_scores=True)
    criteria = _grid(edition, n)
    application = application_to_score(edition, title="Potagers solidaires")
    alice = make_juror(edition, make_user("alice"))
    score_sheet(application, alice, dict.fromkeys(criteria, 1))
    for _ in range(n):
        other = make_juror(edition, make_user("autre"))
        score_sheet(application, other, dict.fromkeys(criteria, 2))
    edition.scoring_deadline = timezone.now() - datetime.timedelta(minutes=1)
    edition.save()
    client.force_login(alice.user)
    url = reverse("awards:jury_application", args=[application.pk])
    client.get(url)
    with django_assert_num_queries(SCORING_WITH_OTHERS):
        response = client.get(url)
    html = response.content.decode()
    for number in range(1, n + 1):
        assert f"Autre juré n°{number}<" in html
