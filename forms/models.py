"""Corporate-volunteer matching: companies, associations' board needs, volunteers' offers, and
the matches staff propose between them; plus the e-mail verifications of public submissions.

Rules that must hold whatever the entry point are database constraints. Territories are
département codes (« 44 », « 2A », « 974 »), as on members.Organisation.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from members.models import Organisation, Sector
from members.validators import validate_departement, validate_siret


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
        import unicodedata

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


class Match(models.Model):
    """A need and an offer put in touch: proposed by staff (or from the volunteer's interest),
    introduced to both sides by e-mail, then accepted or declined, then ended."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposée")
        INTRODUCED = "introduced", _("mise en relation")
        ACCEPTED = "accepted", _("acceptée")
        DECLINED = "declined", _("déclinée")
        ENDED = "ended", _("terminée")

    class Origin(models.TextChoices):
        STAFF = "staff", _("proposée par l’équipe")
        INTEREST = "interest", _("intérêt du bénévole")

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("accepte")
        DECLINED = "declined", _("décline")

    need = models.ForeignKey(
        BoardNeed, on_delete=models.CASCADE, related_name="matches", verbose_name=_("besoin")
    )
    offer = models.ForeignKey(
        VolunteerOffer, on_delete=models.CASCADE, related_name="matches", verbose_name=_("offre")
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, default=0)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    origin = models.CharField(
        _("origine"), max_length=10, choices=Origin.choices, default=Origin.STAFF
    )
    # The volunteer's message when they expressed interest in the need themselves.
    interest_message = models.TextField(_("message du bénévole"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposée par"),
    )
    association_answer = models.CharField(
        _("réponse de l’association"), max_length=10, choices=Answer.choices, blank=True
    )
    association_answered_at = models.DateTimeField(_("répondu le (association)"), null=True)
    volunteer_answer = models.CharField(
        _("réponse du bénévole"), max_length=10, choices=Answer.choices, blank=True
    )
    volunteer_answered_at = models.DateTimeField(_("répondu le (bénévole)"), null=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    introduced_at = models.DateTimeField(_("mise en relation le"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    declined_at = models.DateTimeField(_("déclinée le"), null=True, blank=True)
    ended_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    # The association's reminder, 7 days after the introduction without an answer (once).
    reminder_sent_at = models.DateTimeField(_("relance envoyée le"), null=True, blank=True)
    notes = models.TextField(_("notes de suivi"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mise en relation")
        verbose_name_plural = _("mises en relation")
        constraints = [
            models.UniqueConstraint(fields=["need", "offer"], name="match_unique_pair"),
        ]

    def __str__(self):
        return _("%(need)s ↔ %(offer)s") % {"need": self.need, "offer": self.offer}

    @property
    def identities_revealed(self):
        """Both sides accepted: each may now see who the other is."""
        return (
            self.association_answer == self.Answer.ACCEPTED
            and self.volunteer_answer == self.Answer.ACCEPTED
        )


class EmailVerification(models.Model):
    """A public submission waiting for its sender to click the link e-mailed to them.

    The typed data waits here (not in the real tables) until the address is proven, so a
    stranger's address never receives an account or a published need it did not ask for.
    """

    class Kind(models.TextChoices):
        NEED = "need", _("besoin d’administrateur")
        OFFER = "offer", _("offre de bénévolat")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    email = models.EmailField(_("e-mail"))
    payload = models.JSONField(_("données saisies"))
    language = models.CharField(_("langue"), max_length=10, default="fr")
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    used_at = models.DateTimeField(_("utilisée le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("vérification d’e-mail")
        verbose_name_plural = _("vérifications d’e-mail")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.email}"
