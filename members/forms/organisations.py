"""An organisation's details, as its contacts keep them current in the portal; the bulletin's
organisation part adds to this form (bulletin.py beside it)."""

import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from ..models import Organisation, Sector
from ..validators import normalise_identifier

# What people type around the digits of an identifier (« 842 310 674 00010 ») is allowed in the
# field, then removed before the model's own checks.
IDENTIFIER_TYPED_MAX = 20
POSTAL_CODE_RE = re.compile(r"^\d{5}$")


class OrganisationEditForm(forms.ModelForm):
    """The details a contact keeps current. The model's validators and constraints apply."""

    FIELD_OF_CONSTRAINT = {"organisation_unique_rna": "rna", "organisation_unique_siret": "siret"}

    class Meta:
        model = Organisation
        fields = [
            "name", "legal_form", "rna", "siret", "address", "postal_code", "city",
            "departement", "sectors", "employees", "volunteers", "budget_bracket",
        ]  # fmt: skip
        widgets = {"sectors": forms.CheckboxSelectMultiple}
        help_texts = {
            "rna": _("W suivi de 9 chiffres, pour une association. RNA ou SIRET : l’un suffit."),
            "siret": _("14 chiffres ; les espaces sont acceptés."),
            "departement": _("Son numéro : 44, 2A, 974…"),
            "employees": _("En équivalents temps plein."),
            "budget_bracket": _("Le total des produits du dernier exercice."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.all()
        for name in ("rna", "siret"):
            field = self.fields[name]
            field.max_length = IDENTIFIER_TYPED_MAX
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]
            field.validators.append(MaxLengthValidator(IDENTIFIER_TYPED_MAX))
            field.widget.attrs["maxlength"] = str(IDENTIFIER_TYPED_MAX)
        self.fields["siret"].widget.attrs["inputmode"] = "numeric"
        self.fields["postal_code"].widget.attrs.update(
            {"autocomplete": "postal-code", "inputmode": "numeric"}
        )
        self.fields["name"].widget.attrs["autocomplete"] = "organization"
        self.fields["address"].widget.attrs["autocomplete"] = "address-line1"
        self.fields["city"].widget.attrs["autocomplete"] = "address-level2"
        for name in ("employees", "volunteers"):
            self.fields[name].widget.attrs["min"] = 0

    def clean_rna(self):
        return normalise_identifier(self.cleaned_data["rna"])

    def clean_siret(self):
        return normalise_identifier(self.cleaned_data["siret"])

    def clean_departement(self):
        return self.cleaned_data["departement"].strip().upper()

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].replace(" ", "")
        if not POSTAL_CODE_RE.match(value):
            raise ValidationError(_("Un code postal compte 5 chiffres."), code="postal_code")
        return value

    def _post_clean(self):
        super()._post_clean()
        # Django skips the constraints that read a field the form does not edit (« RNA or
        # SIRET » also reads pseudonymised_at): check them all with the instance's values, and
        # keep the messages not shown yet.
        failed = {name for name in self._errors if name != NON_FIELD_ERRORS}
        try:
            self.instance.validate_constraints(exclude=failed)
        except ValidationError as error:
            shown = {message for errors in self._errors.values() for message in errors}
            new = [m for ms in error.message_dict.values() for m in ms if m not in shown]
            if new:
                self.add_error(None, list(dict.fromkeys(new)))
        if NON_FIELD_ERRORS not in self._errors:
            return
        # The unique constraints have a condition (an empty number is not unique), so Django
        # reports them for the whole form; they are shown on their field instead.
        constraints = {c.name: c for c in Organisation._meta.constraints}
        field_of_message = {
            str(constraints[name].get_violation_error_message()): field
            for name, field in self.FIELD_OF_CONSTRAINT.items()
        }
        errors = self._errors.pop(NON_FIELD_ERRORS).as_data()
        for error in errors:
            field = field_of_message.get(error.messages[0])
            self.add_error(field, error)
