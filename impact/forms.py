"""The report form: for each indicator of the campaign, the fields its type asks for, a « non
applicable » box, a comment and a source, and one field per category of its breakdowns.

Every figure is a text field: members type « 1 250 » or « 12,5 » as French people write them,
and the services read them (`impact.services.check_answer`), so that the admin, the autosave and
this form agree. The form only shapes what was typed and puts the services' errors on their
fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Indicator
from .services import AnswerInput

Kind = Indicator.Kind
YES_NO_CHOICES = [("oui", _("Oui")), ("non", _("Non"))]
SCALE_CHOICES = [("", _("— choisir —"))] + [(str(n), str(n)) for n in range(1, 6)]


def typed(number):
    """A stored Decimal as a French person types it: « 1250 », « 12,5 »."""
    if number is None:
        return ""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _figure(label, help_text="", whole=False):
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric" if whole else "decimal", "autocomplete": "off"}
        ),
    )


class ReportForm(forms.Form):
    def __init__(self, *args, indicators, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        answers = answers or {}
        self.groups = []
        for indicator in self.indicators:
            names = self._add_fields(indicator)
            answer = answers.get(indicator.pk)
            if answer is not None:
                self._fill(indicator, answer)
            self.groups.append(
                {
                    "indicator": indicator,
                    "answer": answer,
                    "na": self[self.name(indicator, "na")],
                    "figures": [self[n] for n in names["figures"]],
                    "parts": [self[n] for n in names["parts"]],
                    "comment": self[self.name(indicator, "comment")],
                    "source": self[self.name(indicator, "source")],
                }
            )

    @staticmethod
    def name(indicator, field):
        return f"i{indicator.pk}_{field}"

    def _add_fields(self, indicator):
        name = lambda field: self.name(indicator, field)  # noqa: E731
        unit = indicator.unit
        figures, parts = [], []
        self.fields[name("na")] = forms.BooleanField(label=_("Non applicable"), required=False)
        if indicator.kind in (Kind.COUNT, Kind.AMOUNT):
            label = _("Valeur (%(unit)s)") % {"unit": unit} if unit else _("Valeur")
            self.fields[name("value")] = _figure(label, whole=indicator.kind == Kind.COUNT)
            figures.append(name("value"))
            for breakdown in indicator.breakdowns.all():
                for category in breakdown.categories.all():
                    field = name(f"part_{category.pk}")
                    self.fields[field] = _figure(
                        _("dont %(category)s") % {"category": category.label},
                        whole=indicator.kind == Kind.COUNT,
                    )
                    parts.append(field)
        elif indicator.kind == Kind.SCALE:
            self.fields[name("value")] = forms.ChoiceField(
                label=_("Note de 1 à 5"), choices=SCALE_CHOICES, required=False
            )
            figures.append(name("value"))
        elif indicator.kind == Kind.PERCENTAGE:
            self.fields[name("numerator")] = _figure(indicator.numerator_label)
            self.fields[name("denominator")] = _figure(indicator.denominator_label)
            figures += [name("numerator"), name("denominator")]
        elif indicator.kind == Kind.YES_NO:
            self.fields[name("yes_no")] = forms.ChoiceField(
                label=_("Réponse"),
                choices=YES_NO_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            figures.append(name("yes_no"))
        else:
            self.fields[name("text")] = forms.CharField(
                label=_("Réponse"), required=False, widget=forms.Textarea(attrs={"rows": 4})
            )
            figures.append(name("text"))
        self.fields[name("comment")] = forms.CharField(
            label=_("Commentaire"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Ce qui éclaire le chiffre : une évolution, une difficulté."),
        )
        self.fields[name("source")] = forms.CharField(
            label=_("Source"),
            required=False,
            max_length=300,
            help_text=_("D’où vient le chiffre : registre, comptes annuels, enquête…"),
        )
        return {"figures": figures, "parts": parts}

    def _fill(self, indicator, answer):
        initial = {
            "na": answer.not_applicable,
            "value": typed(answer.value),
            "numerator": typed(answer.numerator),
            "denominator": typed(answer.denominator),
            "yes_no": {True: "oui", False: "non"}.get(answer.yes_no, ""),
            "text": answer.text,
            "comment": answer.comment,
            "source": answer.source,
        }
        if indicator.kind == Kind.SCALE and answer.value is not None:
            initial["value"] = str(int(answer.value))
        for part in answer.parts.all():
            initial[f"part_{part.category_id}"] = typed(part.value)
        for field, value in initial.items():
            if self.name(indicator, field) in self.fields:
                self.initial[self.name(indicator, field)] = value

    def inputs(self):
        """What was typed, {indicator id: AnswerInput}, for the services (call after is_valid).
        An indicator with a field the form itself refused (a source too long, a choice that is
        not one) is left out: what it stores stays as it was until it is typed right."""
        data = self.cleaned_data
        refused = {name for name in self.errors if name != "__all__"}
        result = {}
        for indicator in self.indicators:
            if any(name.startswith(self.name(indicator, "")) for name in refused):
                continue
            texts = {
                field: data.get(self.name(indicator, field)) or ""
                for field in ("value", "numerator", "denominator", "yes_no", "text")
                + ("comment", "source")
            }
            prefix = self.name(indicator, "part_")
            result[indicator.pk] = AnswerInput(
                not_applicable=bool(data.get(self.name(indicator, "na"))),
                **texts,
                parts={
                    int(name[len(prefix) :]): value
                    for name, value in data.items()
                    if name.startswith(prefix) and value
                },
            )
        return result

    def add_rule_errors(self, errors):
        """The services' errors, {indicator id: {field: message}}, on the form's fields."""
        for indicator_id, fields in errors.items():
            for field, message in fields.items():
                field = field.replace("part-", "part_")
                name = f"i{indicator_id}_{field}"
                self.add_error(name if name in self.fields else None, message)

    def error_summary(self):
        """(field id, « indicator — field », message) for each error: the page's summary names
        the indicator, since every indicator has a « Valeur »."""
        rows = []
        for group in self.groups:
            fields = [group["na"], *group["figures"], *group["parts"]]
            for field in fields + [group["comment"], group["source"]]:
                for error in field.errors:
                    label = f"{group['indicator'].name} — {field.label}"
                    rows.append((field.id_for_label, label, error))
        return rows
