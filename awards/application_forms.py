"""The forms of the dossier de candidature, one per step. Every field may stay empty in a draft:
what a submission needs is checked by applications.problems_before_submission."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from members.validators import normalise_identifier, validate_siret

from .attachments import MAX_ATTACHMENTS, max_bytes
from .models import Application
from .processing import PUBLICATION_CONSENT_LABEL

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
