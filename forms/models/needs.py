"""Associations' board needs: the seats they want to fill, and the skills each asks for from the
shared list. Territories are département codes (« 44 », « 2A », « 974 »), as on
members.Organisation."""

import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from members.models import Organisation
from members.validators import validate_departement


class Skill(models.Model):
    """A board skill from the shared list (finance, juridique, RH…), editable by staff."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")

    def __str__(self):
        return self.name


class BoardRole(models.TextChoices):
    PRESIDENT = "president", _("président·e")
    TREASURER = "treasurer", _("trésorier·ère")
    SECRETARY = "secretary", _("secrétaire")
    BOARD_MEMBER = "board_member", _("administrateur·rice")


class BoardNeed(index.Indexed, models.Model):
    """A seat an association wants to fill on its board."""

    class Status(models.TextChoices):
        OPEN = "open", _("ouvert")
        IN_PROGRESS = "in_progress", _("en cours")
        FILLED = "filled", _("pourvu")
        CLOSED = "closed", _("fermé")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        NETWORK = "network", _("réseau seulement")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="board_needs",
        verbose_name=_("association"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    role = models.CharField(_("fonction recherchée"), max_length=20, choices=BoardRole.choices)
    skills = models.ManyToManyField(
        Skill, through="NeedSkill", related_name="needs", verbose_name=_("compétences")
    )
    hours_per_month = models.PositiveSmallIntegerField(_("temps demandé (heures par mois)"))
    mandate_months = models.PositiveSmallIntegerField(_("durée du mandat (mois)"))
    departement = models.CharField(
        _("département"), max_length=3, validators=[validate_departement]
    )
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    visibility = models.CharField(
        _("visibilité"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    # Renewed when the association confirms the need is still open (every 90 days).
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    confirmation_requested_at = models.DateTimeField(
        _("confirmation demandée le"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("fermé le"), null=True, blank=True)
    # When the sender ticked the form's consent to the use of their data: kept as proof.
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("besoin d’administrateur")
        verbose_name_plural = _("besoins d’administrateurs")
        indexes = [models.Index(fields=["status", "visibility"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_month__gt=0) & Q(mandate_months__gt=0),
                name="boardneed_positive_commitment",
            ),
        ]

    def __str__(self):
        return _("%(role)s — %(organisation)s") % {
            "role": self.get_role_display(),
            "organisation": self.organisation,
        }

    # Site search (search/database.py) finds open public needs by these words; search_text repeats
    # them without accents, since PostgreSQL's « french » configuration keeps accents.
    search_fields = [
        index.SearchField("description"),
        index.SearchField("commune"),
        index.SearchField("search_text"),
        index.AutocompleteField("commune"),
        index.RelatedFields("organisation", [index.SearchField("name")]),
        index.RelatedFields("skills", [index.SearchField("name")]),
        index.FilterField("status"),
        index.FilterField("visibility"),
        index.FilterField("departement"),
    ]

    def search_text(self):
        """The role, place, description, association and skills, without accents."""
        words = [
            str(self.get_role_display()),
            self.commune,
            self.departement,
            self.description,
            self.organisation.name,
            *(skill.name for skill in self.skills.all()),
        ]
        text = unicodedata.normalize("NFKD", " ".join(word for word in words if word))
        # « trésorier·ère » must give the word « tresorier »: the middle dot splits words.
        return "".join(c for c in text if not unicodedata.combining(c)).replace("·", " ")

    @property
    def is_listed(self):
        """Shown on the public listing: open and public."""
        return self.status == self.Status.OPEN and self.visibility == self.Visibility.PUBLIC


class NeedSkill(models.Model):
    """A skill a need asks for, with how much it matters (weights the matching score)."""

    class Importance(models.IntegerChoices):
        USEFUL = 1, _("utile")
        IMPORTANT = 2, _("importante")
        ESSENTIAL = 3, _("indispensable")

    need = models.ForeignKey(BoardNeed, on_delete=models.CASCADE, related_name="need_skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    importance = models.PositiveSmallIntegerField(
        _("importance"), choices=Importance.choices, default=Importance.IMPORTANT
    )

    class Meta:
        verbose_name = _("compétence recherchée")
        verbose_name_plural = _("compétences recherchées")
        constraints = [
            models.UniqueConstraint(fields=["need", "skill"], name="needskill_unique"),
            models.CheckConstraint(
                condition=Q(importance__gte=1) & Q(importance__lte=3),
                name="needskill_importance_range",
            ),
        ]

    def __str__(self):
        return f"{self.skill} ({self.get_importance_display()})"
