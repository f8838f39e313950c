from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from operations.backup import create_backup
from operations.backup_files import BackupError, backup_root


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    # Read once the command is loaded, after Django set up its translations.
    help = _(
        "Sauvegarde la base de données et les fichiers (médias publics et privés) dans un dossier "
        "daté sous BACKUP_DIR, avec un manifeste et les sommes de contrôle."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="DOSSIER",
            help=_(
                "Dossier à créer pour cette sauvegarde (par défaut : un dossier daté "
                "sous %(root)s)."
            )
            % {"root": backup_root()},
        )
        parser.add_argument(
            "--keep",
            type=positive,
            metavar="N",
            help=_("Ne garder que les N sauvegardes les plus récentes du même dossier."),
        )

    def handle(self, *args, output=None, keep=None, **options):
        try:
            folder, manifest = create_backup(output=output, keep=keep)
        except (BackupError, OSError) as error:
            # A full disk or an unreadable file: the partial copy is already gone.
            raise CommandError(
                _("Sauvegarde interrompue, aucun dossier de sauvegarde n’a été créé : %(error)s")
                % {"error": error}
            ) from error
        files = manifest["files"]
        size = manifest["database"]["size"] + sum(entry["size"] for entry in files)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Sauvegarde écrite dans %(folder)s : base %(vendor)s (%(rows)d lignes dans "
                    "%(tables)d tables), %(files)d fichiers, %(size)s en tout."
                )
                % {
                    "folder": folder,
                    "vendor": manifest["database"]["vendor"],
                    "rows": sum(manifest["tables"].values()),
                    "tables": len(manifest["tables"]),
                    "files": len(files),
                    "size": filesizeformat(size),
                }
            )
        )
