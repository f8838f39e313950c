"""Where private files (receipts) live: never under MEDIA_URL, served only through views that
check who asks."""

from django.core.files.storage import storages


def private_storage():
    return storages["private"]
