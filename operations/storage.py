"""Object storage (S3 API, through django-storages) for uploaded files, shared by every app server.

Two buckets, never one: the media bucket (Wagtail images, renditions and documents) whose images
anyone may read at their public address, and the private bucket (receipts, award attachments)
that only our views read, with the site's credentials. config/settings/base.py chooses these
classes when the S3_* variables are set (operations/storage_settings.py reads them).

What changes from django-storages' defaults, and why:
- a file is never replaced by another of the same name (Django's behaviour on disk: a suffix is
  added). django-storages overwrites by default, which would let two uploads named alike, or two
  renders of one receipt, destroy each other;
- every failure to reach the storage becomes StorageUnavailable, an OSError: the upload views
  answer a French 503 (operations/storage_errors.py) and Wagtail's {% image %} falls back to its
  « not found » rendition instead of failing the page;
- a file opened for reading is downloaded at once, inside the view, where a failure can still be
  answered properly, not halfway through streaming the response;
- short timeouts and a single retry: a storage that is down costs a request seconds, not minutes.
"""

from contextlib import contextmanager

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from .storage_errors import StorageUnavailable

CONNECT_TIMEOUT_SECONDS = 3
READ_TIMEOUT_SECONDS = 20
# Attempts in all, the first included (botocore's « standard » retry mode).
MAX_ATTEMPTS = 2
# A file read for a view is kept in memory up to this size, on the temporary disk beyond.
MAX_MEMORY_BYTES = 2 * 1024 * 1024
# Where Wagtail puts images (original_images/) and their renditions (images/): the only keys of
# the media bucket anyone may read. Documents (documents/) stay unreadable there: Wagtail's view
# serves them, after checking their collection's privacy.
PUBLIC_MEDIA_PREFIXES = ("images/", "original_images/")


@contextmanager
def _unavailable_on_failure(action, name):
    try:
        yield
    except (BotoCoreError, ClientError) as error:
        raise StorageUnavailable(f"Object storage: could not {action} {name!r}: {error}") from error


class ObjectStorage(S3Storage):
    file_overwrite = False
    max_memory_size = MAX_MEMORY_BYTES

    def __init__(self, **options):
        if options.get("client_config") is None:
            options["client_config"] = Config(
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                read_timeout=READ_TIMEOUT_SECONDS,
                retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
                signature_version="s3v4",
                s3={"addressing_style": options.get("addressing_style")},
            )
        super().__init__(**options)

    def _open(self, name, mode="rb"):
        with _unavailable_on_failure("read", name):
            file = super()._open(name, mode)
            if "w" not in mode:
                file.file  # noqa: B018 - downloads it now (see the module's docstring)
        return file

    def _save(self, name, content):
        with _unavailable_on_failure("store", name):
            return super()._save(name, content)

    def delete(self, name):
        with _unavailable_on_failure("delete", name):
            return super().delete(name)

    def exists(self, name):
        with _unavailable_on_failure("look for", name):
            return super().exists(name)

    def listdir(self, path):
        with _unavailable_on_failure("list", path):
            return super().listdir(path)

    def size(self, name):
        with _unavailable_on_failure("measure", name):
            return super().size(name)

    def get_modified_time(self, name):
        with _unavailable_on_failure("date", name):
            return super().get_modified_time(name)


class PublicMediaStorage(ObjectStorage):
    """The "default" storage: public files, addressed without any signature under `base_url`
    (S3_MEDIA_URL, or the bucket's own address), so that a page only needs the database to
    name an existing rendition."""

    querystring_auth = False

    def get_default_settings(self):
        return {**super().get_default_settings(), "base_url": None}

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not self.base_url:
            return super().url(name, parameters, expire, http_method)
        return self.base_url + filepath_to_uri(self._normalize_name(clean_name(name)))


class PrivateStorage(ObjectStorage):
    """The "private" storage: receipts and award attachments. Our views read the files with the
    site's credentials and stream them; should anything ask for an address, it is signed and
    lasts one minute. No ACL is sent: objects are then private by default, and buckets whose
    ACLs are disabled (AWS's default since 2023) refuse any other ACL header."""

    querystring_auth = True
    querystring_expire = 60
    custom_domain = None


def media_read_policy(bucket):
    """The media bucket's policy: anyone may read images and renditions, nothing else."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicImages",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [
                    f"arn:aws:s3:::{bucket}/{prefix}*" for prefix in PUBLIC_MEDIA_PREFIXES
                ],
            }
        ],
    }
