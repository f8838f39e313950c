"""Writes the 503 page as a static file, for the reverse proxy to show when no app server answers
(deploy/Caddyfile, `handle_errors`). Rendered from the same template as the app's own 503, with
the static files' hashed names: run it after collectstatic."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.template import loader


class Command(BaseCommand):
    help = "Écrit la page 503 statique que le proxy affiche quand aucun serveur ne répond."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="dossier de destination")

    def handle(self, *args, output, **options):
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "503.html"
        path.write_text(loader.get_template("503.html").render({}), encoding="utf-8")
        self.stdout.write(str(path))
