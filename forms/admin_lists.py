"""The pieces the volunteering's admin lists share (forms/wagtail_hooks.py registers the lists):
the index view with its safe exports, the row buttons towards the matching views, the
permission helpers, the filters and the offer's edit form."""

from django import forms as django_forms
from django.contrib.admin import SimpleListFilter
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail_modeladmin.helpers import PermissionHelper

from home.admin_lists import RowButtonHelper, SafeIndexView
from members.validators import DEPARTEMENT_RE

from .forms.fields import parse_departements
from .models import NeedSkill, OfferSkill, Skill, VolunteerOffer
from .permissions import follows_matches

ADMIN_NAMESPACE = "volunteering_admin"


class VolunteeringIndexView(SafeIndexView):
    """The lists of this app behave as the members' ones: CSV cells that a spreadsheet never runs
    as a formula, and an invalid filter value answered with the unfiltered list."""

    export_headings = {"pk": _("N°")}


def action_url(name, pk):
    """The address of one of the matching views (forms/admin_urls.py)."""
    return reverse(f"{ADMIN_NAMESPACE}:{name}", args=[pk])


class ActionButtonHelper(RowButtonHelper):
    """Adds the row's link to a matching view (`action`), for staff who follow the matches."""

    action = None
    label = None
    title = None

    def shows_action(self, obj):
        return True

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if (
            self.action in (exclude or [])
            or not self.shows_action(obj)
            or not follows_matches(self.request.user)
        ):
            return buttons
        buttons.append(
            self.row_button(
                action_url(self.action, obj.pk),
                self.label,
                f"{self.title} — {obj}",
                classnames_add,
                classnames_exclude,
            )
        )
        return buttons


class NoCreatePermissionHelper(PermissionHelper):
    """Created by the public forms only; edited and deleted by staff with the permission."""

    def user_can_create(self, user):
        return False


def skills_text(through_rows, describe):
    """« Finance (indispensable), Juridique (utile) »: a need's or an offer's skills, from the
    prefetched through rows (no query per row)."""
    return ", ".join(f"{row.skill.name} ({describe(row)})" for row in through_rows)


class OfferDepartementFilter(SimpleListFilter):
    """Offers whose territories include the département (a list of codes in a JSON field)."""

    title = _("département")
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        codes = set()
        for departements in VolunteerOffer.objects.values_list("departements", flat=True):
            codes.update(code for code in departements or [] if isinstance(code, str))
        return [(code, code) for code in sorted(codes)]

    def queryset(self, request, queryset):
        code = (self.value() or "").upper()
        if not DEPARTEMENT_RE.match(code):
            return queryset  # no code, or not one (« ?departement=x »): no filter
        # The codes are stored quoted (["44", "49"]): matching the quotes finds « 44 » and not
        # « 144 », on SQLite's JSON text as on PostgreSQL's jsonb cast to text.
        return queryset.filter(departements__icontains=f'"{code}"')


def _skill_choices(label, help_text=""):
    return django_forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(),
        required=False,
        widget=django_forms.CheckboxSelectMultiple,
        label=label,
        help_text=help_text,
    )


class GradedSkillsForm(WagtailAdminModelForm):
    """The skills of a need or an offer, one checkbox list per grade (importance or level):
    the through rows (NeedSkill, OfferSkill) are replaced on save. A skill takes one grade."""

    graded_fields = ()  # ((form field, grade), …), highest grade first
    through_model = None
    owner_field = ""
    grade_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            rows = self.through_model.objects.filter(**{self.owner_field: self.instance})
            by_grade = {}
            for row in rows:
                by_grade.setdefault(getattr(row, self.grade_field), []).append(row.skill_id)
            for name, grade in self.graded_fields:
                self.initial[name] = by_grade.get(grade, [])

    def clean(self):
        cleaned = super().clean()
        seen = {}
        for name, _grade in self.graded_fields:
            for skill in cleaned.get(name) or []:
                if skill.pk in seen:
                    self.add_error(
                        name,
                        _(
                            "« %(skill)s » est déjà cochée plus haut : une seule case par "
                            "compétence."
                        )
                        % {"skill": skill},
                    )
                seen[skill.pk] = skill
        if not seen and not self.errors:
            self.add_error(self.graded_fields[0][0], _("Cochez au moins une compétence."))
        return cleaned

    def save(self, commit=True):
        instance = super().save(commit=commit)
        if commit:
            with transaction.atomic():
                self.through_model.objects.filter(**{self.owner_field: instance}).delete()
                self.through_model.objects.bulk_create(
                    self.through_model(
                        **{self.owner_field: instance, "skill": skill, self.grade_field: grade}
                    )
                    for name, grade in self.graded_fields
                    for skill in self.cleaned_data.get(name) or []
                )
        return instance


class NeedAdminForm(GradedSkillsForm):
    skills_essential = _skill_choices(_("compétences indispensables"))
    skills_important = _skill_choices(_("compétences importantes"))
    skills_useful = _skill_choices(_("compétences utiles"))

    graded_fields = (("skills_essential", 3), ("skills_important", 2), ("skills_useful", 1))
    through_model = NeedSkill
    owner_field = "need"
    grade_field = "importance"


class OfferAdminForm(GradedSkillsForm):
    """The skills by level, and the territories as codes typed in one field (« 44, 49, 2A »),
    each one checked."""

    skills_expert = _skill_choices(_("compétences : niveau expert"))
    skills_confirmed = _skill_choices(_("compétences : niveau confirmé"))
    skills_basic = _skill_choices(_("compétences : notions"))

    graded_fields = (("skills_expert", 3), ("skills_confirmed", 2), ("skills_basic", 1))
    through_model = OfferSkill
    owner_field = "offer"
    grade_field = "level"

    departements = django_forms.CharField(
        label=_("départements"),
        help_text=_("Codes de département séparés par des virgules, par ex. « 44, 49, 2A »."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["departements"] = ", ".join(self.instance.departements or [])

    def clean_departements(self):

        return parse_departements(self.cleaned_data["departements"])
