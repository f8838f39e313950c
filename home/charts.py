"""Bar charts drawn on the server as SVG, for the public pages and the staff's dashboard: no
script, so nothing to allow in the site's CSP, and nothing to load. Each chart is only a picture
of a table shown beside it (the table is what a screen reader and a keyboard read); the SVG
carries a title. `site/templates/includes/bar_chart.html` draws it.

Geometry only: the template draws the bars and writes the numbers, formatted in French."""

from dataclasses import dataclass

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
