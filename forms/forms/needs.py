"""« Déposer un besoin »: the seat an association wants to fill on its board, and, when the sender
is not logged in, the association and the contact typed with it (see forms.py for what the
public forms share)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.forms.contacts import clean_phone
from members.forms.organisations import OrganisationEditForm
from members.models import Contact, Organisation

from ..models import BoardNeed, BoardRole, NeedSkill
from ..spam import HoneypotMixin
from .fields import (
    MAX_HOURS_PER_MONTH,
    MAX_TEXT,
    SkillGradesMixin,
    clean_departement,
    consent_field,
    positive_field,
)

MAX_MANDATE_MONTHS = 120

KNOWN_ORGANISATION = _(
    "Cette association est déjà connue : connectez-vous avec le compte de son contact pour "
    "déposer un besoin en son nom (ou demandez-lui de vous ajouter comme contact)."
)
NO_SKILL_NEED = _("Choisissez au moins une compétence recherchée et son importance.")


class NeedForm(SkillGradesMixin, HoneypotMixin, forms.Form):
    """The seat to fill. `organisations`: the logged-in contact's own organisations (a list),
    the only ones offered and accepted; empty when the organisation is typed in another form."""

    grade_prefix = "skill_"
    grade_choices = NeedSkill.Importance.choices
    none_label = _("non recherchée")
    no_skill_message = NO_SKILL_NEED

    organisation = forms.ModelChoiceField(
        label=_("Association concernée"),
        queryset=Organisation.objects.none(),
        error_messages={
            "invalid_choice": _("Choisissez l’une des associations dont vous êtes contact."),
            "required": _("Choisissez l’association concernée."),
        },
    )
    role = forms.ChoiceField(
        label=_("Fonction recherchée"), choices=[("", "---------"), *BoardRole.choices]
    )
    hours_per_month = positive_field(
        _("Temps demandé (heures par mois)"),
        MAX_HOURS_PER_MONTH,
        _("Réunions, préparation et suivi compris, en moyenne."),
    )
    mandate_months = positive_field(
        _("Durée du mandat (mois)"), MAX_MANDATE_MONTHS, _("Par exemple 36 pour trois ans.")
    )
    departement = forms.CharField(
        label=_("Département"),
        max_length=3,
        help_text=_("Où se tiennent les réunions : 44, 2A, 974…"),
    )
    commune = forms.CharField(label=_("Commune"), max_length=100, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Votre projet, ce que la personne fera au conseil d’administration, ce qui vous "
            "aiderait le plus."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Visibilité"),
        choices=[
            (
                BoardNeed.Visibility.PUBLIC,
                _("Publique : le besoin paraît sur la liste des besoins du site"),
            ),
            (
                BoardNeed.Visibility.NETWORK,
                _(
                    "Réseau seulement : l’équipe le propose aux bénévoles, il ne paraît pas "
                    "en ligne"
                ),
            ),
        ],
        initial=BoardNeed.Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    consent = consent_field(
        _(
            "J’accepte que ces informations soient utilisées pour traiter ce besoin et nous "
            "mettre en relation avec des bénévoles."
        )
    )

    def __init__(self, *args, skills, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not organisations:
            del self.fields["organisation"]
        else:
            # Only these are offered, and only these are accepted whatever the POST says.
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=[organisation.pk for organisation in organisations]
            ).order_by("name")
            if len(organisations) == 1:
                # One organisation: chosen already, and its place suggests the territory.
                self.fields["organisation"].initial = organisations[0].pk
                self.fields["departement"].initial = organisations[0].departement
                self.fields["commune"].initial = organisations[0].city
        self.fields["departement"].widget.attrs.update({"size": 4, "maxlength": 3})
        self.fields["commune"].widget.attrs["autocomplete"] = "address-level2"
        self.add_grade_fields(skills)

    def clean_departement(self):
        return clean_departement(self.cleaned_data["departement"])

    def clean(self):
        return self.clean_grades(super().clean())

    def payload(self):
        data = self.cleaned_data
        return {
            "role": data["role"],
            "hours_per_month": data["hours_per_month"],
            "mandate_months": data["mandate_months"],
            "departement": data["departement"],
            "commune": data["commune"].strip(),
            "description": data["description"].strip(),
            "visibility": data["visibility"],
            "skills": data["skills"],
        }


class NeedOrganisationForm(OrganisationEditForm):
    """The association of a visitor without an account (or whose account has none): the
    portal's organisation form (normalised identifiers, model checks), trimmed to what the
    network needs to know, and refusing an organisation it already knows."""

    KEPT = [
        "name", "legal_form", "rna", "siret", "address", "postal_code", "city", "departement",
        "sectors", "budget_bracket",
    ]  # fmt: skip

    class Meta(OrganisationEditForm.Meta):
        labels = {"name": _("Nom de l’association"), "sectors": _("Secteurs d’action")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.KEPT:
                # Left to the model's default (0 employees…): the portal lets them be set later.
                del self.fields[name]
        self.fields["sectors"].help_text = _("Ils aident à vous proposer les bons bénévoles.")

    def _known(self, **lookup):
        return Organisation.objects.filter(**lookup).exists()

    def clean_rna(self):
        rna = super().clean_rna()
        if rna and self._known(rna=rna):
            raise ValidationError(KNOWN_ORGANISATION, code="known_organisation")
        return rna

    def clean_siret(self):
        siret = super().clean_siret()
        if siret and self._known(siret=siret):
            raise ValidationError(KNOWN_ORGANISATION, code="known_organisation")
        return siret

    def payload(self):
        data = self.cleaned_data
        payload = {name: data[name] for name in self.KEPT if name != "sectors"}
        payload["sectors"] = [sector.pk for sector in data["sectors"]]
        return payload


class NeedContactForm(forms.Form):
    """The person who submits the need for the association: its contact. With an account,
    only their role in the organisation (their name and e-mail are the account's)."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=150,
        help_text=_("Nous y envoyons un lien pour confirmer le dépôt."),
        error_messages={
            "invalid": _("Saisissez une adresse e-mail valide, par ex. nom@exemple.org.")
        },
    )
    role = forms.ChoiceField(
        label=_("Fonction dans l’organisation"), choices=[("", "---------"), *Contact.Role.choices]
    )
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)

    def __init__(self, *args, with_identity=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_identity:
            for name in ("first_name", "last_name", "email"):
                del self.fields[name]
        else:
            self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
            self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
            self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"

    def clean_email(self):
        return get_user_model().objects.normalize_email(self.cleaned_data["email"].strip())

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def payload(self):
        return {name: self.cleaned_data[name] for name in self.fields}
