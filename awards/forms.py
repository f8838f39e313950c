"""The award's forms: the dossier de candidature's, one per step, and the jury's (a score form
built from the edition's grid, the conflict declaration).

Every field of a dossier may stay empty in a draft: what a submission needs is checked by
applications.problems_before_submission.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from members.validators import normalise_identifier, validate_siret

from .attachments import MAX_ATTACHMENTS, max_bytes
from .models import Application
from .processing import PUBLICATION_CONSENT_LABEL
from .scoring import NOT_APPLICABLE

PHONE_RE = re.compile(r"^\+?[\d\s.\-()]{6,30}$")


class StartForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Association candidate"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choisissez l’association qui porte la candidature.")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


class PartiesForm(forms.ModelForm):
    company_siret = forms.CharField(
        label=_("SIRET de l’entreprise"),
        required=False,
        max_length=20,
        help_text=_("14 chiffres ; les espaces sont acceptés."),
    )

    class Meta:
        model = Application
        fields = [
            "company_name", "company_siret", "company_sector", "company_size",
            "company_contact_name", "company_contact_email", "company_contact_phone",
        ]  # fmt: skip
        labels = {
            "company_name": _("Nom de l’entreprise partenaire"),
            "company_size": _("Nombre de salariés de l’entreprise"),
            "company_contact_name": _("Nom et prénom du contact dans l’entreprise"),
            "company_contact_email": _("E-mail du contact"),
        }
        help_texts = {
            "company_contact_email": _(
                "Le contact recevra à cette adresse le lien pour confirmer le partenariat."
            ),
        }
        widgets = {
            "company_contact_email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "company_contact_phone": forms.TelInput(),
        }

    def clean_company_siret(self):
        value = normalise_identifier(self.cleaned_data.get("company_siret"))
        if value:
            validate_siret(value)
        return value

    def clean_company_contact_phone(self):
        value = (self.cleaned_data.get("company_contact_phone") or "").strip()
        if value and not PHONE_RE.match(value):
            raise ValidationError(_("Indiquez un numéro de téléphone, par ex. 02 40 00 00 00."))
        return value


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "title", "summary", "start_date", "territory", "beneficiaries",
            "association_contribution", "company_contribution", "results", "prospects",
        ]  # fmt: skip
        labels = {
            "title": _("Titre du partenariat"),
            "summary": _("Résumé"),
            "start_date": _("Date de début du partenariat"),
        }
        help_texts = {
            "summary": _("En quelques phrases (1 500 caractères au plus)."),
            "territory": _("Commune, quartier, département…"),
            "beneficiaries": _("Qui en bénéficie, et combien de personnes."),
        }
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "beneficiaries": forms.Textarea(attrs={"rows": 3}),
            "association_contribution": forms.Textarea(attrs={"rows": 3}),
            "company_contribution": forms.Textarea(attrs={"rows": 3}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "prospects": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "start_date": {"invalid": _("Indiquez une date, par ex. 15/09/2024.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    description = forms.CharField(
        label=_("Description de la pièce"),
        required=False,
        max_length=200,
        help_text=_("Par ex. : convention de partenariat, photo d’une action."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, PNG ou JPEG, %(size)s au plus ; %(count)s fichiers au plus par dossier."
        ) % {"size": filesizeformat(max_bytes()), "count": MAX_ATTACHMENTS}


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["publication_consent"]
        labels = {"publication_consent": PUBLICATION_CONSENT_LABEL}


STEP_FORMS = {1: PartiesForm, 2: PartnershipForm, 4: ConsentForm}


# --- The jury ----------------------------------------------------------------------------------

# The value of « sans objet » among a criterion's choices.
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
