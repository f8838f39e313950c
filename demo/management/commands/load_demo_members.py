from django.core.management.base import BaseCommand

from demo.members import load_demo_members
from members.models import Organisation


class Command(BaseCommand):
    help = "Charge la grille de cotisation de l’année et des adhérents de démonstration."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si des organisations existent déjà.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Organisation.objects.exists():
            self.stdout.write(
                "Des organisations existent déjà : adhérents de démonstration non chargés."
            )
            return
        created = load_demo_members()
        self.stdout.write(self.style.SUCCESS(f"Adhérents de démonstration : {created} créés."))
