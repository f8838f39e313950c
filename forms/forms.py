"""The two public forms of the volunteer matching: « Déposer un besoin » (an association's board
need) and « Proposer mes compétences » (a volunteer's offer).

These forms only check and shape what was typed. Each `payload()` returns it as plain,
JSON-ready data (ids, not objects): forms.submissions creates the need or the offer from it at
once, or keeps it in an EmailVerification until the sender clicks the e-mailed link.
"""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from members.forms.contacts import clean_phone
from members.forms.organisations import OrganisationEditForm
from members.models import Contact, Organisation, Sector
from members.validators import validate_departement

from .models import BoardNeed, BoardRole, Company, NeedSkill, OfferSkill
from .spam import HoneypotMixin

MAX_HOURS_PER_MONTH = 200
MAX_MANDATE_MONTHS = 120
MAX_TEXT = 5000

KNOWN_ORGANISATION = _(
    "Cette association est déjà connue : connectez-vous avec le compte de son contact pour "
    "déposer un besoin en son nom (ou demandez-lui de vous ajouter comme contact)."
)
NO_SKILL_NEED = _("Choisissez au moins une compétence recherchée et son importance.")
NO_SKILL_OFFER = _("Choisissez au moins une compétence et votre niveau.")


def _positive(label, maximum, help_text=""):
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=maximum,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": 1, "max": maximum, "inputmode": "numeric"}),
        validators=[MinValueValidator(1), MaxValueValidator(maximum)],
    )


def _consent_field(label):
    return forms.BooleanField(
        label=label,
        error_messages={"required": _("Cochez cette case pour que nous puissions vous répondre.")},
    )


class SkillGradesMixin:
    """One select per skill of the shared list, « non » by default, with a grade (importance
    for a need, level for an offer): a plain, keyboard-friendly control, labelled by the
    skill's name. At least one skill must be graded."""

    grade_prefix = "skill_"
    grade_choices = ()
    none_label = ""
    no_skill_message = ""

    def add_grade_fields(self, skills):
        self.skills = list(skills)
        choices = [("", self.none_label), *((str(v), label) for v, label in self.grade_choices)]
        for skill in self.skills:
            self.fields[f"{self.grade_prefix}{skill.pk}"] = forms.TypedChoiceField(
                label=skill.name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
            )
        self.skill_errors = []

    def grade_fields(self):
        return [self[f"{self.grade_prefix}{skill.pk}"] for skill in self.skills]

    def clean_grades(self, cleaned):
        grades = [
            [skill.pk, cleaned[f"{self.grade_prefix}{skill.pk}"]]
            for skill in self.skills
            if cleaned.get(f"{self.grade_prefix}{skill.pk}")
        ]
        if not grades and not any(f"{self.grade_prefix}{s.pk}" in self.errors for s in self.skills):
            error = ValidationError(self.no_skill_message, code="no_skill")
            self.skill_errors.append(str(error.message))
            self.add_error(None, error)
        cleaned["skills"] = grades
        return cleaned


def _clean_departement(value):
    value = (value or "").strip().upper()
    validate_departement(value)
    return value


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
    hours_per_month = _positive(
        _("Temps demandé (heures par mois)"),
        MAX_HOURS_PER_MONTH,
        _("Réunions, préparation et suivi compris, en moyenne."),
    )
    mandate_months = _positive(
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
    consent = _consent_field(
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
        return _clean_departement(self.cleaned_data["departement"])

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


DEPARTEMENT_SPLIT = re.compile(r"[\s,;/]+")


def parse_departements(text):
    """The département codes typed in one field (« 44, 49 2A; 974 »): normalised, each checked,
    without repeats; a French ValidationError naming the wrong ones, or if there is none."""
    codes = []
    wrong = []
    for code in DEPARTEMENT_SPLIT.split((text or "").strip()):
        if not code:
            continue
        try:
            code = _clean_departement(code)
        except ValidationError:
            wrong.append(code)
            continue
        if code not in codes:
            codes.append(code)
    if wrong:
        raise ValidationError(
            _("Ce ne sont pas des numéros de département : %(codes)s. Par ex. 44, 2A, 974.")
            % {"codes": ", ".join(wrong)},
            code="departement_format",
        )
    if not codes:
        raise ValidationError(_("Indiquez au moins un département."), code="required")
    return codes


class OfferForm(SkillGradesMixin, HoneypotMixin, forms.Form):
    """A volunteer's offer. `user`: the logged-in account (its e-mail is used, not asked)."""

    grade_prefix = "level_"
    grade_choices = OfferSkill.Level.choices
    none_label = _("non")
    no_skill_message = NO_SKILL_OFFER

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=150,
        help_text=_("Nous y envoyons un lien pour confirmer votre proposition."),
        error_messages={
            "invalid": _("Saisissez une adresse e-mail valide, par ex. nom@exemple.org.")
        },
    )
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    company = forms.ModelChoiceField(
        label=_("Entreprise"),
        queryset=Company.objects.none(),
        required=False,
        empty_label=_("Aucune : je m’engage à titre personnel"),
        help_text=_("Si vous venez par le programme de bénévolat de votre employeur."),
        error_messages={"invalid_choice": _("Choisissez une entreprise de la liste.")},
    )
    job_title = forms.CharField(label=_("Métier"), max_length=150, required=False)
    hours_per_month = _positive(
        _("Disponibilité (heures par mois)"),
        MAX_HOURS_PER_MONTH,
        _("Le temps que vous pouvez donner chaque mois, réunions comprises."),
    )
    departements = forms.CharField(
        label=_("Départements où vous pouvez siéger"),
        max_length=200,
        help_text=_("Leurs numéros, séparés par des virgules : 44, 49, 85."),
    )
    preferred_sectors = forms.ModelMultipleChoiceField(
        label=_("Secteurs qui vous attirent"),
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Facultatif : aucun coché, tous vous conviennent."),
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce qui vous donne envie de rejoindre un conseil d’administration."),
    )
    anonymous = forms.BooleanField(
        label=_("Profil anonyme"),
        required=False,
        initial=True,
        help_text=_(
            "Coché, les associations voient vos compétences mais pas votre nom : il ne leur est "
            "donné qu’une fois que vous avez accepté tous les deux la mise en relation."
        ),
    )
    consent = _consent_field(
        _(
            "J’accepte que ces informations soient utilisées pour me proposer des associations "
            "et me mettre en relation avec elles."
        )
    )

    def __init__(self, *args, skills, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.order_by("name")
        self.fields["preferred_sectors"].queryset = Sector.objects.all()
        if user is not None:
            del self.fields["email"]
            self.fields["first_name"].initial = user.first_name
            self.fields["last_name"].initial = user.last_name
        else:
            self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"
        self.add_grade_fields(skills)

    def clean_email(self):
        return get_user_model().objects.normalize_email(self.cleaned_data["email"].strip())

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_departements(self):
        return parse_departements(self.cleaned_data["departements"])

    def clean(self):
        return self.clean_grades(super().clean())

    def payload(self):
        data = self.cleaned_data
        payload = {
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "phone": data["phone"],
            "company": data["company"].pk if data["company"] else None,
            "job_title": data["job_title"].strip(),
            "hours_per_month": data["hours_per_month"],
            "departements": data["departements"],
            "sectors": [sector.pk for sector in data["preferred_sectors"]],
            "motivation": data["motivation"].strip(),
            "anonymous": data["anonymous"],
            "skills": data["skills"],
        }
        if "email" in self.fields:
            payload["email"] = data["email"]
        return payload
