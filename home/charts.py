"""Charts drawn on the server as SVG, for the public pages and the staff's screens: no script,
so nothing to allow in the site's CSP, and nothing to load. Each chart is only a picture of a
table or of numbers shown beside it (what a screen reader and a keyboard read).

- bar charts, `chart()`: drawn by `site/templates/includes/bar_chart.html`, the SVG carries a
  title;
- dot plots on 0–100, `dot_plot()`, drawn by `dot_plot_svg()` (in Python: a table shows one
  per row, and an included template per row was half of staff's ranking page's time), beside
  the values written out, so the SVG itself is hidden from screen readers.

Geometry only: the templates draw the shapes and write the numbers, formatted in French."""

import re
from dataclasses import dataclass

from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 320, 160
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_SIDE = 22, 24, 8


@dataclass
class Bar:
    label: str
    value: float | None
    x: float
    y: float
    width: float
    height: float

    @property
    def label_x(self):
        return self.x + self.width / 2


def bars(points):
    """`points`: [(label, value or None)]; a None (unpublished) keeps its place, without a bar."""
    if not points:
        return []
    top = max((v for _l, v in points if v is not None), default=0) or 1
    slot = (WIDTH - 2 * MARGIN_SIDE) / len(points)
    width = slot * 0.6
    usable = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    result = []
    for index, (label, value) in enumerate(points):
        height = 0 if value is None else usable * float(value) / float(top)
        x = MARGIN_SIDE + index * slot + (slot - width) / 2
        y = MARGIN_TOP + usable - height
        result.append(
            Bar(str(label), value, round(x, 1), round(y, 1), round(width, 1), round(height, 1))
        )
    return result


def chart(title, points, unit="", percent=False):
    """What bar_chart.html needs: the title, the bars, the frame's size, the unit."""
    return {
        "title": title,
        "bars": bars(points),
        "width": WIDTH,
        "height": HEIGHT,
        "axis_y": HEIGHT - MARGIN_BOTTOM,
        "label_y": HEIGHT - 8,
        "empty_y": HEIGHT - MARGIN_BOTTOM - 6,
        "right": WIDTH - MARGIN_SIDE,
        "unit": "%" if percent else unit,
    }


# A dot plot fits in a table's cell: its size is fixed, in pixels, and only its height grows
# with the levels of dots that equal (or close) values need.
DOT_WIDTH = 120
DOT_RADIUS = 4
DOT_SIDE = DOT_RADIUS + 1  # a dot at 0 or 100 is drawn whole
DOT_TOP = 2  # room for the mean's marker to stand out above the dots
DOT_AXIS_GAP = 2
DOT_TICK = 3  # the marks of 0 and 100, under the axis


@dataclass
class Dot:
    value: float
    x: float
    y: float


def dot_plot(totals, mean):
    """What dot_plot_svg() needs to draw `totals` (values on 0–100) and their `mean`.

    The dots come in ascending order. One closer than a dot's diameter to a dot already drawn is
    raised a level, so that equal totals stay two dots instead of one: to the lowest level where
    it clears that level's last dot (with sorted values, the only one it can touch)."""
    span = DOT_WIDTH - 2 * DOT_SIDE

    def x_of(value):
        return round(DOT_SIDE + span * float(value) / 100, 1)

    diameter = 2 * DOT_RADIUS
    placed = []  # (value, x, level)
    last_x = []  # per level, the x of its last dot
    for value in sorted(totals):
        x = x_of(value)
        level = next((i for i, left in enumerate(last_x) if x - left >= diameter), len(last_x))
        if level == len(last_x):
            last_x.append(x)
        last_x[level] = x
        placed.append((value, x, level))

    axis_y = DOT_TOP + max(len(last_x), 1) * diameter + DOT_AXIS_GAP
    bottom_y = axis_y - DOT_AXIS_GAP - DOT_RADIUS
    return {
        "dots": [Dot(value, x, bottom_y - level * diameter) for value, x, level in placed],
        "mean_x": None if mean is None else x_of(mean),
        "width": DOT_WIDTH,
        "height": axis_y + DOT_TICK,
        "radius": DOT_RADIUS,
        "axis_y": axis_y,
        "left": DOT_SIDE,
        "right": DOT_WIDTH - DOT_SIDE,
    }


def dot_plot_svg(plot, colour):
    """The SVG of a `dot_plot()`, its dots in `colour`: only a picture of the values written
    beside it, hidden from screen readers, which read those.

    Written with plain string formatting: every value is a number computed here (or the colour,
    a constant of the caller's), nothing a visitor typed, so there is nothing to escape; and a
    table draws one per row."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise ValueError(f"not a colour: {colour!r}")
    height, axis_y = float(plot["height"]), float(plot["axis_y"])
    left, right, radius = float(plot["left"]), float(plot["right"]), float(plot["radius"])
    parts = [
        f'<svg class="dot-plot" width="{plot["width"]:g}" height="{height:g}" '
        f'viewBox="0 0 {plot["width"]:g} {height:g}" aria-hidden="true" focusable="false">',
        f'<line x1="{left:g}" y1="{axis_y:g}" x2="{right:g}" y2="{axis_y:g}" stroke="#4d4d4d" '
        'stroke-width="1"/>',
        f'<line x1="{left:g}" y1="{axis_y:g}" x2="{left:g}" y2="{height:g}" stroke="#4d4d4d" '
        'stroke-width="1"/>',
        f'<line x1="{right:g}" y1="{axis_y:g}" x2="{right:g}" y2="{height:g}" stroke="#4d4d4d" '
        'stroke-width="1"/>',
    ]
    parts += [
        f'<circle cx="{float(dot.x):g}" cy="{float(dot.y):g}" r="{radius:g}" fill="{colour}" '
        'stroke="#fff" stroke-width="1"/>'
        for dot in plot["dots"]
    ]
    if plot["mean_x"] is not None:
        x = float(plot["mean_x"])
        parts.append(
            f'<line class="mean" x1="{x:g}" y1="0" x2="{x:g}" y2="{height:g}" stroke="#1a1a1a" '
            'stroke-width="2"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (numbers and a checked colour only)
