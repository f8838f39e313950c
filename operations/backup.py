"""Backups of the site: the database and every file of the storages, in one folder.

A backup folder holds `database.dump` (PostgreSQL, pg_dump's custom format) or
`database.sqlite3` (SQLite), `files/<storage alias>/<name>` for each file, and `manifest.json`:
date, database engine, applied migrations, row count of every table, and each file's size and
sha256. It is written under a hidden temporary name and renamed once complete, so a folder with
its final name is always a whole backup.

Files are read and written through Django's storage API only, so the same code copies a local
folder or an S3 bucket. The database is read by the tools made for it: pg_dump (a consistent
snapshot while the site runs) and SQLite's online backup API (idem).

Restoring checks every checksum before it changes anything, then replaces the database, writes
the files back, and compares the row counts with the manifest.
"""

import datetime
import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
FORMAT = "ess-portal-backup"
FORMAT_VERSION = 1
# The storages a backup copies: public media, and private files (receipts, award attachments).
STORAGE_ALIASES = ("default", "private")
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message is for the operator."""


def backup_root():
    return Path(getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "backups"))


# --- Reading and writing files ------------------------------------------------------------------
def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def storage_files(storage, folder=""):
    """Every file name of the storage, walked through listdir (S3 has no real folders, but its
    storage answers listdir the same way)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return  # a local storage whose folder was never created holds nothing
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from storage_files(storage, posixpath.join(folder, sub) if folder else sub)


def copy_from_storage(storage, name, target):
    """Copy one stored file to `target` and return (size, sha256) of what was written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as source, open(target, "wb") as out:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def safe_name(name):
    """A stored name read from a manifest, refused if it could leave its folder."""
    if not isinstance(name, str) or not name or name.startswith("/") or "\\" in name:
        raise BackupError(
            _("Nom de fichier invalide dans le manifeste : « %(name)s ».") % {"name": name}
        )
    if any(part in {"", ".", ".."} for part in name.split("/")):
        raise BackupError(
            _("Nom de fichier invalide dans le manifeste : « %(name)s ».") % {"name": name}
        )
    return name


def configured_storages():
    return [alias for alias in STORAGE_ALIASES if alias in storages.backends]


# --- The database -------------------------------------------------------------------------------
def _connection():
    connection = connections["default"]
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            _("Base de données %(vendor)s non prise en charge (PostgreSQL ou SQLite seulement).")
            % {"vendor": connection.vendor}
        )
    return connection


def _table_names(connection):
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _pg_command(connection, program, *arguments):
    """The command line and environment of a PostgreSQL client program: the password goes
    through PGPASSWORD, never on the command line (other users can read it in `ps`)."""
    params = connection.settings_dict
    _args, extra_env = connection.client.settings_to_cmd_args_env(params, [])
    args = [program, "--no-password"]
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    if params.get("NAME"):
        args += ["--dbname", str(params["NAME"])]
    return args + list(arguments), {**os.environ, **(extra_env or {})}


def _run(args, env=None):
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(
            _("Programme introuvable : %(program)s (installez le client PostgreSQL).")
            % {"program": args[0]}
        ) from error
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s a échoué : %(error)s")
            % {"program": args[0], "error": result.stderr.strip() or result.returncode}
        )


def _count(cursor, quote, tables):
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def dump_database(folder):
    """Write the database into `folder`; return (file name, applied migrations, row counts),
    the counts and migrations read from the very state that was saved."""
    connection = _connection()
    target = folder / DATABASE_FILES[connection.vendor]
    if connection.in_atomic_block:
        raise BackupError(_("Une sauvegarde ne peut pas se faire dans une transaction."))
    if connection.vendor == "postgresql":
        # One snapshot for the counts and for pg_dump: the manifest describes exactly the dump,
        # even while the site keeps writing.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = _count(cursor, connection.ops.quote_name, _table_names(connection))
            migrations = sorted(MigrationRecorder(connection).applied_migrations())
            args, env = _pg_command(
                connection, "pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file",
                str(target),
            )  # fmt: skip
            _run(args, env)
    else:
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            # The copy inherits WAL mode, which would need -wal and -shm files beside it: make
            # it one self-contained file.
            copy.execute("PRAGMA journal_mode=DELETE")
            # Counted in the copy itself: what was saved, whatever the site wrote meanwhile.
            cursor = copy.cursor()
            existing = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master")}
            tables = [name for name in _table_names(connection) if name in existing]
            counts = _count(cursor, connection.ops.quote_name, tables)
            migrations = []
            if "django_migrations" in existing:
                migrations = sorted(cursor.execute("SELECT app, name FROM django_migrations"))
        finally:
            copy.close()
    return target.name, [list(item) for item in migrations], counts


def load_database(path):
    """Replace the configured database with the saved one."""
    connection = _connection()
    if connection.in_atomic_block:
        raise BackupError(_("Une restauration ne peut pas se faire dans une transaction."))
    if connection.vendor == "postgresql":
        # pg_restore drops the tables this connection may have used: let it go first.
        connection.close()
        args, env = _pg_command(
            connection, "pg_restore", "--clean", "--if-exists", "--no-owner",
            "--single-transaction", str(path),
        )  # fmt: skip
        _run(args, env)
    else:
        connection.ensure_connection()
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


def current_counts(tables):
    connection = _connection()
    existing = set(_table_names(connection))
    with connection.cursor() as cursor:
        found = _count(cursor, connection.ops.quote_name, [t for t in tables if t in existing])
    return {table: found.get(table) for table in tables}


# --- Making a backup ----------------------------------------------------------------------------
def _new_folder_name(root, now):
    stamp = timezone.localtime(now).strftime("%Y-%m-%d_%H%M%S")
    name, n = stamp, 1
    while (root / name).exists():
        n += 1
        name = f"{stamp}-{n}"
    return root / name


def create_backup(output=None, keep=None, now=None):
    """Write a whole backup and return its folder, plus its manifest. `output` is the folder to
    create (by default a dated one under BACKUP_DIR); `keep`, if given, removes the oldest
    backups beside it beyond that number."""
    now = now or timezone.now()
    if output is None:
        final = _new_folder_name(backup_root(), now)
    else:
        final = Path(output)
        if final.exists():
            raise BackupError(_("Le dossier %(path)s existe déjà.") % {"path": final})
    final.parent.mkdir(parents=True, exist_ok=True)
    # Beside the final folder, on the same disk, so that the rename at the end is atomic; its
    # name starts with a dot and holds no manifest until the very end.
    work = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".incomplete", dir=final.parent))
    try:
        database_file, migrations, counts = dump_database(work)
        entries = []
        for alias in configured_storages():
            storage = storages[alias]
            for name in storage_files(storage):
                size, digest = copy_from_storage(storage, name, work / "files" / alias / name)
                entries.append({"storage": alias, "name": name, "size": size, "sha256": digest})
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "database": {
                "engine": settings.DATABASES["default"]["ENGINE"],
                "vendor": connections["default"].vendor,
                "file": database_file,
                "size": (work / database_file).stat().st_size,
                "sha256": sha256_of(work / database_file),
            },
            "migrations": migrations,
            "tables": counts,
            "storages": configured_storages(),
            "files": entries,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if keep:
        prune_old_backups(final.parent, keep)
    return final, manifest


def _read_manifest_quietly(folder):
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == FORMAT else None


def prune_old_backups(root, keep):
    """Remove the oldest complete backups of `root` beyond `keep`. Only folders with our
    manifest are counted or removed: nothing else that lives there is touched."""
    found = []
    for folder in Path(root).iterdir():
        if folder.is_dir() and not folder.name.startswith("."):
            manifest = _read_manifest_quietly(folder)
            if manifest:
                found.append((str(manifest.get("created_at", "")), folder.name, folder))
    found.sort()
    removed = [folder for _date, _name, folder in found[: max(len(found) - keep, 0)]]
    for folder in removed:
        shutil.rmtree(folder)
    return removed


# --- Restoring ----------------------------------------------------------------------------------
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
