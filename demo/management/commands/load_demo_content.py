"""Load the demo content (pages, news, images, site identity) that makes a fresh site look real.

Safe to run again: pages are found by slug and updated, images are reused by title. With
--if-empty, nothing happens once a home page exists (that is what `make demo` uses).
"""

from django.core.management.base import BaseCommand, CommandError

from demo.content import loader as demo_content


class Command(BaseCommand):
    help = (
        "Charge le contenu de démonstration : page d'accueil, pages de présentation, "
        "actualités, images et identité de l'association. Peut être relancée sans doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si une page d'accueil existe déjà.",
        )

    def handle(self, *args, if_empty=False, verbosity=1, **options):
        if if_empty and demo_content.site_has_home_page():
            if verbosity:
                self.stdout.write(
                    "Une page d'accueil existe déjà : contenu de démonstration non chargé."
                )
            return
        try:
            report = demo_content.load_demo_content()
        except demo_content.DemoContentError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Contenu de démonstration chargé."))
            self.stdout.write(report.summary())
