"""The member portal's forms: the organisation's details, the contacts, the password reset.

Every rule that matters also holds in the database (unique RNA/SIRET, one contact per person and
organisation, unique e-mails whatever their case); these forms say it in French first.
"""

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import contacts
from .emails import send_password_reset
from .models import Contact, Organisation, Sector
from .validators import normalise_identifier

# What people type around the digits of an identifier (« 842 310 674 00010 ») is allowed in the
# field, then removed before the model's own checks.
IDENTIFIER_TYPED_MAX = 20
POSTAL_CODE_RE = re.compile(r"^\d{5}$")
PHONE_RE = re.compile(r"^\+?[\d\s.\-()]{6,30}$")


class MemberPasswordResetForm(PasswordResetForm):
    """Django's reset form (e-mail matched case-insensitively, the same answer for an unknown
    address), which also reaches every account made without a password: contacts entered by
    staff from a paper bulletin or added by another contact, volunteers and associations who
    used a volunteering form, jurors. Django leaves out accounts with an unusable password
    (they may be meant to log in elsewhere); here nobody logs in elsewhere, and the accounts
    that must stay closed (erased on request) are inactive, which still keeps them out. An
    account that reaches the admin (staff, superuser, or a group with admin access) and has no
    password is opened by an administrator, never from the public site."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Adresse e-mail")

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """Enqueue the e-mail rather than send it in the request: its task makes the link (no
        token waits in the queue) and a mail server that is down costs nothing here. Nothing is
        saved by a reset request, so there is no commit to wait for."""
        from django.utils import translation

        # The account and the link are made again by the task; the rest (domain, protocol, the
        # view's extra context) is plain data.
        made_by_task = {"user", "email", "uid", "token"}
        send_password_reset.enqueue(
            context["user"].pk,
            context["email"],
            [subject_template_name, email_template_name],
            {key: value for key, value in context.items() if key not in made_by_task},
            translation.get_language(),
        )

    def get_users(self, email):
        return iter(contacts.accounts_for_password_reset(email))


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
        return contacts.invite(self.organisation, invited_by=invited_by, **self.cleaned_data)


def check_new_password(form, cleaned, email):
    """The two passwords typed match and pass the site's password rules, judged against the
    person's name and address; errors go on the form's fields."""
    first, second = cleaned.get("password1"), cleaned.get("password2")
    if not (first and second):
        return
    if first != second:
        form.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        return
    user = get_user_model()(
        username=email,
        email=email,
        first_name=cleaned.get("first_name", ""),
        last_name=cleaned.get("last_name", ""),
    )
    try:
        password_validation.validate_password(first, user)
    except ValidationError as error:
        form.add_error("password1", error)


class InvitationSignupForm(forms.Form):
    """A new address accepting its invitation: the name its contacts will see and the password
    to log in with. The address is the invitation's (the link was sent there)."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Mot de passe (confirmation)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        kwargs.setdefault(
            "initial", {"first_name": invitation.first_name, "last_name": invitation.last_name}
        )
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def clean(self):
        cleaned = super().clean()
        check_new_password(self, cleaned, self.invitation.email)
        return cleaned
