"""What the association says about itself and its data: the legal settings (director of
publication, host, e-mail provider, privacy contact, statutes) and the legal pages."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from home.cache import cached


@register_setting(icon="doc-full-inverse")
class LegalSettings(BaseGenericSetting):
    """The facts the mentions légales (LCEN art. 6) and the privacy notice (RGPD art. 13) must
    give and that are not the association's identity (name, address, SIRET: home.SiteIdentity)."""

    publication_director = models.CharField(
        _("directeur ou directrice de la publication"),
        max_length=200,
        blank=True,
        help_text=_("En général le président ou la présidente de l’association."),
    )
    host_name = models.CharField(_("hébergeur : nom ou raison sociale"), max_length=200, blank=True)
    host_address = models.TextField(_("hébergeur : adresse"), blank=True)
    host_phone = models.CharField(_("hébergeur : téléphone"), max_length=30, blank=True)
    mail_provider = models.CharField(
        _("prestataire d’envoi des e-mails"),
        max_length=200,
        blank=True,
        help_text=_("Son nom et le pays où il traite les données, par ex. « Brevo (France) »."),
    )
    privacy_email = models.EmailField(
        _("e-mail pour exercer ses droits"),
        blank=True,
        help_text=_("Laisser vide pour utiliser l’e-mail de contact de l’association."),
    )
    dpo_name = models.CharField(
        _("délégué ou déléguée à la protection des données"),
        max_length=200,
        blank=True,
        help_text=_("Facultatif pour une association ; laisser vide s’il n’y en a pas."),
    )
    statutes_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("statuts de l’association"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Lien dans le pied de page et dans le bulletin d’adhésion."),
    )

    panels = [
        FieldPanel("publication_director"),
        MultiFieldPanel(
            [FieldPanel("host_name"), FieldPanel("host_address"), FieldPanel("host_phone")],
            heading=_("Hébergeur"),
        ),
        MultiFieldPanel(
            [FieldPanel("privacy_email"), FieldPanel("dpo_name"), FieldPanel("mail_provider")],
            heading=_("Données personnelles"),
        ),
        FieldPanel("statutes_document"),
    ]

    class Meta:
        verbose_name = _("mentions légales et données personnelles")
        permissions = [
            ("view_register", _("Voir et exporter le registre des traitements")),
            ("erase_person", _("Retrouver, exporter et effacer les données d’une personne")),
        ]

    def contact_email(self, identity):
        """Where a person writes to exercise their rights."""
        return self.privacy_email or identity.email


class ConsentText(models.Model):
    """One version of a text people accept (a checkbox's label, as shown), stored once and
    found again by its SHA-256: what someone accepted can be shown word for word years later."""

    kind = models.CharField(_("objet"), max_length=50)
    language = models.CharField(_("langue"), max_length=10)
    text = models.TextField(_("texte"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("première acceptation"), auto_now_add=True)

    class Meta:
        verbose_name = _("texte de consentement")
        verbose_name_plural = _("textes de consentement")
        constraints = [models.UniqueConstraint(fields=["kind", "sha256"], name="consent_text_once")]

    def __str__(self):
        return f"{self.kind} · {self.version}"

    @property
    def version(self):
        """A short name of the version: the start of its hash."""
        return self.sha256[:12]

    @staticmethod
    def digest(text):
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Consent(models.Model):
    """Who accepted which text, about what, when; and when it was withdrawn. Rows are never
    deleted by a withdrawal: the record proves both (RGPD art. 7.1)."""

    kind = models.CharField(_("objet"), max_length=50, db_index=True)
    text = models.ForeignKey(
        ConsentText, verbose_name=_("texte accepté"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consents",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    # What the consent is about (an application, an offer…), named without a foreign key: the
    # privacy app stands below the apps whose objects these are.
    object_model = models.CharField(_("type d’objet"), max_length=100, blank=True)
    object_id = models.CharField(_("identifiant de l’objet"), max_length=40, blank=True)
    given_at = models.DateTimeField(_("donné le"))
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["-given_at", "-pk"]
        indexes = [models.Index(fields=["object_model", "object_id"], name="consent_object")]

    def __str__(self):
        return f"{self.kind} · {self.given_at:%Y-%m-%d}"

    @property
    def is_active(self):
        return self.withdrawn_at is None


def legal_settings(request=None):
    """The legal settings with their statutes document, read through the cache (they are
    forgotten with the rest of the content when they change: privacy/signals.py)."""

    def compute():
        # Read, never made here: a GET writes nothing (Wagtail's load() would create the row),
        # and the statutes come in the same query, to be cached with the settings.
        return LegalSettings.objects.select_related("statutes_document").first() or LegalSettings()

    return cached("legal-settings", compute, request)


def statutes_document(request=None):
    return legal_settings(request).statutes_document
