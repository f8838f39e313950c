"""The bulletin d'adhésion's parts: organisation, contact, dues and payment, consent.

Each part is its own form, shown as one fieldset of a single HTML form, so that an error in one
part keeps what was typed in all of them.
"""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from home.money import format_euros

from ..models import Contact, Payment
from ..stripe_gateway import is_configured as stripe_configured
from .accounts import check_new_password
from .organisations import OrganisationEditForm


class OrganisationForm(OrganisationEditForm):
    """The portal's organisation form (identifiers normalised, uniqueness errors on their
    field), with the fields that decide the tier marked for the live preview (bulletin.js)."""

    class Meta(OrganisationEditForm.Meta):
        help_texts = {
            **OrganisationEditForm.Meta.help_texts,
            "employees": _("En équivalents temps plein ; il détermine votre tranche."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employees"].widget.attrs["data-tier-basis"] = "employees"
        self.fields["budget_bracket"].widget.attrs["data-tier-basis"] = "budget"


class ContactForm(forms.Form):
    """The person who signs the bulletin; their e-mail is their login."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(label=_("Adresse e-mail"))
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    role = forms.ChoiceField(label=_("Fonction dans l’organisation"), choices=Contact.Role.choices)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Pour revenir dans votre espace membre : au moins 12 caractères."),
    )
    password2 = forms.CharField(
        label=_("Mot de passe (confirmation)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, password_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        autocomplete = {"first_name": "given-name", "last_name": "family-name", "phone": "tel"}
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if not password_required:  # staff entering a paper bulletin: the contact sets it later
            del self.fields["password1"], self.fields["password2"]

    def clean_email(self):
        # Whether the address has an account is not said here: the bulletin goes on either way
        # (bulletin.py), and only the address's owner is told, by e-mail.
        return self.cleaned_data["email"].strip()

    def clean(self):
        cleaned = super().clean()
        if "password1" in self.fields:
            check_new_password(self, cleaned, cleaned.get("email", ""))
        return cleaned


EUROS = re.compile(r"^\d{1,6}([.,]\d{1,2})?$")  # up to 999 999,99 €, what Stripe accepts


def parse_euros(value):
    """« 250 », « 250,50 » or « 250.50 » -> 25050 cents, exactly (no float on the way)."""
    text = str(value).replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    text = text.replace("€", "")
    amount = Decimal(text.replace(",", ".")) if EUROS.match(text) else None
    if not amount:
        raise forms.ValidationError(
            _("Indiquez un montant en euros, par ex. 250 ou 250,50 (999 999,99 € au plus).")
        )
    return int(amount * 100)


class DuesForm(forms.Form):
    """The tier, the payment method and the consents. The amount is never read from here but
    for the free « bienfaiteur » amount, which the server checks against its minimum."""

    COMPUTED = "computed"

    tier_choice = forms.ChoiceField(label=_("Cotisation"), widget=forms.RadioSelect)
    free_amount = forms.CharField(
        label=_("Montant libre (membre bienfaiteur), en euros"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    method = forms.ChoiceField(label=_("Moyen de paiement"), widget=forms.RadioSelect)
    accept_statutes = forms.BooleanField(
        label=_("J’ai lu les statuts de l’association et j’y adhère au nom de mon organisation.")
    )
    accept_privacy = forms.BooleanField(
        label=_(
            "J’ai lu comment le réseau utilise ces informations pour gérer l’adhésion, dans "
            "la politique de confidentialité."
        )
    )

    def __init__(self, *args, grid, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        self.free_tiers = {str(t.pk): t for t in grid.tiers.all() if t.free_amount}
        self.fixed_tiers = {str(t.pk): t for t in grid.tiers.all() if not t.free_amount}
        choices = [(self.COMPUTED, _("La tranche qui correspond à mon organisation"))]
        choices += [
            (pk, _("%(label)s (montant libre)") % {"label": t.label})
            for pk, t in self.free_tiers.items()
        ]
        if staff:  # only staff may set a tier other than the computed one
            choices += [(pk, t.label) for pk, t in self.fixed_tiers.items()]
        self.fields["tier_choice"].choices = choices
        self.fields["tier_choice"].initial = self.COMPUTED
        methods = [Payment.Method.TRANSFER, Payment.Method.CHEQUE]
        if stripe_configured():
            methods = [Payment.Method.CARD, Payment.Method.SEPA, *methods]
        self.fields["method"].choices = [(m.value, m.label) for m in methods]
        self.fields["method"].initial = methods[0].value

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("tier_choice")
        cleaned["tier"] = None  # None: computed from the organisation
        cleaned["chosen_cents"] = None
        if choice in self.free_tiers:
            tier = self.free_tiers[choice]
            raw = cleaned.get("free_amount")
            if not raw:
                self.add_error("free_amount", _("Indiquez le montant de votre cotisation."))
                return cleaned
            try:
                cents = parse_euros(raw)
            except forms.ValidationError as error:
                self.add_error("free_amount", error)
                return cleaned
            if cents < tier.minimum_cents:
                self.add_error(
                    "free_amount",
                    _("Le montant libre doit être d’au moins %(minimum)s.")
                    % {"minimum": format_euros(tier.minimum_cents)},
                )
            cleaned["tier"], cleaned["chosen_cents"] = tier, cents
        elif choice in self.fixed_tiers:
            cleaned["tier"] = self.fixed_tiers[choice]
        return cleaned
