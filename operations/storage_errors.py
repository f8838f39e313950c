"""When the file storage fails, the visitor gets a French « réessayez » page (503), not a 500.

Uploads save their file before the row that points to it (Django writes a FileField's file in
pre_save, before the INSERT), so a refused upload leaves no row behind: this middleware only has
to answer. It recognises the object storage's errors (botocore's, and StorageUnavailable, which
operations/storage.py raises in their place) and a full or read-only disk; anything else is left
to Django's error handling.

MIDDLEWARE: anywhere after LocaleMiddleware (the page is in the visitor's language) and
AuthenticationMiddleware (the site's header shows who is logged in).
"""

import errno
import logging

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Seconds after which the visitor may try again (the Retry-After header).
RETRY_AFTER_SECONDS = 60

# A disk that is full or mounted read-only refuses every upload alike.
_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
# How far down the chain of « raise … from … » causes to look for the storage's error.
_MAX_CAUSES = 5


class StorageUnavailable(OSError):
    """The file storage did not answer, or refused what it was asked. An OSError, so that code
    that already copes with a missing file (Wagtail's « image not found » rendition) copes."""


def _botocore_errors():
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # without object storage, botocore need not be installed
        return ()
    return (BotoCoreError, ClientError)


def is_storage_failure(exception):
    """Whether the exception (or what caused it) comes from the file storage being unusable."""
    boto_errors = _botocore_errors()
    for _depth in range(_MAX_CAUSES):
        if exception is None:
            return False
        if isinstance(exception, StorageUnavailable):
            return True
        if boto_errors and isinstance(exception, boto_errors):
            return True
        if isinstance(exception, OSError) and exception.errno in _DISK_ERRNOS:
            return True
        exception = exception.__cause__
    return False


def storage_unavailable_message(request):
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return _(
            "Le stockage des fichiers est momentanément indisponible : ce fichier ne peut pas "
            "être lu pour l’instant. Réessayez dans quelques minutes."
        )
    if request.FILES:
        return _(
            "Le stockage des fichiers est momentanément indisponible, votre fichier n’a pas été "
            "enregistré : réessayez dans quelques minutes."
        )
    return _(
        "Le stockage des fichiers est momentanément indisponible : rien n’a été modifié. "
        "Réessayez dans quelques minutes."
    )


def _wants_json(request):
    # Wagtail's multiple upload (images, documents) posts each file with XMLHttpRequest and reads
    # a JSON answer: {"success": false, "error_message": …} is the shape it knows.
    from_script = request.headers.get("x-requested-with") == "XMLHttpRequest"
    return from_script or "application/json" in request.headers.get("accept", "")


def storage_unavailable_response(request):
    message = storage_unavailable_message(request)
    if _wants_json(request):
        response = JsonResponse({"success": False, "error_message": message}, status=503)
    else:
        try:
            response = render(
                request,
                "storage_unavailable.html",
                {"message": message, "reading": request.method in ("GET", "HEAD", "OPTIONS")},
                status=503,
            )
        except Exception:  # noqa: BLE001 - the site's layout failing must not turn this into a 500
            logger.exception("The storage_unavailable page could not be rendered.")
            response = HttpResponse(message, content_type="text/plain; charset=utf-8", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class StorageErrorMiddleware:
    """Turns a storage failure raised by a view into the 503 page (or JSON for Wagtail's
    uploader), logged as an error so that whoever runs the site hears of it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_storage_failure(exception):
            return None
        logger.error(
            "File storage unavailable during %s %s",
            request.method,
            request.path,
            exc_info=exception,
        )
        return storage_unavailable_response(request)
