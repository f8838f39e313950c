"""What a backup folder is made of: `manifest.json` (its format and version), and the files of
the storages, copied with their size and sha256. Files are read and written through Django's
storage API only, so the same code copies a local folder or an S3 bucket.
"""

import hashlib
import posixpath
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
FORMAT = "ess-portal-backup"
FORMAT_VERSION = 1
# The storages a backup copies: public media, and private files (receipts, award attachments).
STORAGE_ALIASES = ("default", "private")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message is for the operator."""


def backup_root():
    return Path(getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "backups"))


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
