"""Restoring a backup (backup.py): every checksum is checked before anything changes, then the
database is replaced, the files are written back, and the row counts are compared with the
manifest.
"""

import datetime
import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from .backup_database import DATABASE_FILES, current_counts, load_database
from .backup_files import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    STORAGE_ALIASES,
    BackupError,
    safe_name,
    sha256_of,
    storage_files,
)


@dataclass
class RestoreReport:
    manifest: dict
    files_written: int = 0
    files_removed: list = field(default_factory=list)
    mismatches: dict = field(default_factory=dict)


def read_manifest(folder):
    """The manifest of a backup folder, its shape checked; BackupError if it is not one."""
    folder = Path(folder)
    if not (folder / MANIFEST).is_file():
        raise BackupError(
            _("%(path)s n’est pas une sauvegarde complète : manifest.json manque.")
            % {"path": folder}
        )
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except ValueError as error:
        raise BackupError(
            _("manifest.json est illisible : %(error)s") % {"error": error}
        ) from error
    valid = (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and isinstance(manifest.get("database"), dict)
        and isinstance(manifest.get("tables"), dict)
        and isinstance(manifest.get("files"), list)
    )
    if not valid:
        raise BackupError(_("manifest.json ne décrit pas une sauvegarde de ce site."))
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            _("Version de sauvegarde %(version)s inconnue.") % {"version": manifest.get("version")}
        )
    return manifest


def verify_backup(folder):
    """Check everything a restore will use, before anything is changed: the database engine, the
    storages, and each file's size and checksum. Returns the manifest; BackupError lists every
    problem found."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    problems = []
    database = manifest["database"]
    vendor = connections["default"].vendor
    if database.get("vendor") != vendor:
        problems.append(
            _("la sauvegarde vient d’une base %(saved)s, la base configurée est %(current)s")
            % {"saved": database.get("vendor"), "current": vendor}
        )
    if database.get("file") != DATABASE_FILES.get(vendor):
        problems.append(_("le fichier de la base est mal nommé dans le manifeste"))
    expected = [(database.get("file"), database.get("size"), database.get("sha256"))]
    for entry in manifest["files"]:
        alias = entry.get("storage")
        try:
            name = safe_name(entry.get("name"))
        except BackupError as error:
            problems.append(str(error))
            continue
        if alias not in STORAGE_ALIASES or alias not in storages.backends:
            problems.append(_("le stockage « %(alias)s » n’est pas configuré") % {"alias": alias})
            continue
        expected.append((f"files/{alias}/{name}", entry.get("size"), entry.get("sha256")))
    for relative, size, digest in expected:
        path = folder / str(relative)
        if not path.is_file():
            problems.append(_("%(file)s manque") % {"file": relative})
        elif path.stat().st_size != size or sha256_of(path) != digest:
            problems.append(_("%(file)s a été modifié (somme de contrôle)") % {"file": relative})
    if problems:
        raise BackupError(
            _("Sauvegarde refusée, rien n’a été modifié : %(problems)s.")
            % {"problems": " ; ".join(problems)}
        )
    return manifest


def restore_backup(folder, prune=False):
    """Verify the backup, then replace the database, write the files back, and compare the
    row counts with the manifest (RestoreReport.mismatches: table -> (saved, found))."""
    folder = Path(folder)
    manifest = verify_backup(folder)
    load_database(folder / manifest["database"]["file"])
    report = RestoreReport(manifest)
    saved = {}
    for entry in manifest["files"]:
        saved.setdefault(entry["storage"], set()).add(entry["name"])
        storage = storages[entry["storage"]]
        name = entry["name"]
        # A local storage would save under another name beside an existing file: replace it.
        if storage.exists(name):
            storage.delete(name)
        with open(folder / "files" / entry["storage"] / name, "rb") as handle:
            written = storage.save(name, File(handle, name=posixpath.basename(name)))
        if written != name:
            raise BackupError(
                _("Le stockage « %(alias)s » a enregistré %(name)s sous le nom %(written)s.")
                % {"alias": entry["storage"], "name": name, "written": written}
            )
        report.files_written += 1
    if prune:
        for alias in manifest.get("storages", STORAGE_ALIASES):
            # Only the storages a backup copies: a hand-edited manifest naming "staticfiles"
            # must not make --prune empty it.
            if alias not in STORAGE_ALIASES or alias not in storages.backends:
                continue
            storage = storages[alias]
            for name in list(storage_files(storage)):
                if name not in saved.get(alias, set()):
                    storage.delete(name)
                    report.files_removed.append(f"{alias}/{name}")
    tables = manifest["tables"]
    found = current_counts(list(tables))
    report.mismatches = {
        table: (count, found[table]) for table, count in tables.items() if found[table] != count
    }
    return report


def describe_target():
    """What a restore would replace, in words for the operator."""
    params = connections["default"].settings_dict
    where = str(params.get("NAME") or "")
    if params.get("HOST"):
        where = f"{where} @ {params['HOST']}"
    return where


def created_at_display(manifest):
    try:
        created = datetime.datetime.fromisoformat(manifest["created_at"])
    except (KeyError, TypeError, ValueError):
        return "?"
    return timezone.localtime(created).strftime("%d/%m/%Y %H:%M:%S")
