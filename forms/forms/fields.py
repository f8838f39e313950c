"""What the two public forms of the volunteer matching share (needs: « Déposer un besoin »,
offers: « Proposer mes compétences »): bounded numbers, the consent box, the skills graded
one select each, and the départements.

These forms only check and shape what was typed. Each `payload()` returns it as plain,
JSON-ready data (ids, not objects): forms.submissions creates the need or the offer from it at
once, or keeps it in an EmailVerification until the sender clicks the e-mailed link.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from members.validators import validate_departement

MAX_HOURS_PER_MONTH = 200
MAX_TEXT = 5000


def positive_field(label, maximum, help_text=""):
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=maximum,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": 1, "max": maximum, "inputmode": "numeric"}),
        validators=[MinValueValidator(1), MaxValueValidator(maximum)],
    )


def consent_field(label):
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


def clean_departement(value):
    value = (value or "").strip().upper()
    validate_departement(value)
    return value


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
            code = clean_departement(code)
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
