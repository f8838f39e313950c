from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.legal import load_demo_legal
from privacy.pages import LegalNoticePage


class Command(BaseCommand):
    help = (
        "Charge les mentions légales, la politique de confidentialité, la déclaration "
        "d’accessibilité et les statuts de démonstration."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si des mentions légales existent déjà.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and LegalNoticePage.objects.exists():
            self.stdout.write("Des mentions légales existent déjà : rien n’est chargé.")
            return
        made = load_demo_legal(timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"Pages légales de démonstration : {made} créées."))
