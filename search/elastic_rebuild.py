"""Rebuilding the Elasticsearch index with no downtime, and its status.

The site always searches the ALIAS settings.ELASTICSEARCH_INDEX. A rebuild creates a new index
named after the alias and the time in UTC (« ess-site-20261123-194500-123 »), fills it, and only
when every document went in does it move the alias in one atomic request, then delete the old
index: a search during the rebuild reads the old index, a failed rebuild leaves it untouched.
"""

import datetime

from django.utils import timezone
from elasticsearch.helpers import streaming_bulk
from wagtail.models import PageLogEntry

from forms.models import BoardNeed

from . import indexing
from .documents import index_definition
from .elastic import get_client

# Bulk requests and index creation take longer than a visitor's search may wait.
ADMIN_TIMEOUT = 120


class RebuildError(Exception):
    pass


def admin_client():
    """The site's client with a timeout fit for bulk work (a search keeps the short one)."""

    return get_client().options(request_timeout=ADMIN_TIMEOUT)


def new_index_name(alias, now=None):
    now = (now or timezone.now()).astimezone(datetime.UTC)
    return f"{alias}-{now:%Y%m%d-%H%M%S}-{now.microsecond // 1000:03d}"


def indices_of(client, alias):
    """The concrete indices the alias points at (none before the first rebuild)."""
    if not client.indices.exists_alias(name=alias):
        return []
    return sorted(client.indices.get_alias(name=alias).body)


def swap_actions(alias, old, new):
    """One update_aliases request: the alias leaves the old indices and reaches the new one
    at the same instant (Elasticsearch applies the actions atomically)."""
    return [{"remove": {"index": name, "alias": alias}} for name in old] + [
        {"add": {"index": new, "alias": alias}}
    ]


def rebuild(client, alias, progress=None, now=None):
    """Create, fill and swap in a new index; returns (its name, documents indexed).

    `progress(done, total)` is called as documents go in. Raises RebuildError, after deleting
    the half-built index, when a document is refused or the server fails.
    """
    if client.indices.exists(index=alias) and not client.indices.exists_alias(name=alias):
        raise RebuildError(
            f"« {alias} » est un index, pas un alias : supprimez-le avant la reconstruction."
        )
    started = timezone.now()
    name = new_index_name(alias, now)
    definition = index_definition(name).to_dict()
    client.indices.create(
        index=name, settings=definition["settings"], mappings=definition["mappings"]
    )
    total = indexing.count_documents()
    done = 0
    try:
        actions = (
            {"_index": name, "_id": doc_id, "_source": document}
            for doc_id, document in indexing.all_documents()
        )
        failed = []
        for ok, item in streaming_bulk(
            client, actions, chunk_size=500, raise_on_error=False, raise_on_exception=True
        ):
            done += 1
            if not ok:
                failed.append(item)
            if progress:
                progress(done, total)
        if failed:
            raise RebuildError(f"{len(failed)} documents refusés, par exemple : {failed[0]}")
        client.indices.refresh(index=name)
        old = indices_of(client, alias)
        client.indices.update_aliases(actions=swap_actions(alias, old, name))
    except Exception:
        client.options(ignore_status=404).indices.delete(index=name)
        raise
    for old_name in old:
        client.options(ignore_status=404).indices.delete(index=old_name)
    catch_up(started)
    return name, done


def catch_up(since):
    """Sync what changed while the new index was filling: those syncs went to the old index,
    through the alias. Pages from Wagtail's log (publish, unpublish, move, delete: the entry
    outlives the page), needs from their last change."""
    page_ids = set(
        PageLogEntry.objects.filter(timestamp__gte=since).values_list("page_id", flat=True)
    )
    need_ids = set(BoardNeed.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
    for pk in sorted(page_ids):
        indexing.sync_page(pk)
    for pk in sorted(need_ids):
        indexing.sync_need(pk)
    return len(page_ids) + len(need_ids)


def status(client, alias):
    """{"alias", "indices": [(name, documents)], "expected": documents the database holds}."""
    indices = []
    for name in indices_of(client, alias):
        indices.append((name, client.count(index=name).body["count"]))
    return {"alias": alias, "indices": indices, "expected": indexing.count_documents()}
