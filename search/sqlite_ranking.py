"""The ranked SQLite backend of search/backend.py. Imported only on SQLite: Wagtail defines its
FTS5 index model only there."""

from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteFTSIndexEntry,
    SQLiteSearchBackend,
    SQLiteSearchResults,
)
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks


class RankedSQLiteSearchResults(SQLiteSearchResults):
    def _do_search(self):
        compiler = self.query_compiler
        query = normalize(compiler.query)
        if not compiler.order_by_relevance or isinstance(query, (MatchAll, Not)):
            return super()._do_search()
        config = compiler.get_config(self.backend)
        match = MatchExpression(
            compiler.fields or compiler.FTS_TABLE_FIELDS,
            compiler.build_search_query(query, config=config),
        )
        entries = (
            SQLiteFTSIndexEntry.objects.filter(match)
            .filter(
                index_entry__content_type__in=get_descendants_content_types_pks(
                    compiler.queryset.model
                )
            )
            .annotate(score=compiler._build_rank_expression(compiler.get_search_vectors(), config))
        )
        scores = {}
        for object_id, score in entries.values_list("index_entry__object_id", "score"):
            scores.setdefault(object_id, score)  # one entry per object; the first if more
        matching = compiler.queryset.filter(
            pk__in=entries.values("index_entry__object_id")
        ).values_list("pk", flat=True)
        # BM25 is negative, lower is better; ties by descending pk, as Wagtail orders them.
        ranked = sorted(sorted(matching, reverse=True), key=lambda pk: scores.get(str(pk), 0.0))
        ranked = ranked[self.start : self.stop]
        loaded = {obj.pk: obj for obj in compiler.queryset.filter(pk__in=ranked)}
        results = [loaded[pk] for pk in ranked if pk in loaded]
        if self._score_field:
            for obj in results:
                setattr(obj, self._score_field, scores.get(str(obj.pk)))
        return results


class RankedSQLiteSearchBackend(SQLiteSearchBackend):
    results_class = RankedSQLiteSearchResults
