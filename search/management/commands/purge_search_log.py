"""The search log's daily clean-up, for cron with the other daily commands: delete the digest
keys of finished weeks, the visits older than SEARCH_LOG_RETENTION_DAYS (28 by default), and
the candidate queries no kept visit supports any more and staff never decided on.

The first search of each week does the same, so the log is kept short even without cron; the
command makes it happen on quiet weeks too.

python manage.py purge_search_log                    # today
python manage.py purge_search_log --date 2027-03-08 --dry-run
"""

from django.utils.translation import gettext as _

from home.management.daily import DailyCommand
from search import query_log


class Command(DailyCommand):
    @property
    def help(self):  # translated when shown, not when the module is imported
        return _(
            "Efface du journal de recherche les clés des semaines finies, les visites plus "
            "anciennes que la durée de conservation et les recherches qu’aucune visite "
            "conservée ne soutient. À lancer chaque jour."
        )

    def run(self, day, dry_run, **options):
        purged = query_log.purge(day, dry_run=dry_run)
        message = (
            _(
                "Journal de recherche : %(keys)d clé(s), %(visits)d visite(s) et "
                "%(terms)d recherche(s) seraient effacée(s)."
            )
            if dry_run
            else _(
                "Journal de recherche : %(keys)d clé(s), %(visits)d visite(s) et "
                "%(terms)d recherche(s) effacée(s)."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                message % {"keys": purged.keys, "visits": purged.visits, "terms": purged.terms}
            )
        )
