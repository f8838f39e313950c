"""Backups of the site: the database and every file of the storages, in one folder.

A backup folder holds `database.dump` (PostgreSQL, pg_dump's custom format) or
`database.sqlite3` (SQLite), `files/<storage alias>/<name>` for each file, and `manifest.json`:
date, database engine, applied migrations, row count of every table, and each file's size and
sha256. It is written under a hidden temporary name and renamed once complete, so a folder with
its final name is always a whole backup. backup_files.py reads and writes the files,
backup_database.py the database; restore.py puts a backup back.
"""

import json
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from .backup_database import dump_database
from .backup_files import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    backup_root,
    configured_storages,
    copy_from_storage,
    sha256_of,
    storage_files,
)


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
