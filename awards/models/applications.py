"""Applications to the award (an association and its partner company, for one edition) and the
files joined to them, kept in private storage."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.storage import private_storage

from .editions import AwardEdition, Prize

# How long the partner company's confirmation link stays valid (its e-mail says it).
PARTNER_LINK_DAYS = 30


class Application(models.Model):
    """A dossier de candidature: an association and its partner company, for one edition."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Déposé")
        ELIGIBLE = "eligible", _("Recevable")
        INELIGIBLE = "ineligible", _("Non recevable")
        SHORTLISTED = "shortlisted", _("Présélectionné")
        LAUREATE = "laureate", _("Lauréat")
        NOT_SELECTED = "not_selected", _("Non retenu")

    edition = models.ForeignKey(AwardEdition, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="award_applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        on_delete=models.PROTECT,
        related_name="award_applications",
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    ineligibility_reason = models.TextField(_("motif de non-recevabilité"), blank=True)

    # The partnership
    title = models.CharField(_("titre du partenariat"), max_length=200, blank=True)
    summary = models.TextField(_("résumé"), blank=True, max_length=1500)
    start_date = models.DateField(_("début du partenariat"), null=True, blank=True)
    territory = models.CharField(_("territoire"), max_length=200, blank=True)
    beneficiaries = models.TextField(_("bénéficiaires"), blank=True)
    association_contribution = models.TextField(_("ce qu’apporte l’association"), blank=True)
    company_contribution = models.TextField(_("ce qu’apporte l’entreprise"), blank=True)
    results = models.TextField(_("résultats et utilité sociale observés"), blank=True)
    prospects = models.TextField(_("perspectives"), blank=True)

    # The partner company
    company_name = models.CharField(_("entreprise partenaire"), max_length=200, blank=True)
    company_siret = models.CharField(_("SIRET de l’entreprise"), max_length=14, blank=True)
    company_sector = models.CharField(_("secteur d’activité"), max_length=150, blank=True)
    company_size = models.PositiveIntegerField(_("salariés de l’entreprise"), null=True, blank=True)
    company_contact_name = models.CharField(
        _("contact dans l’entreprise"), max_length=150, blank=True
    )
    company_contact_email = models.EmailField(_("e-mail du contact"), blank=True)
    company_contact_phone = models.CharField(_("téléphone du contact"), max_length=30, blank=True)
    partner_invited_at = models.DateTimeField(_("entreprise invitée le"), null=True, blank=True)
    partner_confirmed_at = models.DateTimeField(
        _("partenariat confirmé par l’entreprise le"), null=True, blank=True
    )

    publication_consent = models.BooleanField(
        _("accord pour publier le dossier s’il est lauréat"), default=False
    )
    current_step = models.PositiveSmallIntegerField(_("étape en cours"), default=1)
    submitted_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    prize = models.ForeignKey(
        Prize,
        verbose_name=_("prix"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="laureates",
    )
    deliberation_notes = models.TextField(_("notes de délibération"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["edition", "pk"]
        verbose_name = _("dossier de candidature")
        verbose_name_plural = _("dossiers de candidature")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "organisation"],
                name="application_one_per_organisation_and_edition",
                violation_error_message=_(
                    "Cette association a déjà un dossier pour cette édition."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="application_submitted_has_date",
            ),
        ]

    def __str__(self):
        return self.title or _("Dossier n°%(pk)s") % {"pk": self.pk}

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class Attachment(models.Model):
    """A PDF or an image joined to an application: private, served to staff and assigned
    jurors only."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("fichier"), storage=private_storage, upload_to="awards/%Y/")
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self):
        return self.original_name
