"""What an organisation reports for a campaign: one report, an answer per indicator (with its
breakdown), and the review of each answer.

A report goes draft → submitted → reviewed, or back to the member as returned (then submitted
again). « Non applicable » is an answer, distinct from no answer. The database refuses what no
entry point may store: negative figures, a numerator above its denominator, a zero
denominator. What depends on the indicator's type (a scale is 1–5, a count is whole) is checked
by the services, which every entry point goes through."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.models import Contact, Organisation

from .campaigns import Campaign
from .framework import BreakdownCategory, Indicator


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        SUBMITTED = "submitted", _("remis")
        RETURNED = "returned", _("à compléter")
        REVIEWED = "reviewed", _("relu")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="reports", verbose_name=_("campagne")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="impact_reports",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="impact_reports_to_review",
        verbose_name=_("relecteur désigné"),
        help_text=_("Un membre de l’équipe, ou d’un adhérent pair, qui relit ce rapport."),
    )
    # Where the organisation stood when it handed the report in (services.submit): the figures
    # by département and sector stay those of that year, whatever the organisation becomes.
    departement = models.CharField(_("département à la remise"), max_length=3, blank=True)
    sectors = models.JSONField(_("secteurs à la remise"), default=list, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    submitted_at = models.DateTimeField(_("remis le"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("relu le"), null=True, blank=True)

    class Meta:
        ordering = ["-campaign__year", "organisation__name"]
        verbose_name = _("rapport d’utilité sociale")
        verbose_name_plural = _("rapports d’utilité sociale")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="report_one_per_campaign"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="report_submitted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.campaign}"

    def clean(self):
        super().clean()
        if self.reviewer_id is None:
            return
        if not self.reviewer.is_active:
            raise ValidationError({"reviewer": _("Ce compte est désactivé.")})
        own = Contact.objects.filter(organisation_id=self.organisation_id, user=self.reviewer)
        if own.exists():
            # Co-evaluation is by others (permissions.reviewable_reports says the same).
            raise ValidationError(
                {"reviewer": _("Un contact de l’organisation ne relit pas son propre rapport.")}
            )

    @property
    def editable(self):
        """The member may change it: a draft, or returned for changes."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Answer(models.Model):
    class Review(models.TextChoices):
        PENDING = "pending", _("à relire")
        ACCEPTED = "accepted", _("validée")
        TO_CHANGE = "to_change", _("à revoir")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="answers", verbose_name=_("indicateur")
    )
    not_applicable = models.BooleanField(_("non applicable"), default=False)
    # One of these holds the answer, by the indicator's type: value for a count, an amount or a
    # scale; numerator and denominator for a percentage; yes_no; text.
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(
        _("numérateur"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("dénominateur"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    yes_no = models.BooleanField(_("oui / non"), null=True, blank=True)
    text = models.TextField(_("texte"), blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    review = models.CharField(
        _("relecture"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    review_comment = models.TextField(_("remarque du relecteur"), blank=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="answer_one_per_indicator"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="answer_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="answer_numerator_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="answer_denominator_positive",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True)
                | Q(denominator__isnull=True)
                | Q(numerator__lte=F("denominator")),
                name="answer_percentage_at_most_100",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} — {self.report}"

    @property
    def is_empty(self):
        """No answer at all (« non applicable » is an answer)."""
        if self.not_applicable:
            return False
        kind = self.indicator.kind
        Kind = Indicator.Kind
        if kind == Kind.PERCENTAGE:
            return self.numerator is None or self.denominator is None
        if kind == Kind.YES_NO:
            return self.yes_no is None
        if kind == Kind.TEXT:
            return not self.text.strip()
        return self.value is None

    @property
    def percentage(self):
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator * 100 / self.denominator


class AnswerPart(models.Model):
    """One category's share of an answer (the women among the volunteers counted)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="parts")
    category = models.ForeignKey(
        BreakdownCategory, on_delete=models.PROTECT, related_name="answer_parts"
    )
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("part d’une réponse")
        verbose_name_plural = _("parts d’une réponse")
        constraints = [
            models.UniqueConstraint(fields=["answer", "category"], name="answerpart_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="answerpart_not_negative"),
        ]

    def __str__(self):
        return f"{self.category} : {self.value}"
