"""The search index follows the site's events: a page published, unpublished, moved or made
private, a board need changed, an organisation erased, the fee grid changed (the bulletin's
document shows it). Each enqueues the matching task (search/tasks.py) after the commit, only
when Elasticsearch is configured; SearchConfig.ready connects them once.

The same events, and the editors' promoted results, make the kept search results forgotten
(search/results_cache.py) when they change what a search shows without starting a new content
generation (a publication does that).
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from forms.models import BoardNeed, NeedSkill, Skill
from home.transactions import on_commit_once
from members.erasure import organisation_pseudonymised
from members.models import FeeGrid, FeeTier, MembershipSettings, Organisation
from members.pages import MembershipPage

from . import tasks
from .database import PAGE_KINDS
from .indexing import enabled
from .results_cache import forget_results

logger = logging.getLogger(__name__)


def _enqueue(task_name, pk):
    """Enqueue the task after the commit; only when Elasticsearch is configured."""
    if not enabled():
        return

    def send():
        try:
            getattr(tasks, task_name).enqueue(pk)
        except Exception:  # the editor's change is saved: never break their request
            logger.exception("Search index: could not enqueue %s(%s).", task_name, pk)

    transaction.on_commit(send)


def _page_changed(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _enqueue("sync_page_task", instance.pk)


def _subtree_moved(sender, instance, **kwargs):
    # A new slug or place changes the addresses below, and maybe their privacy: any page type.
    _enqueue("sync_subtree_task", instance.pk)


def _restriction_changed(sender, instance, **kwargs):
    if instance.page_id:
        _enqueue("sync_subtree_task", instance.page_id)


def _need_changed(sender, instance, **kwargs):
    _enqueue("sync_need_task", instance.pk)


def _organisation_changed(sender, instance, **kwargs):
    # An erased (pseudonymised) organisation's needs leave the public listing, so the index.
    if not enabled():
        return
    for pk in BoardNeed.objects.filter(organisation=instance).values_list("pk", flat=True):
        _enqueue("sync_need_task", pk)


def _bulletin_grid_changed(sender, **kwargs):
    # The bulletin's document holds the grid the page shows (MembershipPage.fee_grid_text).
    if enabled():
        on_commit_once(_sync_bulletin_pages)


def _sync_bulletin_pages():
    for pk in MembershipPage.objects.live().values_list("pk", flat=True):
        _enqueue("sync_page_task", pk)


def _results_changed(sender, **kwargs):
    forget_results()


# What a search shows beyond the published pages: needs (their text, organisation, skills), the
# bulletin's grid (it is found by it), the editors' promotions.
SHOWN_IN_RESULTS = (
    BoardNeed,
    NeedSkill,
    Skill,
    Organisation,
    FeeGrid,
    FeeTier,
    MembershipSettings,
    SearchPromotion,
)


def connect_signals():
    """Wire the index to the site's events (call once, from SearchConfig.ready)."""
    for model in PAGE_KINDS:
        name = model.__name__.lower()
        page_published.connect(_page_changed, sender=model, dispatch_uid=f"search-pub-{name}")
        page_unpublished.connect(_page_changed, sender=model, dispatch_uid=f"search-unp-{name}")
        post_delete.connect(_page_changed, sender=model, dispatch_uid=f"search-del-{name}")
    post_page_move.connect(_subtree_moved, dispatch_uid="search-page-moved")
    page_slug_changed.connect(_subtree_moved, dispatch_uid="search-page-slug")
    for signal, uid in ((post_save, "save"), (post_delete, "del")):
        signal.connect(
            _restriction_changed, sender=PageViewRestriction, dispatch_uid=f"search-pvr-{uid}"
        )
        signal.connect(_need_changed, sender=BoardNeed, dispatch_uid=f"search-need-{uid}")
    post_save.connect(
        _organisation_changed, sender=Organisation, dispatch_uid="search-organisation-save"
    )
    for model in (FeeGrid, FeeTier, MembershipSettings):
        name = model.__name__.lower()
        for signal, uid in ((post_save, "save"), (post_delete, "del")):
            signal.connect(
                _bulletin_grid_changed, sender=model, dispatch_uid=f"search-{name}-{uid}"
            )
    for model in SHOWN_IN_RESULTS:
        name = model.__name__.lower()
        for signal, uid in ((post_save, "save"), (post_delete, "del")):
            signal.connect(_results_changed, sender=model, dispatch_uid=f"search-kept-{name}-{uid}")
    # Erasure updates the organisation's needs in bulk (no save signal).
    organisation_pseudonymised.connect(_results_changed, dispatch_uid="search-kept-erasure")
