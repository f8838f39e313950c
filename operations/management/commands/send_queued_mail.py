"""Send the e-mails the mail server could not take when they were written (operations/mail.py).
Run every minute by the scheduler; safe to run by hand or from two machines at once."""

from django.core.management.base import BaseCommand

from operations.mail import send_queued


class Command(BaseCommand):
    help = "Envoie les e-mails restés dans la file d'attente (serveur de messagerie indisponible)."

    def handle(self, *args, **options):
        sent, waiting, failed = send_queued()
        self.stdout.write(f"sent {sent}, still waiting {waiting}, given up {failed}")
