"""Typography and the StreamField blocks the demo pages are written with.

Text is written with plain spaces and straight apostrophes; `typo()` turns them into French
typography (non-breaking spaces before « : ; ? ! », inside « », and ’) when the content is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from wagtail.models import Page

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
