"""`manage.py search_index rebuild` and `manage.py search_index status` (Elasticsearch only)."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search import elastic_rebuild

BAR_WIDTH = 30


def progress_bar(stream):
    """A textual progress bar, redrawn in place on `stream`."""

    def draw(done, total):
        total = max(total, done, 1)
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        stream.write(f"\r[{bar}] {done}/{total}")
        stream.flush()

    return draw


class Command(BaseCommand):
    help = (
        "Index Elasticsearch du site : « rebuild » reconstruit l’index sans interruption "
        "(nouvel index daté, puis bascule de l’alias), « status » montre son état."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "status"])

    def handle(self, *args, action, **options):
        if not settings.ELASTICSEARCH_URL:
            raise CommandError("ELASTICSEARCH_URL n’est pas défini : la recherche utilise la base.")
        client = elastic_rebuild.admin_client()
        alias = settings.ELASTICSEARCH_INDEX
        try:
            if action == "rebuild":
                self._rebuild(client, alias)
            else:
                self._status(client, alias)
        except elastic_rebuild.RebuildError as error:
            raise CommandError(str(error)) from error
        except CommandError:
            raise
        except Exception as error:  # server down, refused request: say it plainly
            raise CommandError(f"Elasticsearch ne répond pas correctement : {error}") from error

    def _rebuild(self, client, alias):
        stderr = getattr(self.stderr, "_out", sys.stderr)
        name, count = elastic_rebuild.rebuild(client, alias, progress=progress_bar(stderr))
        stderr.write("\n")
        self.stdout.write(
            self.style.SUCCESS(
                f"Index « {name} » : {count} documents ; l’alias « {alias} » y mène."
            )
        )

    def _status(self, client, alias):
        state = elastic_rebuild.status(client, alias)
        if not state["indices"]:
            self.stdout.write(
                f"L’alias « {alias} » n’existe pas : lancez « search_index rebuild »."
            )
        for name, count in state["indices"]:
            self.stdout.write(f"Alias « {alias} » → index « {name} » : {count} documents.")
        self.stdout.write(f"Documents à indexer d’après la base : {state['expected']}.")
