"""The « La part des autres » award: editions, their grid, applications, jury and scores.

A score is an integer on the criterion's scale, or NULL for « sans objet » (never a magic
number). Rules that must hold whatever the entry point are database constraints.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from members.storage import private_storage


class AwardEdition(ClusterableModel):
    """One year of the award, with its calendar (Europe/Paris), rules, prizes and grid."""

    year = models.PositiveSmallIntegerField(_("année"), unique=True)
    title = models.CharField(_("titre"), max_length=200, default="Prix « La part des autres »")
    call_opens_at = models.DateTimeField(_("ouverture de l’appel à candidatures"))
    call_closes_at = models.DateTimeField(_("clôture des candidatures"))
    scoring_deadline = models.DateTimeField(_("fin de la notation par le jury"))
    results_published_at = models.DateTimeField(_("publication des résultats"))
    rules = RichTextField(_("règlement"), blank=True)
    rules_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("règlement (document)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    blind_judging = models.BooleanField(
        _("notation à l’aveugle"),
        default=False,
        help_text=_("Les jurés ne voient pas le nom de l’association ni celui de l’entreprise."),
    )
    jurors_per_application = models.PositiveSmallIntegerField(_("jurés par dossier"), default=3)
    show_other_scores = models.BooleanField(
        _("montrer aux jurés les notes des autres"),
        default=False,
        help_text=_("Seulement après avoir soumis leurs propres notes."),
    )
    disagreement_threshold = models.DecimalField(
        _("seuil de désaccord (écart-type, sur 100)"),
        max_digits=5,
        decimal_places=2,
        default=15,
        help_text=_("Au-delà, le dossier est signalé dans le classement."),
    )

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("title")]),
        MultiFieldPanel(
            [
                FieldPanel("call_opens_at"),
                FieldPanel("call_closes_at"),
                FieldPanel("scoring_deadline"),
                FieldPanel("results_published_at"),
            ],
            heading=_("Calendrier (heure de Paris)"),
        ),
        FieldPanel("rules"),
        FieldPanel("rules_document"),
        MultiFieldPanel(
            [
                FieldPanel("blind_judging"),
                FieldPanel("jurors_per_application"),
                FieldPanel("show_other_scores"),
                FieldPanel("disagreement_threshold"),
            ],
            heading=_("Jury"),
        ),
        InlinePanel("prizes", label=_("Prix")),
        InlinePanel("criteria", label=_("Grille d’évaluation")),
    ]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("édition du prix")
        verbose_name_plural = _("éditions du prix")
        constraints = [
            models.CheckConstraint(
                condition=Q(call_closes_at__gt=models.F("call_opens_at"))
                & Q(scoring_deadline__gte=models.F("call_closes_at"))
                & Q(results_published_at__gte=models.F("scoring_deadline")),
                name="edition_calendar_in_order",
                violation_error_message=_(
                    "Les dates doivent se suivre : ouverture, clôture, fin de la notation, "
                    "publication."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.year}"

    def call_is_open(self, now=None):
        now = now or timezone.now()
        return self.call_opens_at <= now <= self.call_closes_at

    def scoring_is_open(self, now=None):
        now = now or timezone.now()
        return self.call_closes_at < now <= self.scoring_deadline

    def results_are_published(self, now=None):
        return (now or timezone.now()) >= self.results_published_at

    def grid_is_frozen(self):
        """Once the first score exists, weights and scales no longer change."""
        return Score.objects.filter(criterion__edition=self).exists()


class Prize(Orderable):
    edition = ParentalKey(AwardEdition, on_delete=models.CASCADE, related_name="prizes")
    name = models.CharField(_("nom du prix"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    amount_cents = models.PositiveIntegerField(_("dotation (centimes)"), null=True, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("prix")
        verbose_name_plural = _("prix")

    def __str__(self):
        return self.name


class EvaluationCriterion(Orderable):
    """A line of the grille d'évaluation: scored from scale_min to scale_max, weighted."""

    edition = ParentalKey(AwardEdition, on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField(_("critère"), max_length=200)
    guidance = models.TextField(_("repères pour le jury"), blank=True)
    weight = models.PositiveSmallIntegerField(_("poids"), default=1)
    scale_min = models.PositiveSmallIntegerField(_("note minimale"), default=0)
    scale_max = models.PositiveSmallIntegerField(_("note maximale"), default=5)
    allow_not_applicable = models.BooleanField(_("« sans objet » possible"), default=False)

    class Meta(Orderable.Meta):
        verbose_name = _("critère d’évaluation")
        verbose_name_plural = _("critères d’évaluation")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")),
                name="criterion_scale_not_empty",
                violation_error_message=_("La note maximale doit dépasser la note minimale."),
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.label

    FROZEN_FIELDS = ("weight", "scale_min", "scale_max", "allow_not_applicable")

    def clean(self):
        super().clean()
        if not Score.objects.filter(criterion__edition_id=self.edition_id).exists():
            return
        if self.pk is None:
            raise ValidationError(
                _(
                    "Le jury a commencé à noter : la grille est figée. Le critère « %(label)s » "
                    "ne peut plus être ajouté."
                )
                % {"label": self.label}
            )
        before = EvaluationCriterion.objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first()
        if before and any(before[f] != getattr(self, f) for f in self.FROZEN_FIELDS):
            raise ValidationError(
                _(
                    "Le jury a commencé à noter : la grille est figée. Le poids et l’échelle de "
                    "« %(label)s » ne peuvent plus changer."
                )
                % {"label": self.label}
            )


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


class Juror(models.Model):
    """A member of an edition's jury. Their employer is kept to avoid conflicts of interest:
    a juror never scores the application of the company they work for."""

    edition = models.ForeignKey(AwardEdition, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="juror_roles"
    )
    company_name = models.CharField(_("employeur"), max_length=200, blank=True)
    company_siret = models.CharField(_("SIRET de l’employeur"), max_length=14, blank=True)
    bio = models.TextField(_("présentation publique"), blank=True)
    is_public = models.BooleanField(_("nom affiché sur la page du prix"), default=True)

    class Meta:
        ordering = ["edition", "user__last_name", "user__first_name"]
        verbose_name = _("juré")
        verbose_name_plural = _("jurés")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="juror_once_per_edition"),
        ]

    def __str__(self):
        return self.user.get_full_name() or self.user.email


class JuryAssignment(models.Model):
    """A juror asked to score an application."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("À noter")
        SUBMITTED = "submitted", _("Notes soumises")
        CONFLICT = "conflict", _("Conflit d’intérêts déclaré")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="assignments")
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.ASSIGNED
    )
    assigned_at = models.DateTimeField(_("affecté le"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    conflict_reason = models.TextField(_("motif du conflit d’intérêts"), blank=True)
    conflict_declared_at = models.DateTimeField(_("conflit déclaré le"), null=True, blank=True)

    class Meta:
        ordering = ["application", "juror"]
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "juror"], name="assignment_once_per_juror"
            ),
            models.CheckConstraint(
                condition=~Q(status="conflict") | ~Q(conflict_reason=""),
                name="assignment_conflict_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.juror} — {self.application}"


def juror_workload():
    """Annotations of a Juror queryset: `done` (submitted), `todo` (left to score) and
    `assigned` (both; conflicts and applications sent back to draft do not count), the same
    figures for the juror's progress bar, staff's progress page and the reminders."""
    counted = ~Q(assignments__application__status=Application.Status.DRAFT)
    status = "assignments__status"
    return {
        "done": Count(
            "assignments", filter=counted & Q(**{status: JuryAssignment.Status.SUBMITTED})
        ),
        "todo": Count(
            "assignments", filter=counted & Q(**{status: JuryAssignment.Status.ASSIGNED})
        ),
        "assigned": Count(
            "assignments", filter=counted & ~Q(**{status: JuryAssignment.Status.CONFLICT})
        ),
    }


class JuryReminder(models.Model):
    """A scheduled reminder already sent to a juror, so the daily job sends each one once (a
    reminder staff send by hand is not recorded: it does not replace the scheduled ones)."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="reminders")
    # Which reminder: the number of days before the deadline it stands for (7, 2…).
    days_before = models.PositiveSmallIntegerField(_("jours avant l’échéance"))
    # The scoring deadline it was counted from: a postponed deadline has its own reminders.
    deadline = models.DateTimeField(_("échéance"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("relance de juré")
        verbose_name_plural = _("relances de jurés")
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "days_before", "deadline"], name="jury_reminder_once_per_offset"
            ),
        ]

    def __str__(self):
        return f"{self.juror} — J-{self.days_before}"


class Score(models.Model):
    """One juror's score on one criterion of one application. NULL value: « sans objet »."""

    assignment = models.ForeignKey(JuryAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        EvaluationCriterion, on_delete=models.PROTECT, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(_("note"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="score_once_per_criterion"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {'—' if self.value is None else self.value}"


# Wagtail pages of this app, in their own module.
from .pages import AwardPage, LaureatePage  # noqa: E402,F401
