"""The jury's forms: a score form built from the edition's grid, and the conflict declaration."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .scoring import NOT_APPLICABLE

NA = "na"


class ScoreForm(forms.Form):
    """One radio group (the scale, plus « sans objet » where allowed) and one optional comment
    per criterion. Nothing is required: a partial save is normal; submission checks the rest.

    `cleaned_scores()` gives the data `scoring.save_scores` takes, for the criteria answered.
    """

    def __init__(self, *args, criteria, scores=None, **kwargs):
        self.criteria = list(criteria)
        scores = {score.criterion_id: score for score in (scores or [])}
        initial = kwargs.pop("initial", None) or {}
        for criterion in self.criteria:
            score = scores.get(criterion.pk)
            if score is not None:
                initial[self.value_name(criterion)] = (
                    NA if score.value is NOT_APPLICABLE else str(score.value)
                )
                initial[self.comment_name(criterion)] = score.comment
        super().__init__(*args, initial=initial, **kwargs)
        for criterion in self.criteria:
            choices = [
                (str(v), str(v)) for v in range(criterion.scale_min, criterion.scale_max + 1)
            ]
            if criterion.allow_not_applicable:
                choices.append((NA, _("Sans objet")))
            self.fields[self.value_name(criterion)] = forms.ChoiceField(
                label=criterion.label,
                choices=choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[self.comment_name(criterion)] = forms.CharField(
                label=_("Commentaire sur « %(label)s » (facultatif)") % {"label": criterion.label},
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    @staticmethod
    def value_name(criterion):
        return f"value_{criterion.pk}"

    @staticmethod
    def comment_name(criterion):
        return f"comment_{criterion.pk}"

    def rows(self):
        """(criterion, value field, comment field) for the template, in the grid's order."""
        return [(c, self[self.value_name(c)], self[self.comment_name(c)]) for c in self.criteria]

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            value = cleaned.get(self.value_name(criterion))
            comment = (cleaned.get(self.comment_name(criterion)) or "").strip()
            if comment and not value:
                message = (
                    _("Choisissez une note ou « sans objet » pour enregistrer ce commentaire.")
                    if criterion.allow_not_applicable
                    else _("Choisissez une note pour enregistrer ce commentaire.")
                )
                self.add_error(self.comment_name(criterion), message)
        return cleaned

    def cleaned_scores(self):
        data = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(self.value_name(criterion))
            if not value:
                continue
            data[criterion] = {
                "value": NOT_APPLICABLE if value == NA else int(value),
                "comment": self.cleaned_data.get(self.comment_name(criterion), ""),
            }
        return data


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du conflit d’intérêts"),
        help_text=_(
            "Par exemple : vous travaillez pour l’entreprise partenaire, vous êtes membre de "
            "l’association. Le dossier vous sera retiré et l’équipe prévenue."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez le motif du conflit d’intérêts.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="conflict", **kwargs)
