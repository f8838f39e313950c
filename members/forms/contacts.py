"""A contact's own details and the invitation of another person, in the member portal."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import contacts as contact_rules
from ..models import Contact

PHONE_RE = re.compile(r"^\+?[\d\s.\-()]{6,30}$")


class ContactSelfForm(forms.ModelForm):
    """A contact's own details: their name (on their account) and, for this organisation, their
    role and phone number."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)

    class Meta:
        model = Contact
        fields = ["role", "phone"]
        labels = {"role": _("Fonction dans l’organisation")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["first_name", "last_name", "role", "phone"])
        user = self.instance.user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["phone"].widget.input_type = "tel"  # an attrs "type" would be a duplicate
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    @transaction.atomic
    def save(self, commit=True):
        contact = super().save(commit=commit)
        user = contact.user
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        if commit:
            user.save(update_fields=["first_name", "last_name"])
        return contact


def clean_phone(value):
    value = value.strip()
    if value and not PHONE_RE.match(value):
        raise ValidationError(
            _("Indiquez un numéro de téléphone, par ex. 02 40 12 34 56 ou +33 2 40 12 34 56."),
            code="phone",
        )
    return value


class ContactAddForm(forms.Form):
    """Invite a person by e-mail. Whether the address has an account or not, the organisation
    gets a pending invitation, and the person becomes a contact only by accepting it."""

    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=150,
        error_messages={
            "invalid": _("Saisissez une adresse e-mail valide, par ex. nom@exemple.org.")
        },
    )
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        required=False,
        help_text=_("Ignoré si la personne a déjà un compte."),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        required=False,
        help_text=_("Ignoré si la personne a déjà un compte."),
    )
    role = forms.ChoiceField(label=_("Fonction dans l’organisation"), choices=Contact.Role.choices)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.input_type = "tel"

    def clean_email(self):
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"].strip())
        if self.organisation.contacts.filter(user__email__iexact=email).exists():
            raise ValidationError(
                _("Cette personne est déjà contact de l’organisation."), code="already_contact"
            )
        return email

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def save(self, invited_by):
        """The pending invitation of the address (contacts.invite): nothing is attached here,
        whether the address has an account or not, and the page that follows is the same."""
        return contact_rules.invite(self.organisation, invited_by=invited_by, **self.cleaned_data)
