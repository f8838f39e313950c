"""Load the award's demo data: the 2016 and 2018 editions and an open current edition.

Safe to run again: editions are found by year, organisations by RNA, users by e-mail and pages
by slug. With --if-empty, nothing happens once an edition exists (that is what `make demo` uses).
Demo accounts get an unusable password unless DEMO_PASSWORD is set in the environment.
"""

from django.core.management.base import BaseCommand

from demo.awards.loader import awards_exist, load_demo_awards


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration du prix « La part des autres » : éditions 2016 et "
        "2018 (dossiers, jury, notes, lauréats) et une édition en cours, appel ouvert."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si une édition du prix existe déjà.",
        )

    def handle(self, *args, if_empty=False, verbosity=1, **options):
        if if_empty and awards_exist():
            if verbosity:
                self.stdout.write(
                    "Une édition du prix existe déjà : données de démonstration non chargées."
                )
            return
        report = load_demo_awards()
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Prix : données de démonstration chargées."))
            self.stdout.write(report.summary())
