"""The attachments of a dossier: what may be joined, and who may download it.

Only PDF, PNG and JPEG files are kept, recognised by their first bytes (never by their name or
the type the browser claims), within AWARD_ATTACHMENT_MAX_BYTES and MAX_ATTACHMENTS per dossier.
They live on the private storage and are served only through a view that checks who asks.
"""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import Application, Attachment

MAX_ATTACHMENTS = 10
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# Magic bytes → (content type, the extension the stored file gets).
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


def max_bytes():
    return getattr(settings, "AWARD_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def sniff(uploaded):
    """The (content type, extension) of a file from its first bytes, or None."""
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(position)
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def check_upload(application, uploaded):
    """Raise ValidationError (in French) unless the file may be joined to this dossier; return
    its (content type, extension) otherwise."""
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            _("Un dossier compte au plus %(count)s pièces jointes : supprimez-en une d’abord.")
            % {"count": MAX_ATTACHMENTS},
            code="too_many",
        )
    if uploaded.size > max_bytes():
        raise ValidationError(
            _("Ce fichier pèse %(size)s : la limite est de %(limit)s par pièce jointe.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(max_bytes())},
            code="too_big",
        )
    if uploaded.size == 0:
        raise ValidationError(_("Ce fichier est vide."), code="empty")
    kind = sniff(uploaded)
    if kind is None:
        raise ValidationError(
            _(
                "« %(name)s » n’est ni un PDF ni une image PNG ou JPEG (son contenu a été "
                "vérifié, pas seulement son nom) : enregistrez-le en PDF, puis recommencez."
            )
            % {"name": uploaded.name},
            code="bad_type",
        )
    return kind


def add_attachment(application, uploaded, description=""):
    """Check and store the file; returns the Attachment. The dossier's row is locked while it
    counts its files, so two uploads at once cannot pass the limit together."""
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()
        return _store(application, uploaded, description)


def _store(application, uploaded, description):
    content_type, extension = check_upload(application, uploaded)
    original_name = os.path.basename(uploaded.name or "")[:255] or f"piece.{extension}"
    attachment = Attachment(
        application=application,
        original_name=original_name,
        content_type=content_type,
        size=uploaded.size,
        description=description,
    )
    uploaded.seek(0)
    # The stored name is ours (the original one is kept apart): no path nor odd character of
    # the applicant's ends up on disk.
    attachment.file.save(f"dossier-{application.pk}.{extension}", uploaded, save=False)
    attachment.save()
    return attachment


def delete_attachment(attachment):
    attachment.file.delete(save=False)
    attachment.delete()
