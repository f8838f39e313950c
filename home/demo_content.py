"""Demo content that makes a fresh site look real: pages, news, images and the site identity.

The content is data (a tree of `PageSpec`, a list of `DemoImage`), written in French from the
association's own documents; `load_demo_content()` builds it. Running it again updates the same
pages (found by slug under their parent) and reuses the same images (found by title), so it never
makes duplicates, and it never touches pages it did not write, except Wagtail's initial « Welcome »
page, which it replaces.

Text is written with plain spaces and straight apostrophes; `typo()` turns them into French
typography (non-breaking spaces before « : ; ? ! », inside « », and ’) when the content is built.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from html import escape
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from .models import HomePage, NewsIndexPage, NewsPage, SiteIdentity, StandardPage

NBSP = "\u00a0"


class DemoContentError(Exception):
    """The demo content cannot be loaded without overwriting something it does not own."""


# --------------------------------------------------------------------------------------------
# Typography and references


_TYPO_REPLACEMENTS = [
    ("'", "’"),
    ("« ", f"«{NBSP}"),
    (" »", f"{NBSP}»"),
    (" :", f"{NBSP}:"),
    (" ;", f"{NBSP};"),
    (" ?", f"{NBSP}?"),
    (" !", f"{NBSP}!"),
]


def typo(text: str) -> str:
    """French typography: typographic apostrophes, non-breaking spaces where French wants them."""
    for plain, typographic in _TYPO_REPLACEMENTS:
        text = text.replace(plain, typographic)
    return text


@dataclass(frozen=True)
class PageRef:
    """A demo page, named by its slug, resolved to the page once every page exists."""

    slug: str


@dataclass(frozen=True)
class ImageRef:
    """A demo image, named by its key in DEMO_IMAGES."""

    key: str


@dataclass(frozen=True)
class DaysAgo:
    """A date relative to the day the content is loaded, so that news always look recent."""

    days: int


# --------------------------------------------------------------------------------------------
# StreamField blocks, in Wagtail's raw JSON form (see home/blocks.py for the block definitions)


def p(text: str) -> str:
    return f"<p>{escape(text, quote=False)}</p>"


def ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{escape(item, quote=False)}</li>" for item in items) + "</ul>"


def ol(*items: str) -> str:
    return "<ol>" + "".join(f"<li>{escape(item, quote=False)}</li>" for item in items) + "</ol>"


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(*html: str) -> dict:
    return {"type": "paragraph", "value": "".join(html)}


def image(key: str, alt_text: str = "", caption: str = "") -> dict:
    return {
        "type": "image",
        "value": {"image": ImageRef(key), "alt_text": alt_text, "caption": caption},
    }


def quote(text: str, attribution: str = "", role: str = "") -> dict:
    return {"type": "quote", "value": {"text": text, "attribution": attribution, "role": role}}


def link(label: str, page: str | None = None, url: str = "") -> dict:
    return {"label": label, "page": PageRef(page) if page else None, "url": url}


def call_to_action(title: str, text: str, label: str, page: str) -> dict:
    return {
        "type": "call_to_action",
        "value": {"title": title, "text": text, "link": link(label, page)},
    }


def faq(title: str, *questions: tuple[str, str]) -> dict:
    return {
        "type": "faq",
        "value": {
            "title": title,
            "questions": [{"question": q, "answer": answer} for q, answer in questions],
        },
    }


def key_figures(title: str, *figures: tuple[str, str, str]) -> dict:
    return {
        "type": "key_figures",
        "value": {
            "title": title,
            "figures": [
                {"figure": figure, "label": label, "detail": detail}
                for figure, label, detail in figures
            ],
        },
    }


def card(title: str, text: str, label: str, page: str) -> dict:
    return {"type": "card", "value": {"title": title, "text": text, "link": link(label, page)}}


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


# --------------------------------------------------------------------------------------------
# Pages


@dataclass
class PageSpec:
    model: type[Page]
    slug: str
    title: str
    fields: dict = field(default_factory=dict)
    children: list[PageSpec] = field(default_factory=list)
    show_in_menus: bool = False

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


HOME_SLUG = "accueil"


def home_page_spec() -> PageSpec:
    return PageSpec(
        HomePage,
        HOME_SLUG,
        "Accueil",
        {
            "hero_title": "Faire grandir les petites associations, ensemble",
            "hero_text": (
                "Conseil, mise en réseau, partenariats avec les entreprises : nous aidons les "
                "associations de solidarité des Pays de la Loire à consolider leur projet."
            ),
            "hero_image": ImageRef("hero"),
            "hero_image_alt": "",  # abstract shapes: decorative
            "introduction": (
                "Coup de Pousse rassemble des associations de petite et moyenne taille engagées "
                "dans l'économie sociale et solidaire. Nous les aidons à gagner en solidité sans "
                "rien perdre de ce qui fait leur singularité."
            ),
            "highlights": [
                card(
                    "Adhérer",
                    "Rejoignez un réseau de pairs, profitez de nos accompagnements et faites "
                    "entendre la voix des petites structures.",
                    "Devenir adhérent",
                    "adherer",
                ),
                card(
                    "Prix « La part des autres »",
                    "Un prix qui distingue les partenariats durables entre une association et "
                    "une entreprise de son territoire.",
                    "Découvrir le prix",
                    "prix-la-part-des-autres",
                ),
                card(
                    "Bénévolat de gouvernance",
                    "Des salariés d'entreprise rejoignent le conseil d'administration d'une "
                    "association : nous organisons la rencontre.",
                    "Proposer ou chercher un administrateur",
                    "benevolat-gouvernance",
                ),
                card(
                    "Actualités",
                    "Webinaires, impact social, vie du prix : suivez ce qui se passe dans le "
                    "réseau et chez nos adhérents.",
                    "Lire les actualités",
                    "actualites",
                ),
            ],
            "body": [
                key_figures(
                    "Le réseau en quelques chiffres",
                    ("4", "axes d'innovation", "pour renforcer le modèle associatif"),
                    ("19", "binômes candidats", "à l'édition 2018 du prix"),
                    ("3", "prix remis", "lors de l'édition 2018"),
                    ("9", "webinaires", "sur la gestion associative, en replay"),
                ),
                call_to_action(
                    "Votre association cherche un second souffle ?",
                    "Gouvernance, financements, évaluation : parlons-en. L'adhésion vous ouvre "
                    "nos ateliers, nos rencontres et l'appui de toute l'équipe.",
                    "Adhérer au réseau",
                    "adherer",
                ),
            ],
        },
        children=[
            association_spec(),
            axes_spec(),
            adherer_spec(),
            prix_spec(),
            benevolat_spec(),
            actualites_spec(),
        ],
    )


def association_spec() -> PageSpec:
    return PageSpec(
        StandardPage,
        "association",
        "L'association",
        {
            "introduction": (
                "Coup de Pousse est né d'un constat que partagent beaucoup de responsables "
                "associatifs : les petites structures portent des missions essentielles avec des "
                "moyens trop limités. Voici d'où nous venons et ce qui nous anime."
            ),
            "body": [
                heading("Comment l'idée a germé"),
                paragraph(
                    p(
                        "Tout est parti d'observations de terrain. Les associations de petite "
                        "taille manquent souvent de bras, de trésorerie, d'outils et surtout de "
                        "temps. Pourtant, quand elles remplissent une mission d'utilité sociale, "
                        "elles ne peuvent pas se permettre de s'arrêter : les besoins auxquels "
                        "elles répondent, eux, n'attendent pas."
                    ),
                    p(
                        "Nous avons fait l'hypothèse que chacune invente sa propre manière de "
                        "tenir : certaines innovent, d'autres saisissent les occasions, d'autres "
                        "encore subissent. À l'heure des regroupements et des mutualisations, ce "
                        "sont elles qui sont les plus exposées. Or un tissu associatif varié est "
                        "une condition de l'innovation sociale et de services accessibles et de "
                        "qualité."
                    ),
                    p(
                        "Pour éprouver cette intuition, nous avons mené une étude auprès "
                        "d'acteurs de secteurs très différents (solidarité, médico-social, "
                        "éducation populaire, économie sociale), tous engagés dans des "
                        "organisations de taille modeste. Elle a fait ressortir les services qui "
                        "leur seraient le plus utiles et qu'elles trouvent rarement près de chez "
                        "elles."
                    ),
                ),
                image(
                    "network",
                    alt_text("network"),
                    "Un réseau, c'est d'abord des liens entre des structures qui se ressemblent.",
                ),
                heading("Les leviers que nous avons repérés"),
                paragraph(
                    p("L'étude a mis en lumière plusieurs leviers pour renforcer les structures :"),
                    ul(
                        "associer davantage bénévoles, salariés, partenaires et personnes "
                        "accompagnées aux décisions ;",
                        "nouer des alliances avec d'autres acteurs pour mieux répondre aux "
                        "besoins sociaux d'un territoire ;",
                        "installer une culture de l'évaluation, pour rendre visibles les effets "
                        "de l'action qui échappent aux chiffres ;",
                        "choisir des outils de gestion qui rendent compte de l'utilité sociale et "
                        "de la valeur immatérielle créée ;",
                        "penser les partenariats avec les entreprises comme une innovation "
                        "partagée plutôt que comme un simple don ;",
                        "ouvrir la gouvernance pour que chaque partie prenante y soit "
                        "représentée ;",
                        "diversifier les sources de financement, même lorsque l'on répond à une "
                        "politique publique.",
                    ),
                ),
                heading("Le cœur de notre projet"),
                paragraph(
                    p(
                        "Notre raison d'être : aider les petites et moyennes organisations de la "
                        "solidarité, et plus largement de l'économie sociale et solidaire, à "
                        "renforcer leurs capacités. Concrètement, nous les accompagnons pour "
                        "qu'elles se professionnalisent et adoptent les pratiques qui leur "
                        "permettront de durer."
                    ),
                    p(
                        "Nous travaillons à leurs côtés, jamais à leur place. Prendre du recul, "
                        "comprendre ce qui coince, voir dans chaque difficulté une occasion "
                        "d'apprendre : c'est ainsi que le changement devient possible et que les "
                        "équipes se remobilisent."
                    ),
                ),
                quote(
                    "Avancer main dans la main : ni à la place des associations, ni loin d'elles.",
                    "Notre principe d'accompagnement",
                ),
                heading("Nos enjeux"),
                paragraph(
                    p(
                        "Pour notre premier programme, de 2016 à 2018, nous nous étions donné "
                        "quatre priorités :"
                    ),
                    ul(
                        "ouvrir le conseil aux plus petites structures, qui y ont rarement accès ;",
                        "faire évoluer le regard que le monde associatif porte sur les "
                        "entreprises, et réciproquement ;",
                        "expérimenter des services de recherche de financements pensés pour les "
                        "très petites associations ;",
                        "rendre plus lisibles les dispositifs d'appui qui leur sont destinés.",
                    ),
                ),
                heading("Les défis qui nous attendent"),
                paragraph(
                    ul(
                        "Bâtir des stratégies de collecte de fonds qui mobilisent toutes les "
                        "forces de l'association : il n'existe pas de modèle économique unique, "
                        "chacun reste à inventer.",
                        "Montrer les ressources dont disposent les associations, pour mieux "
                        "faire comprendre leurs besoins.",
                        "Construire les services avec celles et ceux qui en bénéficient, avec "
                        "les partenaires et avec les personnes qui les pilotent.",
                    ),
                ),
            ],
        },
        show_in_menus=True,
    )


def axes_spec() -> PageSpec:
    return PageSpec(
        StandardPage,
        "axes-innovation",
        "Nos axes d'innovation",
        {
            "introduction": (
                "Repérer les innovations du territoire, les faciliter et en lancer de nouvelles : "
                "notre action s'organise autour de quatre axes, construits avec et pour les "
                "associations de solidarité des Pays de la Loire."
            ),
            "body": [
                paragraph(
                    p(
                        "Tête de réseau régionale, nous sommes à la fois témoins des initiatives "
                        "de nos adhérents, facilitateurs de leurs projets et porteurs de nos "
                        "propres expérimentations. Les actions ci-dessous, conduites dans le "
                        "cadre d'une convention avec la Région, se veulent innovantes à trois "
                        "titres : elles répondent à des besoins nouveaux comme à des besoins "
                        "anciens restés sans réponse, elles sont conçues avec les membres "
                        "eux-mêmes, et d'autres peuvent s'en saisir."
                    )
                ),
                image("axes", alt_text("axes")),
                heading("Axe 1 – Faire vivre le modèle associatif et renouveler la gouvernance"),
                paragraph(
                    p(
                        "Beaucoup d'associations peinent à renouveler leur conseil "
                        "d'administration. Nous réunissons des présidentes et des présidents "
                        "pour analyser ensemble leurs pratiques, avec une méthode d'atelier "
                        "volontiers décalée : chercher d'abord tout ce qui aggraverait la "
                        "situation, pour mieux voir ce qui peut la débloquer. Il en sortira un "
                        "guide des bonnes pratiques pour attirer des bénévoles, une réflexion "
                        "sur ce qui permet de « faire équipe » au sein d'un conseil et une "
                        "journée d'étude sur les équipes dirigeantes de demain."
                    ),
                    p(
                        "Second volet : rapprocher les associations des entreprises engagées "
                        "dans une démarche de responsabilité sociétale, dont les salariés "
                        "peuvent devenir administrateurs bénévoles. C'est notre programme de "
                        "bénévolat de gouvernance."
                    ),
                ),
                heading("Axe 2 – Développer la participation des personnes accompagnées"),
                paragraph(
                    p(
                        "Un groupe ressource d'une quinzaine de personnes, issues d'associations "
                        "de lutte contre les exclusions et de protection de l'enfance, travaille "
                        "sur le pouvoir d'agir des personnes accueillies. Il recense les "
                        "pratiques prometteuses, aide les équipes qui veulent en lancer de "
                        "nouvelles et prépare un forum ouvert pour les faire connaître."
                    ),
                    p(
                        "Chaque association y puise ce dont elle a besoin : appui à la "
                        "direction, formation, échanges de pratiques. Un exemple parmi "
                        "d'autres : réunir professionnels et parents autour de la parentalité "
                        "en situation de précarité."
                    ),
                ),
                heading("Axe 3 – Rapprocher entreprises et associations sur les territoires"),
                paragraph(
                    p(
                        "C'est tout le sens du prix « La part des autres », qui distingue des "
                        "partenariats durables entre une association et une entreprise. Nous "
                        "faisons connaître les lauréats, revoyons à chaque édition le règlement, "
                        "le dossier de candidature et la grille d'évaluation, et mobilisons les "
                        "réseaux du territoire autour du prix, avec un comité de pilotage où "
                        "siègent aussi des représentants du monde de l'entreprise."
                    )
                ),
                heading("Axe 4 – Rendre visible l'utilité sociale"),
                paragraph(
                    p(
                        "Avec un partenaire universitaire, nous construisons une méthode "
                        "d'évaluation de l'utilité sociale propre à notre réseau. Un groupe "
                        "pilote, où se retrouvent adhérents, partenaires et financeurs, commence "
                        "par se forger une culture commune : qu'entend-on par utilité sociale, "
                        "qu'a-t-on à gagner à la mesurer, et par quelles étapes passer ?"
                    )
                ),
            ],
        },
        show_in_menus=True,
    )


def adherer_spec() -> PageSpec:
    return PageSpec(
        StandardPage,
        "adherer",
        "Adhérer",
        {
            "introduction": (
                "Adhérer, c'est rejoindre des associations qui partagent leurs questions et leurs "
                "solutions. L'adhésion vaut pour une année et sa cotisation dépend du type et de "
                "la taille de votre structure."
            ),
            "body": [
                heading("Pourquoi nous rejoindre ?"),
                paragraph(
                    ul(
                        "Être accompagné par une équipe qui connaît les réalités des petites "
                        "structures.",
                        "Échanger avec d'autres dirigeants associatifs lors de nos rencontres et "
                        "de nos webinaires.",
                        "Participer à nos ateliers sur la gouvernance, l'évaluation et le "
                        "financement.",
                        "Peser dans un plaidoyer commun auprès des financeurs et des pouvoirs "
                        "publics.",
                    )
                ),
                heading("Qui peut adhérer ?"),
                paragraph(
                    p(
                        "Toute association ou structure de l'économie sociale et solidaire des "
                        "Pays de la Loire qui partage nos valeurs : coopération, utilité "
                        "sociale, attention portée aux personnes. Les petites et moyennes "
                        "structures sont au cœur de notre projet, mais les plus grandes sont les "
                        "bienvenues pour faire profiter les autres de leur expérience."
                    )
                ),
                heading("Comment ça marche ?"),
                paragraph(
                    ol(
                        "Remplissez le bulletin d'adhésion au nom de votre organisation et "
                        "désignez une ou plusieurs personnes de contact.",
                        "Réglez la cotisation qui correspond à votre catégorie dans la grille "
                        "d'adhésion : en ligne par carte, ou par virement ou chèque.",
                        "Recevez votre attestation d'adhésion et votre reçu, que vous pouvez "
                        "télécharger à tout moment depuis votre espace membre.",
                    )
                ),
                faq(
                    "Questions fréquentes",
                    (
                        "Combien coûte l'adhésion ?",
                        p(
                            "La cotisation suit une grille qui tient compte du type de structure "
                            "et de son budget. Elle est publiée chaque année."
                        ),
                    ),
                    (
                        "Puis-je payer par virement ou par chèque ?",
                        p(
                            "Bien sûr. Indiquez-le en adhérant : votre adhésion est confirmée dès "
                            "que nous avons enregistré votre règlement."
                        ),
                    ),
                    (
                        "Faut-il renouveler l'adhésion chaque année ?",
                        p(
                            "Oui. Nous vous prévenons avant l'échéance, et le renouvellement se "
                            "fait en quelques clics depuis votre espace membre."
                        ),
                    ),
                    (
                        "Plusieurs personnes de notre association peuvent-elles suivre "
                        "l'adhésion ?",
                        p(
                            "Oui : vous pouvez déclarer plusieurs contacts, par exemple la "
                            "présidence et la trésorerie, qui recevront nos informations."
                        ),
                    ),
                ),
                call_to_action(
                    "Envie d'en savoir plus avant de vous engager ?",
                    "Découvrez d'où vient notre réseau, ce qui nous anime et la façon dont nous "
                    "accompagnons les associations.",
                    "Découvrir l'association",
                    "association",
                ),
            ],
        },
        show_in_menus=True,
    )


def prix_spec() -> PageSpec:
    return PageSpec(
        StandardPage,
        "prix-la-part-des-autres",
        "Prix « La part des autres »",
        {
            "introduction": (
                "Depuis 2016, le prix « La part des autres » met à l'honneur des associations et "
                "des entreprises qui construisent ensemble un partenariat durable au service de "
                "leur territoire."
            ),
            "body": [
                heading("Un prix pour les alliances entre associations et entreprises"),
                paragraph(
                    p(
                        "Associations et entreprises se connaissent encore mal. Le prix veut "
                        "montrer qu'elles ont beaucoup à gagner à travailler ensemble, bien "
                        "au-delà du mécénat : partage de compétences, projets menés à deux, "
                        "engagement des salariés, ancrage local."
                    )
                ),
                key_figures(
                    "L'édition 2018 en chiffres",
                    ("19", "binômes candidats", "une association et une entreprise à chaque fois"),
                    ("3", "prix remis", "par un jury mêlant monde associatif et entreprises"),
                    ("2", "éditions", "en 2016 puis en 2018"),
                ),
                heading("Qui peut candidater ?"),
                paragraph(
                    p(
                        "Chaque candidature se présente à deux voix : une association de la "
                        "région et l'entreprise avec laquelle elle a noué une relation suivie. "
                        "Le règlement de chaque édition précise les conditions à remplir."
                    )
                ),
                heading("Comment se déroule la sélection ?"),
                paragraph(
                    p(
                        "Le dossier de candidature se remplit en ligne, en plusieurs fois si "
                        "besoin, jusqu'à la date limite. Un jury formé de personnes issues du "
                        "monde associatif et du monde économique examine chaque dossier à "
                        "l'aide d'une grille d'évaluation connue de tous ; chaque juré signale "
                        "les dossiers pour lesquels il aurait un conflit d'intérêts."
                    )
                ),
                heading("Et après le prix ?"),
                paragraph(
                    p(
                        "Les lauréats ne sont pas oubliés une fois le prix remis : de courts "
                        "reportages font connaître leur démarche, nous les présentons aux "
                        "réseaux d'entreprises et d'associations, et ils témoignent lors de "
                        "l'édition suivante."
                    )
                ),
                call_to_action(
                    "Une nouvelle édition se prépare",
                    "Calendrier, nouveautés du règlement, candidature en ligne : tout ce qu'il "
                    "faut savoir pour vous préparer avec votre partenaire.",
                    "Lire l'annonce",
                    "prix-la-part-des-autres-nouvelle-edition",
                ),
            ],
        },
        show_in_menus=True,
    )


def benevolat_spec() -> PageSpec:
    return PageSpec(
        StandardPage,
        "benevolat-gouvernance",
        "Bénévolat de gouvernance",
        {
            "introduction": (
                "Vous travaillez en entreprise et souhaitez mettre vos compétences au service "
                "d'une association ? Nous vous aidons à trouver le conseil d'administration qui "
                "a besoin de vous."
            ),
            "body": [
                heading("Le constat"),
                paragraph(
                    p(
                        "De nombreuses associations ont du mal à renouveler leur conseil "
                        "d'administration et à préparer le départ des personnes qui portent les "
                        "responsabilités depuis longtemps. De leur côté, des entreprises "
                        "engagées dans une politique de responsabilité sociétale (RSE) "
                        "aimeraient encourager leurs salariés à s'engager bénévolement sur leur "
                        "territoire."
                    )
                ),
                heading("Ce que nous proposons"),
                paragraph(
                    ul(
                        "Mettre en relation associations et entreprises, en nous appuyant sur "
                        "notre connaissance des besoins et du fonctionnement des associations.",
                        "Faire se rencontrer les réseaux, pour que chacun découvre l'univers de "
                        "l'autre.",
                        "Construire la démarche avec les deux parties, à partir de leurs "
                        "contraintes et de leurs atouts.",
                        "Offrir un cadre d'accompagnement rassurant et utile à chacun.",
                    )
                ),
                heading("Comment ça se passe ?"),
                paragraph(
                    ol(
                        "L'association décrit son besoin : compétences recherchées, "
                        "disponibilité attendue, rôle au sein du conseil.",
                        "Le salarié volontaire indique ce qu'il peut apporter et le temps dont "
                        "il dispose.",
                        "Nous organisons la rencontre et suivons les premiers mois de "
                        "l'engagement.",
                        "Nous faisons le point avec tous pour tirer les enseignements et "
                        "améliorer le dispositif.",
                    )
                ),
                faq(
                    "Vos questions",
                    (
                        "Faut-il déjà connaître le monde associatif ?",
                        p(
                            "Non. La curiosité et l'envie de s'engager suffisent : nous vous "
                            "présentons le rôle d'un administrateur avant toute rencontre."
                        ),
                    ),
                    (
                        "Combien de temps cela demande-t-il ?",
                        p(
                            "Cela dépend de l'association : quelques réunions par an pour "
                            "certaines, un suivi plus régulier pour d'autres. Le besoin est "
                            "décrit clairement avant la mise en relation."
                        ),
                    ),
                    (
                        "Mon entreprise doit-elle être partenaire ?",
                        p(
                            "C'est préférable : quand l'employeur soutient la démarche, par "
                            "exemple dans le cadre du mécénat de compétences, l'engagement "
                            "s'inscrit plus facilement dans la durée. Mais vous pouvez aussi "
                            "vous engager à titre personnel."
                        ),
                    ),
                ),
            ],
        },
        show_in_menus=True,
    )


def actualites_spec() -> PageSpec:
    return PageSpec(
        NewsIndexPage,
        "actualites",
        "Actualités",
        {
            "introduction": (
                "Rencontres, webinaires, vie du prix et travaux du réseau : les dernières "
                "nouvelles de Coup de Pousse et de ses adhérents."
            ),
        },
        children=[news_impact_spec(), news_webinaires_spec(), news_prix_spec()],
        show_in_menus=True,
    )


def news_impact_spec() -> PageSpec:
    return PageSpec(
        NewsPage,
        "mesurer-impact-social-ess",
        "Mesurer son impact social : un enjeu devenu stratégique pour l'ESS",
        {
            "date": DaysAgo(12),
            "image": ImageRef("impact"),
            "image_alt": alt_text("impact"),
            "introduction": (
                "L'évaluation de l'impact social n'est plus réservée aux grandes structures. "
                "Encore faut-il que les associations aient les moyens de s'en emparer : c'est "
                "l'un des chantiers que le réseau ouvre cette année."
            ),
            "body": [
                paragraph(
                    p(
                        "En quelques années, l'économie sociale et solidaire est devenue un "
                        "acteur à part entière de l'économie. Sa créativité fait naître sans "
                        "cesse de nouveaux projets, souvent soutenus par les financeurs publics, "
                        "et cette croissance demande des équipes toujours plus "
                        "professionnelles."
                    )
                ),
                heading("Évaluer, pour quoi faire ?"),
                paragraph(
                    p(
                        "Pour une structure dont la finalité est sociale, sociétale ou "
                        "environnementale, savoir montrer ce qu'elle change est devenu "
                        "indispensable. Pas seulement pour convaincre un financeur : "
                        "l'évaluation aide aussi à interroger son projet, à l'améliorer au fil "
                        "du temps, à innover et à dialoguer avec ses parties prenantes."
                    )
                ),
                heading("Le vrai défi : se l'approprier"),
                paragraph(
                    p(
                        "Presque tout le monde s'accorde sur l'intérêt de la démarche. Mais elle "
                        "demande des compétences particulières, du temps et de l'argent ; les "
                        "financements dédiés restent rares, et les méthodes, plus nombreuses "
                        "qu'hier, demeurent difficiles d'accès."
                    ),
                    p("C'est pourquoi nous misons sur des dynamiques collectives, pour :"),
                    ul(
                        "partager un vocabulaire et une vision communs de l'impact social ;",
                        "outiller les structures avec des méthodes à leur mesure ;",
                        "mutualiser les moyens ;",
                        "embarquer largement les acteurs qui exercent les mêmes métiers ou "
                        "agissent dans les mêmes champs.",
                    ),
                ),
                heading("Piloter en mode projet"),
                paragraph(
                    p(
                        "Les financements changent : ils deviennent pluriannuels, mêlent "
                        "plusieurs financeurs publics et européens et s'accompagnent de "
                        "dialogues de gestion exigeants. Il faut pouvoir justifier chaque euro "
                        "et prouver qu'aucun projet n'est financé deux fois. Mal anticipées, ces "
                        "évolutions mettent en danger la trésorerie et la pérennité des projets."
                    ),
                    p(
                        "Suivre le temps passé par projet, tenir des indicateurs qualitatifs et "
                        "quantitatifs, montrer à chaque financeur l'usage de ses fonds, préparer "
                        "des bilans prêts pour un contrôle : ces pratiques nourrissent aussi la "
                        "mesure de l'impact social. Nous leur consacrerons plusieurs ateliers "
                        "dans les prochains mois."
                    ),
                ),
            ],
        },
    )


def news_webinaires_spec() -> PageSpec:
    return PageSpec(
        NewsPage,
        "webinaires-communs-gestion-associative",
        "« Vers des communs de gestion associative » : le cycle de webinaires continue",
        {
            "date": DaysAgo(38),
            "image": ImageRef("webinaires"),
            "image_alt": alt_text("webinaires"),
            "introduction": (
                "Neuf rendez-vous en ligne ont déjà réuni des dirigeantes et des dirigeants "
                "associatifs autour de leurs questions de gestion. Les replays sont ouverts à "
                "toutes et à tous, et de nouveaux thèmes arrivent."
            ),
            "body": [
                paragraph(
                    p(
                        "Lancé en 2022, le projet « Vers des communs de gestion associative » "
                        "part d'une idée simple : les responsables d'associations se posent les "
                        "mêmes questions de gestion, alors autant y réfléchir ensemble. Entraide "
                        "entre pairs, partage de méthodes, conception d'outils pratiques : le but "
                        "est de progresser collectivement et d'alléger la charge qui pèse sur "
                        "les équipes dirigeantes."
                    )
                ),
                heading("Quatre chantiers"),
                paragraph(
                    ul(
                        "Un logiciel libre de prévision budgétaire, avec un accompagnement à sa "
                        "prise en main.",
                        "Une étude de ce qui fragilise les dirigeants associatifs, en "
                        "particulier la pression de la gestion financière.",
                        "Un cycle de rencontres thématiques pour mettre les dirigeants en réseau.",
                        "Un plaidoyer commun adressé aux financeurs et aux têtes de réseau.",
                    )
                ),
                heading("Ce qui a déjà été abordé"),
                paragraph(
                    p(
                        "Les neuf webinaires déjà diffusés ont porté sur des thèmes choisis par "
                        "l'équipe ou proposés par les participants : la place des bénévoles, la "
                        "santé des dirigeants, le changement de statut juridique ou encore la "
                        "recherche de financements privés. Le public grandit à chaque session."
                    )
                ),
                heading("Les prochains rendez-vous"),
                paragraph(
                    p(
                        "Trois thèmes sont en préparation : les règles qui encadrent les aides "
                        "d'État, l'évolution des relations entre bénévoles et salariés, et la "
                        "prise en main de l'outil de prévision budgétaire. Les dates seront "
                        "annoncées ici même."
                    )
                ),
            ],
        },
    )


def news_prix_spec() -> PageSpec:
    return PageSpec(
        NewsPage,
        "prix-la-part-des-autres-nouvelle-edition",
        "Prix « La part des autres » : une nouvelle édition se prépare",
        {
            "date": DaysAgo(71),
            "image": ImageRef("prix"),
            "image_alt": alt_text("prix"),
            "introduction": (
                "Après une édition 2018 qui avait réuni dix-neuf binômes candidats, le prix qui "
                "récompense les partenariats entre associations et entreprises revient. Le "
                "comité de pilotage est déjà au travail."
            ),
            "body": [
                paragraph(
                    p(
                        "En 2018, dix-neuf binômes formés d'une association et d'une entreprise "
                        "avaient tenté leur chance, et le jury avait remis trois prix. Forts de "
                        "cet élan, nous préparons une nouvelle édition."
                    )
                ),
                heading("Ce qui change"),
                paragraph(
                    p(
                        "Le comité de pilotage, qui réunit des membres du réseau et des "
                        "représentants du monde de l'entreprise, a tiré le bilan de l'édition "
                        "précédente. Le règlement, le dossier de candidature et la grille "
                        "d'évaluation ont été revus pour gagner en clarté, et la candidature se "
                        "fera désormais entièrement en ligne."
                    )
                ),
                heading("Les lauréats à l'honneur"),
                paragraph(
                    p(
                        "Les partenariats primés lors des éditions précédentes feront l'objet de "
                        "courts reportages, pour montrer concrètement ce qu'une alliance durable "
                        "entre une association et une entreprise peut apporter à un territoire."
                    )
                ),
                heading("Comment se préparer ?"),
                paragraph(
                    p(
                        "Si votre association travaille déjà avec une entreprise, ou si votre "
                        "entreprise soutient une association, c'est le moment d'en parler "
                        "ensemble. Le calendrier et le règlement seront publiés sur la page du "
                        "prix."
                    )
                ),
                call_to_action(
                    "Tout savoir sur le prix",
                    "Son histoire, ses critères et le déroulement de la sélection.",
                    "Découvrir le prix « La part des autres »",
                    "prix-la-part-des-autres",
                ),
            ],
        },
    )


# --------------------------------------------------------------------------------------------
# Building


@dataclass
class DemoReport:
    images_created: int = 0
    images_reused: int = 0
    pages_created: int = 0
    pages_updated: int = 0
    welcome_pages_removed: int = 0
    pages: dict[str, Page] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"Pages : {self.pages_created} créées, {self.pages_updated} mises à jour ; "
            f"images : {self.images_created} créées, {self.images_reused} réutilisées ; "
            f"page d'accueil initiale supprimée : {'oui' if self.welcome_pages_removed else 'non'}."
        )


def site_has_home_page() -> bool:
    return HomePage.objects.exists()


def resolve(value, *, images: dict, pages: dict, in_stream: bool = False):
    """Turn the content's markers into real values, and plain text into French typography.

    Inside a StreamField, images and pages become their ids (Wagtail's raw JSON form); as model
    fields, images stay objects.
    """
    if isinstance(value, str):
        return typo(value)
    if isinstance(value, PageRef):
        return pages[value.slug].pk
    if isinstance(value, ImageRef):
        image = images[value.key]
        return image.pk if in_stream else image
    if isinstance(value, DaysAgo):
        return timezone.localdate() - timedelta(days=value.days)
    if isinstance(value, dict):
        return {
            k: resolve(v, images=images, pages=pages, in_stream=in_stream) for k, v in value.items()
        }
    if isinstance(value, list):
        return [resolve(v, images=images, pages=pages, in_stream=in_stream) for v in value]
    return value


def _is_stream_field(model, name: str) -> bool:
    return isinstance(model._meta.get_field(name), StreamField)


def find_existing_page(parent: Page, spec: PageSpec) -> Page | None:
    """The page this spec describes, if an earlier run (or an editor) already made it."""
    if spec.model is HomePage:
        found = HomePage.objects.order_by("path").first()
    else:
        found = parent.get_children().filter(slug=spec.slug).first()
    if found is None:
        return None
    found = found.specific
    if not isinstance(found, spec.model):
        raise DemoContentError(
            f"La page « {found.title} » ({found.url_path}) existe déjà mais n'est pas une "
            f"« {spec.model._meta.verbose_name} » : le contenu de démonstration ne la remplace "
            "pas. Renommez son slug ou supprimez-la, puis relancez la commande."
        )
    return found


def ensure_page(parent: Page, spec: PageSpec, images: dict, report: DemoReport) -> Page:
    """Find the page, or create it as a draft with its plain fields (content comes later)."""
    page = find_existing_page(parent, spec)
    if page is not None:
        report.pages_updated += 1
        return page
    plain_fields = {
        name: resolve(value, images=images, pages={})
        for name, value in spec.fields.items()
        if not _is_stream_field(spec.model, name)
    }
    page = spec.model(
        title=typo(spec.title),
        slug=spec.slug,
        live=False,
        show_in_menus=spec.show_in_menus,
        **plain_fields,
    )
    parent.add_child(instance=page)
    report.pages_created += 1
    return page


def publish_page(page: Page, spec: PageSpec, images: dict, pages: dict) -> Page:
    """Write the spec's content on the page and publish it through a revision, as an editor
    would."""
    page.title = typo(spec.title)
    page.draft_title = page.title
    page.show_in_menus = spec.show_in_menus
    for name, value in spec.fields.items():
        in_stream = _is_stream_field(spec.model, name)
        setattr(page, name, resolve(value, images=images, pages=pages, in_stream=in_stream))
    page.save_revision().publish()
    return page


def point_default_site(home: HomePage) -> Site:
    """Make `home` the root of the default site (the existing default site is kept)."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    if (site.hostname, site.port) == ("localhost", 80):
        # Wagtail's placeholder: use the site's public address (BASE_URL), which the sitemap and
        # the absolute links in e-mails are built from.
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site.hostname = address.hostname or "localhost"
        site.port = address.port or (443 if address.scheme == "https" else 80)
    site.root_page = home
    if not site.site_name:
        site.site_name = typo(IDENTITY["name"])
    site.save()
    return site


def remove_welcome_pages() -> int:
    """Delete Wagtail's initial « Welcome to your new Wagtail site! » page once nothing uses it.

    Only a plain `wagtailcore.Page` directly under the root, with no children and root of no
    site, is removed: editors cannot create such pages (Page is not creatable in the admin).
    """
    site_roots = Site.objects.values_list("root_page_id", flat=True)
    candidates = Page.objects.filter(
        depth=2, numchild=0, content_type=ContentType.objects.get_for_model(Page)
    ).exclude(pk__in=site_roots)
    removed = 0
    for page in candidates:
        page.delete()
        removed += 1
    return removed


def update_site_identity(site: Site) -> SiteIdentity:
    # Not SiteIdentity.for_site(): it reads through a cache, and this must be the stored row.
    identity, _ = SiteIdentity.objects.get_or_create(site=site)
    for name, value in IDENTITY.items():
        setattr(identity, name, typo(value) if name in {"name", "tagline", "address"} else value)
    identity.full_clean()
    identity.save()
    return identity


@transaction.atomic
def load_demo_content() -> DemoReport:
    """Create or update the demo site. Safe to run again: it makes no duplicates."""
    report = DemoReport()
    images = {}
    for spec in DEMO_IMAGES:
        images[spec.key], created = ensure_image(spec)
        if created:
            report.images_created += 1
        else:
            report.images_reused += 1

    tree = home_page_spec()
    pages = report.pages
    parents = {HOME_SLUG: Page.get_first_root_node()}
    for spec in tree.walk():  # parents come before their children
        pages[spec.slug] = ensure_page(parents[spec.slug], spec, images, report)
        for child in spec.children:
            parents[child.slug] = pages[spec.slug]

    for spec in tree.walk():
        publish_page(pages[spec.slug], spec, images, pages)

    site = point_default_site(pages[HOME_SLUG])
    report.welcome_pages_removed = remove_welcome_pages()
    update_site_identity(site)
    return report
