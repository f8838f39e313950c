"""Publishing laureates: a LaureatePage per laureate application that consented to it,
made from the application, under its edition's AwardPage, and published — scheduled for the
edition's results date when the results are not published yet. The pages are written in the
site's language (French), whatever the language of the admin.

Idempotent: an application that already has its page is left alone (staff may have edited or
unpublished it). Without consent, nothing is published and the application is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.html import escape, linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Application
from .pages import AwardPage, LaureatePage


class NoAwardPage(Exception):
    """The edition has no AwardPage to put its laureates under."""


@dataclass
class PublicationReport:
    published: list[LaureatePage] = field(default_factory=list)
    already: list[Application] = field(default_factory=list)
    without_consent: list[Application] = field(default_factory=list)
    incomplete: list[tuple[Application, str]] = field(default_factory=list)


def laureates_of(edition):
    return (
        Application.objects.filter(edition=edition, status=Application.Status.LAUREATE)
        .select_related("organisation", "prize", "edition")
        .order_by("prize__sort_order", "pk")
    )


def award_page_of(edition):
    return AwardPage.objects.filter(edition=edition).first()


def _section(heading, text):
    """A heading block and a paragraph block, or nothing for an empty field."""
    text = (text or "").strip()
    if not text:
        return []
    return [
        ("heading", {"text": heading, "level": "h2"}),
        ("paragraph", linebreaks(escape(text))),
    ]


def page_body(application):
    """The partnership told from the application's fields, a heading and a paragraph each,
    in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        sections = [
            (_("Ce qu’apporte l’association"), application.association_contribution),
            (_("Ce qu’apporte l’entreprise"), application.company_contribution),
            (_("Bénéficiaires"), application.beneficiaries),
            (_("Résultats et utilité sociale"), application.results),
            (_("Perspectives"), application.prospects),
        ]
    body = []
    for heading, text in sections:
        body += _section(heading, text)
    return body


def _unique_slug(parent, base):
    base = slugify(base)[:200] or "laureat"
    existing = set(parent.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in existing:
        slug = f"{base}-{n}"
        n += 1
    return slug


def publish_laureates(edition, user=None) -> PublicationReport:
    """Create and publish the missing laureate pages of the edition. Raises NoAwardPage."""
    parent = award_page_of(edition)
    if parent is None:
        raise NoAwardPage
    report = PublicationReport()
    for application in laureates_of(edition):
        if LaureatePage.objects.filter(application=application).exists():
            report.already.append(application)
            continue
        if not application.publication_consent:
            report.without_consent.append(application)
            continue
        try:
            report.published.append(_publish(parent, application, user))
        except ValidationError as error:
            # A required field of the page that the application left empty (its company).
            report.incomplete.append((application, " ".join(error.messages)))
    return report


def _publish(parent, application, user):
    with transaction.atomic():
        title = application.title or application.organisation.name
        page = LaureatePage(
            title=title,
            slug=_unique_slug(parent, title),
            application=application,
            association_name=application.organisation.name,
            company_name=application.company_name,
            prize_name=application.prize.name if application.prize else "",
            introduction=(application.summary or "")[:600],
            body=page_body(application),
            owner=user,
            live=False,
        )
        edition = application.edition
        if not edition.results_are_published():
            # Wagtail keeps the revision scheduled and publishes it on the results date.
            page.go_live_at = edition.results_published_at
        parent.add_child(instance=page)
        revision = page.save_revision(user=user, log_action=True)
        revision.publish(user=user)
    return page


def withdraw_publication(application_id, user=None):
    """The applicants withdrew their consent to publication: the laureate page leaves the site
    at once (and a publication scheduled for the results date is cancelled), and a later
    « publish the laureates » passes the application by. The page stays in the admin,
    unpublished, as the record of the decision. Returns the number of pages taken down."""
    Application.objects.filter(pk=application_id).update(publication_consent=False)
    taken_down = 0
    for page in LaureatePage.objects.filter(application_id=application_id):
        scheduled = page.revisions.exclude(approved_go_live_at=None)
        if page.live or scheduled.exists():
            scheduled.update(approved_go_live_at=None)
            if page.go_live_at is not None:
                page.go_live_at = None
                page.save(update_fields=["go_live_at"])
            if page.live:
                # Done on the person's behalf, not by an editor: no page permission asked.
                page.unpublish(log_action=True)
            taken_down += 1
    return taken_down
