"""What Elasticsearch indexes, and keeping the index in step with the site.

Indexed: live public pages of every public type (see search.database.PAGE_KINDS) and
the board needs the public listing shows (open, public, organisation not erased). Each becomes a
plain dict (`page_document`, `need_document`); anything else is refused (None) and, if it was
indexed before, removed.

Editors' actions reach the index through signals (publish, unpublish, delete, move or new slug,
a page's privacy, a need or its organisation saved, a need deleted) that enqueue a task after
the commit. Only when ELASTICSEARCH_URL is set; a failure is logged, never raised into the
editor's request: the next `search_index rebuild` puts the index right.
"""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing

from awards.pages import AwardPage
from forms.listing import listed_needs
from forms.models import BoardNeed

from .database import PAGE_KINDS  # the page types indexed, with their kind
from .service import elasticsearch_enabled

logger = logging.getLogger(__name__)


def enabled():

    return elasticsearch_enabled()


def page_id(pk):
    return f"page-{pk}"


def need_id(pk):
    return f"need-{pk}"


# --- Documents --------------------------------------------------------------------------------


def _text_of(page, field_name):
    """The plain text of a StreamField (HTML stripped by Wagtail's own indexing helpers)."""
    value = getattr(page, field_name, None)
    if not value:
        return ""
    field = page._meta.get_field(field_name)
    return " ".join(str(part) for part in field.get_searchable_content(value) if part)


def _award_years():
    """{an award page's tree path: its edition's year}, in one query (laureates read it)."""
    return dict(AwardPage.objects.values_list("path", "edition__year"))


def _page_fields(page, award_years):
    """The document of a page already known to be live, public and of an indexed kind."""
    kind = PAGE_KINDS[type(page)]
    with translation.override(settings.LANGUAGE_CODE):
        url = page.get_url()
    if not url:  # outside every site: nowhere to send a visitor
        return None
    date = None
    year = None
    if kind == "news":
        date = page.date
        year = page.date.year
    elif kind == "award":
        year = award_years.get(page.path)
    elif kind == "laureate":
        year = award_years.get(page.path[: -page.steplen])
    if date is None and page.first_published_at:
        date = page.first_published_at.date()
    extra = []
    if kind == "laureate":
        extra = [page.prize_name, page.association_name, page.company_name]
    if hasattr(page, "fee_grid_text"):  # the bulletin's fee grid
        extra.append(page.fee_grid_text())
    if hasattr(page, "indicator_definitions"):  # the impact page's indicators, defined
        extra.append(page.indicator_definitions())
    if getattr(page, "intro", ""):  # a form page's rich text
        extra.append(get_text_for_indexing(page.intro))
    return {
        "kind": kind,
        "title": page.title,
        "excerpt": getattr(page, "introduction", "") or "",
        "body": " ".join(part for part in [*extra, _text_of(page, "body")] if part),
        "url": url,
        "date": date.isoformat() if date else None,
        "year": year,
        "territory": "",
    }


def page_document(page):
    """The document of `page`, or None if it must not be found: not of a searched type,
    not live, or private (a view restriction on it or above it)."""
    page = page.specific
    if type(page) not in PAGE_KINDS:
        return None
    if not Page.objects.live().public().filter(pk=page.pk).exists():
        return None
    return _page_fields(page, _award_years())


def _need_fields(need):
    with translation.override(settings.LANGUAGE_CODE):
        title = str(need)
        url = reverse("volunteering:need_detail", args=[need.pk])
    skills = [need_skill.skill.name for need_skill in need.need_skills.all()]
    return {
        "kind": "need",
        "title": title,
        "excerpt": need.description,
        "body": " ".join(part for part in [need.organisation.name, need.commune, *skills] if part),
        "url": url,
        "date": need.created_at.date().isoformat() if need.created_at else None,
        "year": None,
        "territory": need.departement,
    }


def need_document(need):
    """The document of a board need, or None unless the public listing shows it (open, public,
    its organisation not erased): the listing's own rule, forms.listing.listed_needs."""
    listed = listed_needs().filter(pk=need.pk).first()
    if listed is None:
        return None
    return _need_fields(listed)


def all_documents():
    """(id, document) for everything to index, in a few queries whatever the number."""
    award_years = _award_years()
    for model in PAGE_KINDS:
        pages = model.objects.live().public().exact_type(model).order_by("path")
        for page in pages.iterator(chunk_size=500):
            document = _page_fields(page, award_years)
            if document is not None:
                yield page_id(page.pk), document
    for need in listed_needs():
        yield need_id(need.pk), _need_fields(need)


def count_documents():
    """How many documents `all_documents` yields, at most (for the progress bar)."""
    pages = sum(model.objects.live().public().exact_type(model).count() for model in PAGE_KINDS)
    return pages + listed_needs().count()


# --- Keeping one document in step ------------------------------------------------------------


def _put(doc_id, document):
    """Index `document` under `doc_id`, or remove `doc_id` when the document is None."""
    # Here, not at the top: the Elasticsearch client (some 170 modules, about 10 MB a worker)
    # loads only in a process that talks to Elasticsearch.
    from .elastic import alias_name, get_client

    client = get_client()
    if document is None:
        client.options(ignore_status=404).delete(index=alias_name(), id=doc_id)
    else:
        # require_alias: before the first rebuild, fail rather than let Elasticsearch create a
        # concrete index under the alias's name (which would then block every rebuild).
        client.index(index=alias_name(), id=doc_id, document=document, require_alias=True)


def sync_page(pk):
    """Index the page `pk` as it is now, or remove it (unpublished, private, deleted)."""
    page = Page.objects.filter(pk=pk).first()
    _put(page_id(pk), page_document(page) if page is not None else None)


def sync_subtree(pk):
    """The page `pk` and its descendants: a view restriction covers them all."""
    page = Page.objects.filter(pk=pk).first()
    if page is None:
        return
    for descendant in Page.objects.descendant_of(page, inclusive=True).specific():
        _put(page_id(descendant.pk), page_document(descendant))


def sync_need(pk):
    """Index the board need `pk` if listed, else remove it (closed, private, deleted)."""
    need = BoardNeed.objects.filter(pk=pk).first()
    _put(need_id(pk), need_document(need) if need is not None else None)
