from django.core.management.base import BaseCommand

from demo.impact import impact_exists, load_demo_impact


class Command(BaseCommand):
    help = (
        "Charge les indicateurs d’utilité sociale de démonstration : 20 indicateurs en "
        "6 dimensions, trois campagnes annuelles et les réponses de 30 organisations."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Ne rien faire si une campagne existe déjà."
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and impact_exists():
            self.stdout.write("Une campagne existe déjà : rien n’est chargé.")
            return
        made = load_demo_impact()
        self.stdout.write(
            self.style.SUCCESS(f"Utilité sociale de démonstration : {made} rapports.")
        )
