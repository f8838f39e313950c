"""The shared indicator framework: dimensions of social utility, the indicators in them, and the
breakdowns (« ventilations ») an indicator may ask for, such as by gender or by age band.

Staff edit it in the admin. Once members have answered an indicator, its type and its unit no
longer change (answers would change meaning); its wording and guidance still may."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable


class Dimension(models.Model):
    """A dimension of social utility (lien social, emploi et insertion…)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self):
        return self.name


class Breakdown(ClusterableModel):
    """A way to split a figure, with its categories (« Genre » : femmes, hommes, autre)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        InlinePanel("categories", label=_("Catégories"), min_num=2),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("ventilation")
        verbose_name_plural = _("ventilations")

    def __str__(self):
        return self.name


class BreakdownCategory(Orderable):
    breakdown = ParentalKey(Breakdown, on_delete=models.CASCADE, related_name="categories")
    label = models.CharField(_("catégorie"), max_length=80)

    panels = [FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("catégorie")
        verbose_name_plural = _("catégories")
        constraints = [
            models.UniqueConstraint(fields=["breakdown", "label"], name="breakdowncategory_unique")
        ]

    def __str__(self):
        return self.label


class Indicator(models.Model):
    """A shared measure. A percentage is entered as a numerator and a denominator, so that the
    network's figure is the sum of the parts, not a mean of percentages."""

    class Kind(models.TextChoices):
        COUNT = "count", _("nombre")
        AMOUNT = "amount", _("montant en euros")
        PERCENTAGE = "percentage", _("pourcentage (numérateur et dénominateur)")
        SCALE = "scale", _("échelle de 1 à 5")
        YES_NO = "yes_no", _("oui / non")
        TEXT = "text", _("texte libre")

    NUMERIC_KINDS = (Kind.COUNT, Kind.AMOUNT, Kind.PERCENTAGE, Kind.SCALE, Kind.YES_NO)
    SCALE_MIN, SCALE_MAX = 1, 5

    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("dimension")
    )
    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Court et stable : il nomme l’indicateur dans les données ouvertes."),
    )
    name = models.CharField(_("intitulé"), max_length=200)
    definition = models.TextField(_("définition"), help_text=_("Ce que l’on compte, exactement."))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    unit = models.CharField(
        _("unité"),
        max_length=40,
        blank=True,
        help_text=_("Par ex. « personnes », « heures », « bénévoles ». Vide pour un texte."),
    )
    numerator_label = models.CharField(
        _("le numérateur compte"), max_length=120, blank=True, help_text=_("Pour un pourcentage.")
    )
    denominator_label = models.CharField(
        _("le dénominateur compte"), max_length=120, blank=True, help_text=_("Pour un pourcentage.")
    )
    guidance = models.TextField(_("aide au remplissage"), blank=True)
    breakdowns = models.ManyToManyField(
        Breakdown, verbose_name=_("ventilations"), blank=True, related_name="indicators"
    )
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    panels = [
        FieldPanel("dimension"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("sort_order")]),
        FieldPanel("name"),
        FieldPanel("definition"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("unit")]),
        MultiFieldPanel(
            [FieldPanel("numerator_label"), FieldPanel("denominator_label")],
            heading=_("Pourcentage"),
        ),
        FieldPanel("guidance"),
        FieldPanel("breakdowns"),
    ]

    class Meta:
        ordering = ["dimension__sort_order", "sort_order", "name"]
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")

    def __str__(self):
        return self.name

    @property
    def is_numeric(self):
        return self.kind in self.NUMERIC_KINDS

    def is_answered(self):
        return self.pk is not None and self.answers.exists()

    def clean(self):
        super().clean()
        if self.kind == self.Kind.PERCENTAGE and not (
            self.numerator_label and self.denominator_label
        ):
            raise ValidationError(
                _("Un pourcentage dit ce que comptent son numérateur et son dénominateur."),
                code="percentage_labels",
            )
        if self.pk is None or not self.is_answered():
            return
        saved = Indicator.objects.only("kind", "unit").get(pk=self.pk)
        frozen = {}
        if saved.kind != self.kind:
            frozen["kind"] = _(
                "Des adhérents ont déjà répondu : le type ne peut plus changer (créez un autre "
                "indicateur)."
            )
        if saved.unit != self.unit:
            frozen["unit"] = _(
                "Des adhérents ont déjà répondu : l’unité ne peut plus changer (créez un autre "
                "indicateur)."
            )
        if frozen:
            raise ValidationError(frozen)
