"""What the award's demo is built with: its pictures, dates in Paris time, accounts, the grid, the
editions and their pages."""

from __future__ import annotations

import datetime
import io
import os
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from awards.models import (
    AwardEdition,
    EvaluationCriterion,
    Prize,
)
from awards.pages import AwardPage
from demo.content.images import DARK_GREEN, GREEN, MINT, WHITE, YELLOW
from demo.content.text import typo
from demo.factories.awards import EditionFactory
from demo.factories.members import UserFactory

from .data import CRITERIA, PRIX_SLUG, PRIZES, RULES

# --------------------------------------------------------------------------------------------
# Pictures, drawn with Pillow: two shapes that meet, like the two partners of a pair


def draw_png(seed: str, size=(1200, 675)) -> bytes:
    rng = random.Random(seed)
    width, height = size
    picture = PILImage.new("RGB", size, MINT)
    draw = ImageDraw.Draw(picture)
    for _ in range(18):
        x, y, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(8, 26)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=WHITE)
    if seed.endswith("-action"):
        # A second picture for the story: bars that grow, like what the pair achieved.
        count = 5
        step = width * 0.7 / count
        for i in range(count):
            top = height * (0.7 - 0.1 * i - rng.uniform(0, 0.05))
            left = width * 0.15 + i * step
            color = YELLOW if i == count - 1 else GREEN
            draw.rounded_rectangle((left, top, left + step * 0.7, height * 0.85), 16, fill=color)
        draw.rectangle((0, height - 24, width, height), fill=DARK_GREEN)
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG")
        return buffer.getvalue()
    radius = height * rng.uniform(0.26, 0.32)
    left = (width * 0.4, height * 0.5)
    right = (width * 0.6, height * rng.uniform(0.45, 0.55))
    draw.ellipse(
        (left[0] - radius, left[1] - radius, left[0] + radius, left[1] + radius), fill=GREEN
    )
    draw.ellipse(
        (right[0] - radius, right[1] - radius, right[0] + radius, right[1] + radius),
        fill=YELLOW,
        outline=DARK_GREEN,
        width=6,
    )
    draw.rectangle((0, height - 24, width, height), fill=DARK_GREEN)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def ensure_image(title: str, description: str, seed: str):
    Image = get_image_model()
    existing = Image.objects.filter(title=title).order_by("pk").first()
    if existing is not None:
        return existing
    image = Image(title=title, description=typo(description))
    image.file = ImageFile(io.BytesIO(draw_png(seed)), name=f"demo-laureat-{seed}.png")
    image._set_image_file_metadata()
    image.save()
    return image


# --------------------------------------------------------------------------------------------
# Building


@dataclass
class AwardsReport:
    editions_created: list[int] = field(default_factory=list)
    applications_created: int = 0
    pages_created: int = 0

    def summary(self) -> str:
        years = ", ".join(str(y) for y in self.editions_created) or "aucune"
        return (
            f"Éditions créées : {years} ; dossiers : {self.applications_created} ; "
            f"pages : {self.pages_created}."
        )


def paris(year, month, day, hour=12, minute=0):
    tz = timezone.get_default_timezone()
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute), tz)


def demo_password_hash():
    """DEMO_PASSWORD for local demonstrations, else an unusable password."""
    return make_password(os.environ.get("DEMO_PASSWORD") or None)


def ensure_users(people, password):
    """Users by e-mail (username = e-mail), created in one query; returns them in order."""
    User = get_user_model()
    emails = [email for email, _first, _last in people]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    missing = [
        UserFactory.build(
            username=email, email=email, first_name=first, last_name=last, password=password
        )
        for email, first, last in people
        if email not in existing
    ]
    User.objects.bulk_create(missing)
    found = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [found[email] for email in emails]


def add_grid(edition, count=None):
    criteria = [
        EvaluationCriterion(
            edition=edition,
            label=typo(label),
            guidance=typo(guidance),
            weight=weight,
            allow_not_applicable=not_applicable,
            sort_order=order,
        )
        for order, (label, guidance, weight, not_applicable) in enumerate(CRITERIA[: count or None])
    ]
    prizes = [
        Prize(
            edition=edition,
            name=typo(name),
            description=typo(description),
            amount_cents=cents,
            sort_order=order,
        )
        for order, (name, description, cents) in enumerate(PRIZES)
    ]
    return EvaluationCriterion.objects.bulk_create(criteria), Prize.objects.bulk_create(prizes)


def make_edition(year, opens, closes, scoring, results):
    edition = AwardEdition.objects.filter(year=year).first()
    if edition is not None:
        return edition, False
    # The grid and the prizes come from add_grid(), richer than the factory's.
    edition = EditionFactory(
        year=year, call_opens_at=opens, call_closes_at=closes, scoring_deadline=scoring,
        results_published_at=results, rules=typo(RULES), jurors_per_application=3,
        criteria=[], prizes=[],
    )  # fmt: skip
    return edition, True


def award_parent():
    """The « Prix La part des autres » page of the demo site, else the site's home page."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    root = site.root_page
    return Page.objects.child_of(root).filter(slug=PRIX_SLUG).first() or root


def publish(parent, page, report):
    """Add `page` under `parent` (unless a page has its slug there) and publish it."""
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.pages_created += 1
    return page


def ensure_award_page(parent, edition, introduction, body, report):
    page = AwardPage.objects.filter(edition=edition).first()
    if page is not None or parent is None:
        return page
    page = AwardPage(
        title=typo(f"Prix « La part des autres » {edition.year}"),
        slug=f"edition-{edition.year}",
        edition=edition,
        introduction=typo(introduction),
        body=body,
        show_in_menus=True,  # the « Prix » section's submenu lists its editions
    )
    return publish(parent, page, report)
