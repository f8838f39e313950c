"""The dot plot of the jurors' totals on the ranking page: its geometry (home/charts.py), and the
page's column, where the totals are written out beside the picture, in French."""

import re

import pytest
from django.urls import reverse

from demo.factories.awards import (
    make_application,
    make_criterion,
    make_edition,
    make_juror,
    score_sheet,
)
from home.charts import DOT_RADIUS, DOT_SIDE, DOT_WIDTH, dot_plot

LEFT, RIGHT = DOT_SIDE, DOT_WIDTH - DOT_SIDE


def test_dots_and_mean_on_the_axis():
    plot = dot_plot([100, 0, 50], 50)
    assert [(dot.value, dot.x) for dot in plot["dots"]] == [(0, LEFT), (50, 60), (100, RIGHT)]
    assert plot["mean_x"] == 60 == (LEFT + RIGHT) / 2
    assert dot_plot([20, 30], 25)["mean_x"] == round(LEFT + (RIGHT - LEFT) * 0.25, 1)
    # Far apart: one level of dots, drawn whole inside the frame and above the axis.
    assert len({dot.y for dot in plot["dots"]}) == 1
    for dot in plot["dots"]:
        assert DOT_RADIUS <= dot.x <= plot["width"] - DOT_RADIUS
        assert 0 <= dot.y - DOT_RADIUS and dot.y + DOT_RADIUS <= plot["axis_y"] < plot["height"]


def test_equal_or_close_totals_stay_visible():
    plot = dot_plot([70, 70, 71, 90], 75.25)
    dots = plot["dots"]
    assert [dot.value for dot in dots] == [70, 70, 71, 90]
    # No two dots overlap: their centres are at least a diameter apart.
    for i, a in enumerate(dots):
        for b in dots[i + 1 :]:
            assert (a.x - b.x) ** 2 + (a.y - b.y) ** 2 >= (2 * DOT_RADIUS) ** 2
    assert dots[0].y != dots[1].y != dots[2].y
    # A dot clear of the others stays at the bottom, and the frame grows to hold three levels.
    assert dots[3].y == dots[0].y
    assert plot["height"] > dot_plot([70], 70)["height"]
    for dot in dots:
        assert dot.y - DOT_RADIUS >= 0


def test_no_totals():
    plot = dot_plot([], None)
    assert plot["dots"] == []
    assert plot["mean_x"] is None
    assert plot["height"] > 0


@pytest.mark.django_db
def test_ranking_page_shows_the_totals_and_their_dots(admin_client):
    edition = make_edition(disagreement_threshold=5)
    # One criterion on 0–400: a value v is a total of v / 4 on 100.
    grid = make_criterion(edition, "Utilité sociale", scale_max=400)
    jurors = [make_juror(edition, name=name) for name in ("Alice", "Bruno", "Chloé")]
    apart = make_application(edition, "Jardin partagé")
    agreed = make_application(edition, "Repair café")
    unscored = make_application(edition, "Cantine solidaire")
    for juror, value in zip(jurors, (324, 250, 280), strict=True):
        score_sheet(apart, juror, {grid: value})  # 81, 62.5, 70: a spread of 7.7
    for juror in jurors[:2]:
        score_sheet(agreed, juror, {grid: 249})  # 62.25

    response = admin_client.get(reverse("awards_admin:ranking", args=[edition.pk]))
    html = response.content.decode()
    assert "Notes des jurés" in html

    apart_cell = juror_totals_cell(html, apart)
    assert re.sub(r"\s+", " ", re.sub(r"<svg.*</svg>", "", apart_cell, flags=re.S)).strip() == (
        "<br>62,5 · 70 · 81"
    )
    assert apart_cell.count("<circle") == 3
    assert 'aria-hidden="true"' in apart_cell
    assert 'class="mean"' in apart_cell
    assert 'fill="#cd4444"' in apart_cell  # in disagreement

    agreed_cell = juror_totals_cell(html, agreed)
    assert agreed_cell.count("<circle") == 2
    assert 'fill="#0b5d4b"' in agreed_cell and "#cd4444" not in agreed_cell
    assert "62,3 · 62,3" in agreed_cell  # in tenths, as the scoring page writes them

    unscored_cell = juror_totals_cell(html, unscored)
    assert unscored_cell.strip() == "—"


def juror_totals_cell(html, application):
    row = re.search(rf'<tr data-application="{application.pk}".*?</tr>', html, re.S).group(0)
    return re.search(r'<td class="juror-totals">(.*?)</td>', row, re.S).group(1)
