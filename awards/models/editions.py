"""The award's editions: one a year, with its calendar, its prizes and its grid (the criteria
the jury scores). Once the first score exists, the grid is frozen."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable


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
        return EvaluationCriterion.objects.filter(edition=self, scores__isnull=False).exists()


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
        scored = EvaluationCriterion.objects.filter(
            edition_id=self.edition_id, scores__isnull=False
        ).exists()
        if not scored:
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
