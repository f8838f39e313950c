"""Background work of site search (django-tasks): keep one Elasticsearch document in step.

Enqueued by search.indexing's signal handlers after the commit, only when ELASTICSEARCH_URL is
set. A failure (server down or slow) is logged and dropped, not retried: the page or need is
saved, and `manage.py search_index rebuild` puts the whole index right.
"""

import logging

from django_tasks import task

from . import indexing

logger = logging.getLogger(__name__)


def _run(function, pk):
    try:
        function(pk)
    except Exception as error:  # an outside service: log it, the site goes on
        logger.warning("Search index: %s(%s) failed (%s).", function.__name__, pk, error)
        return False
    return True


@task()
def sync_page_task(page_id):
    """Index the page, or remove it if it is no longer live and public."""
    return _run(indexing.sync_page, page_id)


@task()
def sync_subtree_task(page_id):
    """The page and its descendants, after a change of privacy."""
    return _run(indexing.sync_subtree, page_id)


@task()
def sync_need_task(need_id):
    """Index the board need, or remove it if it left the public listing."""
    return _run(indexing.sync_need, need_id)
