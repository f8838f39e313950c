"""Volunteers' offers to serve on a board, the skills each offers, and the CSR partner companies
whose employees volunteer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Organisation, Sector
from members.validators import validate_siret

from .needs import Skill


class Company(models.Model):
    """A CSR partner whose employees volunteer; its contacts see an aggregated dashboard."""

    class Size(models.TextChoices):
        MICRO = "micro", _("moins de 10 salariés")
        SMALL = "small", _("10 à 249 salariés")
        MEDIUM = "medium", _("250 à 4 999 salariés")
        LARGE = "large", _("5 000 salariés et plus")

    name = models.CharField(_("nom"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    sector = models.ForeignKey(
        Sector, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("secteur")
    )
    size = models.CharField(_("taille"), max_length=10, choices=Size.choices, blank=True)
    contact_name = models.CharField(_("nom du contact"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail du contact"), blank=True)
    contact_phone = models.CharField(_("téléphone du contact"), max_length=30, blank=True)
    programme = models.TextField(
        _("programme RSE"),
        blank=True,
        help_text=_("Le programme de bénévolat ou de mécénat de compétences de l’entreprise."),
    )
    # Accounts that may see the company's dashboard (counts only, never names).
    dashboard_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="volunteering_companies",
        verbose_name=_("comptes du tableau de bord"),
    )
    # Associations the company already partners: its employees are not matched with them.
    partner_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partner_companies",
        verbose_name=_("associations déjà partenaires"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("entreprise")
        verbose_name_plural = _("entreprises")
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="company_unique_siret",
                violation_error_message=_("Une entreprise porte déjà ce SIRET."),
            ),
        ]

    def __str__(self):
        return self.name


class VolunteerOffer(models.Model):
    """A person offering to serve on a board; anonymous to associations until they agree."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("disponible")
        ENGAGED = "engaged", _("engagé·e dans un mandat")
        WITHDRAWN = "withdrawn", _("retiré")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer_offers",
        verbose_name=_("compte"),
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    company = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_offers",
        verbose_name=_("entreprise"),
    )
    job_title = models.CharField(_("métier"), max_length=150, blank=True)
    skills = models.ManyToManyField(
        Skill, through="OfferSkill", related_name="offers", verbose_name=_("compétences")
    )
    hours_per_month = models.PositiveSmallIntegerField(_("disponibilité (heures par mois)"))
    # Département codes where the volunteer can serve, e.g. ["44", "49"].
    departements = models.JSONField(_("départements"), default=list)
    preferred_sectors = models.ManyToManyField(
        Sector, blank=True, related_name="+", verbose_name=_("secteurs préférés")
    )
    motivation = models.TextField(_("motivation"))
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.AVAILABLE
    )
    # False: the volunteer lets associations see their name as soon as they are introduced.
    anonymous = models.BooleanField(_("profil anonyme"), default=True)
    # When the volunteer ticked the form's consent to the use of their data: kept as proof.
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("offre de bénévolat")
        verbose_name_plural = _("offres de bénévolat")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_month__gt=0), name="volunteeroffer_positive_hours"
            ),
        ]

    def __str__(self):
        return self.public_label

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def public_label(self):
        """How the volunteer is named to anyone not yet allowed to know who they are."""
        return _("Bénévole n° %(number)s") % {"number": self.pk}


class OfferSkill(models.Model):
    """A skill a volunteer offers, with their level."""

    class Level(models.IntegerChoices):
        BASIC = 1, _("notions")
        CONFIRMED = 2, _("confirmé")
        EXPERT = 3, _("expert")

    offer = models.ForeignKey(VolunteerOffer, on_delete=models.CASCADE, related_name="offer_skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("niveau"), choices=Level.choices, default=Level.CONFIRMED
    )

    class Meta:
        verbose_name = _("compétence proposée")
        verbose_name_plural = _("compétences proposées")
        constraints = [
            models.UniqueConstraint(fields=["offer", "skill"], name="offerskill_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=3), name="offerskill_level_range"
            ),
        ]

    def __str__(self):
        return f"{self.skill} ({self.get_level_display()})"
