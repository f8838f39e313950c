"""Forms of the public listing: the filters (a GET form that works without JavaScript) and a
volunteer's expression of interest in a need."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from members.models import Sector
from members.validators import validate_departement

from .. import listing
from ..models import BoardRole, Skill

INTEREST_MESSAGE_MAX = 1000


class NeedFilterForm(forms.Form):
    """The listing's filters. Values are checked against what exists (not against the choices
    shown, which only list values that have needs), so an address kept from last month still
    works; the choices and their counts are set afterwards with set_choices()."""

    competence = forms.CharField(label=_("Compétence"), required=False, widget=forms.Select)
    departement = forms.CharField(label=_("Département"), required=False, widget=forms.Select)
    fonction = forms.CharField(label=_("Fonction"), required=False, widget=forms.Select)
    secteur = forms.CharField(
        label=_("Secteur de l’association"), required=False, widget=forms.Select
    )

    EMPTY_LABELS = {
        listing.SKILL: _("Toutes les compétences"),
        listing.DEPARTEMENT: _("Tous les départements"),
        listing.ROLE: _("Toutes les fonctions"),
        listing.SECTOR: _("Tous les secteurs"),
    }

    def clean_competence(self):
        value = self.cleaned_data["competence"].strip()
        if value and not Skill.objects.filter(slug=value).exists():
            raise ValidationError(_("Cette compétence n’existe pas : choisissez-en une autre."))
        return value

    def clean_departement(self):
        value = self.cleaned_data["departement"].strip().upper()
        if value:
            validate_departement(value)
        return value

    def clean_fonction(self):
        value = self.cleaned_data["fonction"].strip()
        if value and value not in BoardRole.values:
            raise ValidationError(_("Cette fonction n’existe pas : choisissez-en une autre."))
        return value

    def clean_secteur(self):
        value = self.cleaned_data["secteur"].strip()
        if value and not Sector.objects.filter(slug=value).exists():
            raise ValidationError(_("Ce secteur n’existe pas : choisissez-en un autre."))
        return value

    @property
    def filters(self):
        """The valid filters ({parameter: value}); a wrong value is dropped, not applied."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: self.cleaned_data[name] for name in listing.FILTERS if self.cleaned_data.get(name)
        }

    def set_choices(self, facets):
        """Show `facets` (from listing.facets) as each select's options, with their counts."""
        for name, choices in facets.items():
            self.fields[name].widget.choices = [("", self.EMPTY_LABELS[name])] + [
                (choice.value, _("%(label)s (%(count)s)") % vars(choice)) for choice in choices
            ]


class OfferChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, offer):
        when = date_format(offer.created_at, "j F Y")
        if offer.job_title:
            return _("Ma proposition du %(date)s (%(job)s)") % {
                "date": when,
                "job": offer.job_title,
            }
        return _("Ma proposition du %(date)s") % {"date": when}


class InterestForm(forms.Form):
    """Which of the user's available offers is interested, and an optional word about why."""

    offer = OfferChoiceField(
        label=_("Avec quelle proposition de compétences ?"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez votre proposition de compétences."),
            "invalid_choice": _("Choisissez l’une de vos propositions de compétences."),
        },
    )
    message = forms.CharField(
        label=_("Un mot sur votre intérêt (facultatif)"),
        required=False,
        max_length=INTEREST_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce qui vous attire dans ce besoin, en quelques lignes. L’équipe le lit."),
    )

    def __init__(self, *args, user, offers, **kwargs):
        """`offers`: the user's available offers, already read (listing.available_offers)."""
        super().__init__(*args, **kwargs)
        field = self.fields["offer"]
        # Checked again on submit: only the user's own offers, still available.
        field.queryset = listing.available_offers_queryset(user)
        if len(offers) == 1:
            # Nothing to choose: the only offer goes along unseen.
            field.widget = forms.HiddenInput()
            field.initial = offers[0].pk
