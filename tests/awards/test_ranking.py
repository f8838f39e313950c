"""The ranking: weighted totals, means, spread, z-score normalisation and ranks, checked
against values computed by hand; and a constant number of queries whatever the size."""

import math

import pytest

from awards.models import Application, JuryAssignment
from awards.ranking import competition_ranks, rank_edition
from demo.factories.awards import (
    build_large_edition,
    make_application,
    make_criterion,
    make_edition,
    make_juror,
    score_sheet,
)

pytestmark = pytest.mark.django_db

SUBMITTED = JuryAssignment.Status.SUBMITTED


@pytest.fixture
def scored():
    """Grid: A (weight 2, 0–5), B (weight 1, 0–10, « sans objet » possible), C (weight 1, 1–5).

    Totals, on 100 (25 × (2a + b + c) with every criterion, 100/3 × (2a + c) without B):
      X: J1 A5 B10 C5 → 100;   J2 A5 B— C2 → 100/3 × (2 + 0.25) = 75
      Y: J1 A3 B5 C3 → 25 × 2.2 = 55;   J2 A4 B8 C5 → 25 × 3.4 = 85
      W: J1 A3 B7 C3 → 25 × 2.4 = 60;   J2 A4 B6 C5 → 25 × 3.2 = 80
      Z: J1 A0 B0 C1 → 0;   J2 A5 B10 C5 → 100;   J3 A5 B— C5 → 100
    Ignored: J3's unsubmitted sheet on X, J3's conflict on Y, an ineligible and a draft dossier.
    """
    edition = make_edition(disagreement_threshold=15)
    a = make_criterion(edition, "Utilité sociale", weight=2, scale_max=5, order=0)
    b = make_criterion(edition, "Innovation", weight=1, scale_max=10, na=True, order=1)
    c = make_criterion(edition, "Pérennité", weight=1, scale_min=1, scale_max=5, order=2)
    j1, j2, j3 = (make_juror(edition, name=name) for name in ("Un", "Deux", "Trois"))
    x = make_application(edition, "X")
    y = make_application(edition, "Y")
    w = make_application(edition, "W")
    z = make_application(edition, "Z", status=Application.Status.SHORTLISTED)
    q = make_application(edition, "Q sans note")
    bad = make_application(edition, "Non recevable", status=Application.Status.INELIGIBLE)
    draft = make_application(edition, "Brouillon", status=Application.Status.DRAFT)

    score_sheet(x, j1, {a: 5, b: 10, c: 5})
    score_sheet(x, j2, {a: 5, b: None, c: 2})
    score_sheet(x, j3, {a: 0, b: 0, c: 1}, status=JuryAssignment.Status.ASSIGNED)
    score_sheet(y, j1, {a: 3, b: 5, c: 3})
    score_sheet(y, j2, {a: 4, b: 8, c: 5})
    score_sheet(y, j3, {a: 0, b: 0, c: 1}, status=JuryAssignment.Status.CONFLICT)
    score_sheet(w, j1, {a: 3, b: 7, c: 3})
    score_sheet(w, j2, {a: 4, b: 6, c: 5})
    score_sheet(z, j1, {a: 0, b: 0, c: 1})
    score_sheet(z, j2, {a: 5, b: 10, c: 5})
    score_sheet(z, j3, {a: 5, b: None, c: 5})
    score_sheet(bad, j1, {a: 5, b: 10, c: 5})
    return {
        "edition": edition, "x": x, "y": y, "w": w, "z": z, "q": q, "bad": bad, "draft": draft,
        "j1": j1, "j2": j2, "j3": j3,
    }  # fmt: skip


def rows_by_title(ranking):
    return {row.title: row for row in ranking.rows}


def test_weighted_totals_means_and_spread(scored):
    ranking = rank_edition(scored["edition"])
    rows = rows_by_title(ranking)
    assert set(rows) == {"X", "Y", "W", "Z", "Q sans note"}

    x = rows["X"]
    assert x.juror_totals == {
        scored["j1"].pk: pytest.approx(100),
        scored["j2"].pk: pytest.approx(75),
    }
    assert x.juror_count == 2
    assert x.mean == pytest.approx(87.5)
    assert x.spread == pytest.approx(12.5)
    assert x.disagreement is False
    # Per criterion, on each criterion's scale, « sans objet » left out.
    assert x.criterion_means == [pytest.approx(5), pytest.approx(10), pytest.approx(3.5)]

    y = rows["Y"]
    assert y.mean == pytest.approx(70)
    assert y.spread == pytest.approx(15)
    assert y.disagreement is False  # exactly at the threshold: not above it
    assert y.criterion_means == [pytest.approx(3.5), pytest.approx(6.5), pytest.approx(4)]

    z = rows["Z"]
    assert z.juror_count == 3
    assert z.mean == pytest.approx(200 / 3)
    assert z.spread == pytest.approx(math.sqrt(((200 / 3) ** 2 + 2 * (100 / 3) ** 2) / 3))
    assert z.disagreement is True
    assert ranking.disagreements == 1

    q = rows["Q sans note"]
    assert (q.juror_count, q.mean, q.spread, q.rank, q.normalised_rank) == (
        0,
        None,
        None,
        None,
        None,
    )


def test_raw_ranks_share_ties(scored):
    ranking = rank_edition(scored["edition"])
    assert [(row.title, row.rank) for row in ranking.rows] == [
        ("X", 1),
        ("Y", 2),  # Y and W both have 70: same rank, by dossier number
        ("W", 2),
        ("Z", 4),
        ("Q sans note", None),
    ]


def test_normalised_means_and_ranks(scored):
    ranking = rank_edition(scored["edition"])
    rows = rows_by_title(ranking)
    # J1's totals: 100, 55, 60, 0 → mean 53.75, population sd √1267.1875.
    # J2's totals: 75, 85, 80, 100 → mean 85, sd √87.5.  J3 scored only Z: sd 0, so z = 0.
    sd1, sd2 = math.sqrt(1267.1875), math.sqrt(87.5)
    expected = {
        "X": ((100 - 53.75) / sd1 + (75 - 85) / sd2) / 2,
        "Y": ((55 - 53.75) / sd1 + 0) / 2,
        "W": ((60 - 53.75) / sd1 + (80 - 85) / sd2) / 2,
        "Z": ((0 - 53.75) / sd1 + (100 - 85) / sd2 + 0) / 3,
    }
    for title, value in expected.items():
        assert rows[title].normalised_mean == pytest.approx(value)
    assert rows["X"].normalised_mean == pytest.approx(0.1151, abs=1e-4)
    assert {title: rows[title].normalised_rank for title in expected} == {
        "X": 1, "Z": 2, "Y": 3, "W": 4,
    }  # fmt: skip
    assert rows["Q sans note"].normalised_mean is None


def test_without_normalisation(scored):
    ranking = rank_edition(scored["edition"], normalise=False)
    assert all(row.normalised_mean is None for row in ranking.rows)
    assert ranking.rows[0].title == "X"


def test_a_juror_who_gives_everyone_the_same_total_counts_zero(scored):
    edition = make_edition(year=2040)
    a = make_criterion(edition, "Seul critère", scale_max=4)
    juror, other = make_juror(edition), make_juror(edition)
    first, second = make_application(edition, "Premier"), make_application(edition, "Second")
    score_sheet(first, juror, {a: 2})
    score_sheet(second, juror, {a: 2})
    score_sheet(first, other, {a: 4})
    score_sheet(second, other, {a: 0})
    rows = rows_by_title(rank_edition(edition))
    # `juror`: sd 0 → 0; `other`: 100 and 0 → z = +1 and −1.
    assert rows["Premier"].normalised_mean == pytest.approx(0.5)
    assert rows["Second"].normalised_mean == pytest.approx(-0.5)


def test_all_sans_objet_leaves_the_juror_out():
    edition = make_edition(year=2041)
    a = make_criterion(edition, "Optionnel", na=True)
    b = make_criterion(edition, "Optionnel 2", na=True)
    juror, other = make_juror(edition), make_juror(edition)
    app = make_application(edition, "Seul")
    score_sheet(app, juror, {a: None, b: None})
    score_sheet(app, other, {a: 5, b: 0})
    (row,) = rank_edition(edition).rows
    assert row.juror_count == 1
    assert row.mean == pytest.approx(50)
    assert row.criterion_means == [pytest.approx(5), pytest.approx(0)]


def test_competition_ranking():
    assert competition_ranks({1: 9.0, 2: 7.0, 3: 7.0, 4: 5.0, 5: None}) == {
        1: 1, 2: 2, 3: 2, 4: 4, 5: None,
    }  # fmt: skip
    # Floating-point noise does not split a tie.
    assert competition_ranks({1: 0.1 + 0.2, 2: 0.3}) == {1: 1, 2: 1}


def test_constant_number_of_queries(django_assert_num_queries):
    small = build_large_edition(applications=3, jurors=2, criteria=2, year=2050)
    with django_assert_num_queries(3):
        rank_edition(small)
    large = build_large_edition(applications=300, jurors=5, criteria=8, year=2051)
    with django_assert_num_queries(3):
        ranking = rank_edition(large)
    assert len(ranking.rows) == 300
    assert all(row.juror_count == 5 for row in ranking.rows)
    assert ranking.rows[0].rank == 1


# --- Edges found by mutation testing (make mutate) ----------------------------------------------


def test_rows_carry_what_the_ranking_page_shows(scored):
    ranking = rank_edition(scored["edition"])
    x = rows_by_title(ranking)["X"]
    assert x.organisation_name == scored["x"].organisation.name
    assert x.company_name == scored["x"].company_name
    assert ranking.threshold == 15.0
    assert [criterion.label for criterion in ranking.criteria] == [
        "Utilité sociale",
        "Innovation",
        "Pérennité",
    ]


def test_criteria_follow_the_grid_order_not_their_creation():
    edition = make_edition(year=2042)
    second = make_criterion(edition, "Créé d’abord, affiché second", scale_max=10, order=1)
    first = make_criterion(edition, "Créé ensuite, affiché premier", scale_max=5, order=0)
    juror = make_juror(edition)
    score_sheet(make_application(edition, "Seul"), juror, {first: 5, second: 2})
    ranking = rank_edition(edition)
    assert [criterion.label for criterion in ranking.criteria] == [
        "Créé ensuite, affiché premier",
        "Créé d’abord, affiché second",
    ]
    assert ranking.rows[0].criterion_means == [pytest.approx(5), pytest.approx(2)]


def test_a_spread_just_above_the_threshold_is_a_disagreement():
    # Totals 65.4 and 34.6: spread 15.4 against a threshold of 15. Rounded to whole points it
    # would be 15, not above: the comparison is on the spread itself.
    edition = make_edition(year=2043, disagreement_threshold=15)
    only = make_criterion(edition, "Sur mille", scale_max=1000)
    one, two = make_juror(edition), make_juror(edition)
    application = make_application(edition, "Débattu")
    score_sheet(application, one, {only: 654})
    score_sheet(application, two, {only: 346})
    (row,) = rank_edition(edition).rows
    assert row.spread == pytest.approx(15.4)
    assert row.disagreement is True


def test_an_unscored_application_does_not_stop_the_normalised_means():
    # The unscored dossier comes first (lowest number): the others still get their z-scores.
    edition = make_edition(year=2044)
    only = make_criterion(edition, "Seul critère", scale_max=4)
    make_application(edition, "Pas encore noté")
    juror = make_juror(edition)
    high, low = make_application(edition, "Haut"), make_application(edition, "Bas")
    score_sheet(high, juror, {only: 4})
    score_sheet(low, juror, {only: 0})
    rows = rows_by_title(rank_edition(edition))
    assert rows["Haut"].normalised_mean == pytest.approx(1)
    assert rows["Bas"].normalised_mean == pytest.approx(-1)
    assert rows["Pas encore noté"].normalised_mean is None
