"""What the association says about itself and its data: the legal settings (director of
publication, host, e-mail provider, privacy contact, statutes) and the legal pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


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
        permissions = [("view_register", _("Voir et exporter le registre des traitements"))]

    def contact_email(self, identity):
        """Where a person writes to exercise their rights."""
        return self.privacy_email or identity.email


from .pages import AccessibilityStatementPage, LegalNoticePage, PrivacyNoticePage  # noqa: E402,F401
