"""The one entry point of site search: `run(query)` asks Elasticsearch when ELASTICSEARCH_URL is
set, and the database otherwise, or when Elasticsearch fails (down, slow, refusing): a search
never breaks the page, it says it answered from the database and logs a warning."""

import logging

from django.conf import settings

from . import database
from .results import SearchQuery, SearchResults

logger = logging.getLogger(__name__)


def elasticsearch_enabled():
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def run(query: SearchQuery) -> SearchResults:

    if elasticsearch_enabled():
        # Here, not at the top: the Elasticsearch client loads only on a site that uses it.
        from . import elastic

        try:
            return elastic.search(query)
        except Exception as error:  # any failure of the outside service: the database answers
            logger.warning("Elasticsearch failed (%s): the database answers.", error)
            results = database.search(query)
            results.degraded = True
            return results
    return database.search(query)
