from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from operations.backup_files import BackupError
from operations.restore import (
    created_at_display,
    describe_target,
    read_manifest,
    restore_backup,
)


class Command(BaseCommand):
    # Read once the command is loaded, after Django set up its translations.
    help = _(
        "Restaure une sauvegarde faite par « manage.py backup » : vérifie toutes les sommes de "
        "contrôle, remplace la base de données, réécrit les fichiers, puis compare les nombres "
        "de lignes au manifeste."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DOSSIER", help=_("Le dossier de la sauvegarde."))
        parser.add_argument(
            "--yes",
            action="store_true",
            help=_("Confirme le remplacement de la base et des fichiers."),
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help=_("Supprime aussi les fichiers stockés que la sauvegarde ne contient pas."),
        )

    def handle(self, *args, folder, yes=False, prune=False, **options):
        try:
            manifest = read_manifest(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if not yes:
            raise CommandError(self.what_it_would_replace(manifest, prune))
        try:
            report = restore_backup(folder, prune=prune)
        except BackupError as error:
            raise CommandError(
                _("Restauration impossible : %(error)s") % {"error": error}
            ) from error
        except OSError as error:
            # After the checks: the database may already be restored, some files not yet.
            raise CommandError(
                _(
                    "Restauration interrompue en cours de route : %(error)s. Corrigez la cause "
                    "puis relancez la même restauration."
                )
                % {"error": error}
            ) from error
        self.stdout.write(
            _(
                "Sauvegarde du %(date)s restaurée : %(rows)d lignes dans %(tables)d tables, "
                "%(written)d fichiers réécrits, %(removed)d fichiers supprimés."
            )
            % {
                "date": created_at_display(manifest),
                "rows": sum(manifest["tables"].values()),
                "tables": len(manifest["tables"]),
                "written": report.files_written,
                "removed": len(report.files_removed),
            }
        )
        self.warn_about_migrations()
        if report.mismatches:
            details = ", ".join(
                _("%(table)s : %(saved)s attendues, %(found)s trouvées")
                % {"table": table, "saved": saved, "found": found}
                for table, (saved, found) in sorted(report.mismatches.items())
            )
            raise CommandError(
                _(
                    "Restauration faite, mais des nombres de lignes diffèrent du manifeste : "
                    "%(details)s."
                )
                % {"details": details}
            )
        self.stdout.write(self.style.SUCCESS(_("Nombres de lignes conformes au manifeste.")))
        self.stdout.write(
            _(
                "Pensez à vider le cache (Redis) et, avec Elasticsearch, à reconstruire l’index "
                "(manage.py search_index rebuild)."
            )
        )

    def what_it_would_replace(self, manifest, prune):
        by_storage = Counter(entry.get("storage") for entry in manifest["files"])
        lines = [
            _(
                "La restauration remplacerait la base de données %(target)s par celle de la "
                "sauvegarde du %(date)s (%(rows)d lignes dans %(tables)d tables)."
            )
            % {
                "target": describe_target(),
                "date": created_at_display(manifest),
                "rows": sum(manifest["tables"].values()),
                "tables": len(manifest["tables"]),
            }
        ]
        for alias, count in sorted(by_storage.items()):
            lines.append(
                _(
                    "Elle réécrirait %(count)d fichiers du stockage « %(alias)s » (les fichiers de "
                    "même nom seraient remplacés)."
                )
                % {"count": count, "alias": alias}
            )
        if prune:
            lines.append(_("Elle supprimerait les fichiers stockés absents de la sauvegarde."))
        lines.append(_("Rien n’a été modifié. Relancez avec --yes pour confirmer."))
        return "\n".join(lines)

    def warn_about_migrations(self):
        executor = MigrationExecutor(connections["default"])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "La base restaurée n’a pas toutes les migrations du code : lancez "
                        "« manage.py migrate »."
                    )
                )
            )
