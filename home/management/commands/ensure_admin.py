"""Make sure an administrator account exists, without ever changing an existing one.

Credentials come from ADMIN_USERNAME (default « admin »), ADMIN_EMAIL and ADMIN_PASSWORD. Without
ADMIN_PASSWORD a random password is generated and printed once; it is not stored anywhere else.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Crée un compte administrateur s'il n'en existe aucun "
        "(identifiants depuis l'environnement)."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True, is_active=True).exists():
            self.stdout.write("Un compte administrateur existe déjà : rien à faire.")
            return

        username = os.environ.get("ADMIN_USERNAME", "admin")
        email = os.environ.get("ADMIN_EMAIL", "admin@example.org")
        password = os.environ.get("ADMIN_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)

        user = User.objects.filter(username=username).first()
        if user is not None:
            # An account with that name exists but is not an active superuser: do not take it
            # over silently.
            self.stderr.write(
                f"Le compte « {username} » existe mais n'est pas administrateur ; "
                "choisissez un autre ADMIN_USERNAME."
            )
            return
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(self.style.SUCCESS(f"Compte administrateur « {username} » créé."))
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Mot de passe généré (affiché une seule fois) : {password}\n"
                    "Connectez-vous sur http://127.0.0.1:8000/admin/ et changez-le."
                )
            )
