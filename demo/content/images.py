"""The association's identity and the demo images: drawn with Pillow, stored once by title."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from functools import cache

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.images import get_image_model

from .text import typo

# --------------------------------------------------------------------------------------------
# The association's identity (site setting)

IDENTITY = {
    "name": "Réseau Coup de Pousse – ESS Pays de la Loire",
    "tagline": "Donner de l'élan aux petites associations de l'économie sociale et solidaire",
    "address": "Maison des solidarités\n8 rue des Coopérateurs\n44000 Nantes",
    "email": "contact@example.org",
    # A number from the range ARCEP keeps for fiction (02 61 91 xx xx).
    "phone": "02 61 91 04 27",
    # Both pass the Luhn check that real SIREN/SIRET numbers pass; neither is assigned.
    "siret": "84231067400010",
    "rna": "W443004512",
    "linkedin_url": "https://example.org/reseau-coup-de-pousse/linkedin",
    "mastodon_url": "https://example.org/@coupdepousse",
}


# --------------------------------------------------------------------------------------------
# Images, drawn with Pillow: abstract shapes in the site's palette

GREEN = (11, 93, 75)
DARK_GREEN = (6, 58, 47)
YELLOW = (243, 193, 58)
MINT = (238, 246, 243)
WHITE = (255, 255, 255)
IMAGE_SIZE = (1600, 900)
_SCALE = 2  # shapes are drawn at twice the size, then reduced: smooth edges


@dataclass(frozen=True)
class DemoImage:
    key: str
    title: str
    style: str
    description: str = ""  # what the picture shows; empty when it is purely decorative


DEMO_IMAGES = [
    DemoImage("hero", "Illustration – accueil, formes abstraites", "hero"),
    DemoImage(
        "network",
        "Illustration – réseau de points reliés",
        "network",
        "Illustration : des points verts et jaunes reliés les uns aux autres, "
        "comme les membres d'un réseau.",
    ),
    DemoImage(
        "axes",
        "Illustration – quatre cercles",
        "four",
        "Illustration : quatre grands cercles verts et jaunes disposés en carré, "
        "un pour chacun de nos axes.",
    ),
    DemoImage(
        "impact",
        "Illustration – barres qui progressent",
        "bars",
        "Illustration : des barres vertes de plus en plus hautes, la dernière surmontée d'un "
        "disque jaune, comme un graphique qui progresse.",
    ),
    DemoImage(
        "webinaires",
        "Illustration – cercles qui se chevauchent",
        "circles",
        "Illustration : des cercles clairs et jaunes qui se chevauchent sur un fond vert, "
        "comme une conversation à plusieurs voix.",
    ),
    DemoImage(
        "prix",
        "Illustration – disque et anneaux",
        "medal",
        "Illustration : un disque jaune entouré d'anneaux verts, à la manière d'une médaille.",
    ),
]


def alt_text(key: str) -> str:
    """The text alternative of a demo image: what it shows."""
    return next(spec.description for spec in DEMO_IMAGES if spec.key == key)


def _rgba(color: tuple[int, int, int], alpha: int) -> tuple[int, int, int, int]:
    return (*color, alpha)


def _gradient(size, start, end, angle: float = 0) -> PILImage.Image:
    """A linear gradient from `start` to `end`, turned by `angle` degrees.

    Worked out on a small square (a gradient has no detail to lose), then enlarged.
    """
    width, height = size
    small = 256
    ratio = height / width
    mask = PILImage.linear_gradient("L").rotate(angle, resample=PILImage.Resampling.BICUBIC)
    # The rotated square has empty corners: keep its centre, in the picture's proportions.
    inner = small / (abs(math.cos(math.radians(angle))) + abs(math.sin(math.radians(angle))))
    crop_w = inner / max(1, ratio) if ratio > 1 else inner
    crop_h = crop_w * ratio
    left, top = (small - crop_w) / 2, (small - crop_h) / 2
    mask = mask.resize(
        size, PILImage.Resampling.BICUBIC, box=(left, top, left + crop_w, top + crop_h)
    )
    return PILImage.composite(
        PILImage.new("RGB", size, end), PILImage.new("RGB", size, start), mask
    )


def _paste(canvas, layer, left: float, top: float) -> None:
    """Blend `layer` onto `canvas` with its top-left corner at (left, top), clipped to the
    canvas (only the covered area is blended: much faster than a full-size layer)."""
    left, top = int(left), int(top)
    box = (
        max(0, -left),
        max(0, -top),
        min(layer.width, canvas.width - left),
        min(layer.height, canvas.height - top),
    )
    if box[0] < box[2] and box[1] < box[3]:
        canvas.alpha_composite(layer, dest=(left + box[0], top + box[1]), source=box)


def _glow(canvas, center, radius, color, strength: int = 180) -> None:
    """A soft round light, brightest at its centre."""
    diameter = int(radius * 2)
    mask = PILImage.radial_gradient("L").resize((diameter, diameter))
    # Pillow's radial gradient is 0 at the centre and 181 (not 255) in the middle of each edge:
    # fade to nothing there, softly, so that the light has no visible border.
    mask = mask.point(lambda v: int(strength * max(0.0, 1 - v / 181) ** 2))
    layer = PILImage.new("RGBA", (diameter, diameter), _rgba(color, 255))
    layer.putalpha(mask)
    _paste(canvas, layer, center[0] - radius, center[1] - radius)


def _shape(canvas, box, draw_on) -> None:
    """Draw a translucent shape on its own layer, so that overlapping shapes blend.

    `box` bounds the shape; `draw_on(draw, left, top)` draws it, shifted by (-left, -top).
    """
    left, top, right, bottom = (int(v) for v in box)
    layer = PILImage.new("RGBA", (right - left + 2, bottom - top + 2), (0, 0, 0, 0))
    draw_on(ImageDraw.Draw(layer), left, top)
    _paste(canvas, layer, left, top)


def _circle(canvas, center, radius, fill=None, outline=None, width=0) -> None:
    x, y = center
    box = (x - radius, y - radius, x + radius, y + radius)
    _shape(
        canvas,
        box,
        lambda d, dx, dy: d.ellipse(
            (box[0] - dx, box[1] - dy, box[2] - dx, box[3] - dy),
            fill=fill,
            outline=outline,
            width=width,
        ),
    )


def _line(canvas, start, end, fill, width) -> None:
    box = (
        min(start[0], end[0]) - width,
        min(start[1], end[1]) - width,
        max(start[0], end[0]) + width,
        max(start[1], end[1]) + width,
    )
    _shape(
        canvas,
        box,
        lambda d, dx, dy: d.line(
            [(start[0] - dx, start[1] - dy), (end[0] - dx, end[1] - dy)], fill=fill, width=width
        ),
    )


def _bar(canvas, box, fill, radius) -> None:
    _shape(
        canvas,
        box,
        lambda d, dx, dy: d.rounded_rectangle(
            (box[0] - dx, box[1] - dy, box[2] - dx, box[3] - dy), radius, fill=fill
        ),
    )


def _draw_hero(rng, size):
    w, h = size
    canvas = _gradient(size, GREEN, DARK_GREEN, angle=35).convert("RGBA")
    _glow(canvas, (w * 0.78, h * 0.35), h * 0.75, YELLOW, 110)
    disc = (w * 0.86, h * 0.92)
    _circle(canvas, disc, h * 0.42, fill=_rgba(YELLOW, 235))
    for i, ratio in enumerate((0.55, 0.68, 0.82)):
        _circle(canvas, disc, h * ratio, outline=_rgba(MINT, 90 - 20 * i), width=int(h * 0.012))
    for _ in range(26):
        center = (rng.uniform(0.03, 0.55) * w, rng.uniform(0.05, 0.95) * h)
        _circle(canvas, center, rng.uniform(0.006, 0.02) * w, fill=_rgba(MINT, 110))
    return canvas


def _draw_network(rng, size):
    w, h = size
    canvas = _gradient(size, MINT, WHITE, angle=0).convert("RGBA")
    _glow(canvas, (w * 0.3, h * 0.4), h * 0.8, YELLOW, 60)
    points = [(rng.uniform(0.08, 0.92) * w, rng.uniform(0.12, 0.88) * h) for _ in range(15)]
    for point in points:
        for other in sorted(points, key=lambda q: math.dist(point, q))[1:3]:
            _line(canvas, point, other, _rgba(GREEN, 110), 12)
    for i, center in enumerate(points):
        color = YELLOW if i % 4 == 0 else GREEN
        _circle(canvas, center, rng.uniform(0.012, 0.03) * w, fill=_rgba(color, 235))
    return canvas


def _draw_four(rng, size):
    w, h = size
    canvas = _gradient(size, MINT, WHITE, angle=20).convert("RGBA")
    radius = h * 0.27
    colours = [(GREEN, 230), (YELLOW, 230), (YELLOW, 170), (GREEN, 150)]
    centres = [(0.38, 0.3), (0.62, 0.3), (0.38, 0.7), (0.62, 0.7)]
    for (cx, cy), (color, alpha) in zip(centres, colours, strict=True):
        jitter = rng.uniform(-0.01, 0.01) * w
        _circle(canvas, (cx * w + jitter, cy * h), radius, fill=_rgba(color, alpha))
    _circle(canvas, (w / 2, h / 2), h * 0.05, fill=_rgba(WHITE, 240))
    return canvas


def _draw_bars(rng, size):
    w, h = size
    canvas = _gradient(size, WHITE, MINT, angle=0).convert("RGBA")
    _glow(canvas, (w * 0.8, h * 0.2), h * 0.6, YELLOW, 70)
    count, left, right, base = 7, w * 0.12, w * 0.88, h * 0.88
    step = (right - left) / count
    top = base
    for i in range(count):
        top = base - h * (0.16 + 0.085 * i + rng.uniform(-0.02, 0.02))
        box = (left + i * step + step * 0.14, top, left + (i + 1) * step - step * 0.14, base)
        _bar(canvas, box, _rgba(GREEN, 120 + 18 * i), 24)
    _circle(canvas, (left + (count - 0.5) * step, top - h * 0.12), h * 0.07, _rgba(YELLOW, 245))
    return canvas


def _draw_circles(rng, size):
    w, h = size
    canvas = _gradient(size, GREEN, DARK_GREEN, angle=-25).convert("RGBA")
    _glow(canvas, (w * 0.5, h * 0.5), h * 0.7, MINT, 50)
    for i in range(7):
        angle = 2 * math.pi * i / 7 + rng.uniform(-0.15, 0.15)
        center = (w / 2 + math.cos(angle) * h * 0.26, h / 2 + math.sin(angle) * h * 0.26)
        fill = _rgba(YELLOW, 150) if i % 3 == 0 else _rgba(MINT, 80)
        _circle(canvas, center, h * rng.uniform(0.16, 0.22), fill=fill)
    return canvas


def _draw_medal(rng, size):
    w, h = size
    canvas = _gradient(size, MINT, WHITE, angle=-15).convert("RGBA")
    center = (w * 0.5, h * 0.5)
    _glow(canvas, center, h * 0.7, YELLOW, 90)
    for _ in range(12):
        spot = (rng.uniform(0.05, 0.95) * w, rng.uniform(0.05, 0.95) * h)
        _circle(canvas, spot, rng.uniform(6, 16), fill=_rgba(GREEN, 90))
    for i in range(5, 0, -1):
        ring = _rgba(GREEN, 60 + 30 * (5 - i))
        _circle(canvas, center, h * (0.2 + 0.07 * i), outline=ring, width=14)
    _circle(canvas, center, h * 0.2, fill=_rgba(YELLOW, 255))
    _circle(canvas, center, h * 0.13, outline=_rgba(WHITE, 160), width=10)
    return canvas


_STYLES = {
    "hero": _draw_hero,
    "network": _draw_network,
    "four": _draw_four,
    "bars": _draw_bars,
    "circles": _draw_circles,
    "medal": _draw_medal,
}


@cache
def render_png(style: str, seed: str) -> bytes:
    """The picture for one style as PNG bytes: the same style and seed give the same picture."""
    rng = random.Random(seed)
    width, height = IMAGE_SIZE
    big = _STYLES[style](rng, (width * _SCALE, height * _SCALE))
    picture = big.resize(IMAGE_SIZE, PILImage.Resampling.LANCZOS).convert("RGB")
    picture = picture.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def ensure_image(spec: DemoImage):
    """The Wagtail image titled `spec.title`, drawn and saved if it does not exist yet.

    Returns (image, created).
    """
    Image = get_image_model()
    existing = Image.objects.filter(title=spec.title).order_by("pk").first()
    if existing is not None:
        return existing, False
    data = render_png(spec.style, spec.key)
    image = Image(title=spec.title, description=typo(spec.description))
    image.file = ImageFile(io.BytesIO(data), name=f"demo-{spec.key}.png")
    image._set_image_file_metadata()
    image.save()
    return image, True
