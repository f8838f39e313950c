"""« Proposer mes compétences »: a volunteer's offer to serve on a board (see forms.py for what
the public forms share)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from members.forms.contacts import clean_phone
from members.models import Sector

from ..models import Company, OfferSkill
from ..spam import HoneypotMixin
from .fields import (
    MAX_HOURS_PER_MONTH,
    MAX_TEXT,
    SkillGradesMixin,
    consent_field,
    parse_departements,
    positive_field,
)

NO_SKILL_OFFER = _("Choisissez au moins une compétence et votre niveau.")


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
    hours_per_month = positive_field(
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
    consent = consent_field(
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
