from django.core.management.base import BaseCommand

from demo.volunteering.loader import link_demo_pages, load_demo_volunteering
from forms.models import BoardNeed


class Command(BaseCommand):
    help = (
        "Charge le bénévolat de gouvernance de démonstration : compétences, entreprises, "
        "besoins d’associations, offres de bénévoles et mises en relation. "
        "À lancer après load_demo_members."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si des besoins d’administrateurs existent déjà.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and BoardNeed.objects.exists():
            self.stdout.write("Des besoins existent déjà : bénévolat de démonstration non chargé.")
            return
        created = load_demo_volunteering()
        link_demo_pages()
        self.stdout.write(
            self.style.SUCCESS(f"Bénévolat de démonstration : {created} besoins créés.")
        )
