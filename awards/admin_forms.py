"""Forms of the award's back office: a decision on an application, a manual assignment."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .applications import DECISIONS
from .assignment import conflict_reason
from .models import Application, JuryAssignment, Prize

# Statuses whose applications may be assigned to a juror by hand.
MANUALLY_ASSIGNABLE = (
    Application.Status.SUBMITTED,
    Application.Status.ELIGIBLE,
    Application.Status.SHORTLISTED,
)


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("décision"),
        choices=[(s.value, s.label) for s in DECISIONS],
        widget=forms.RadioSelect,
    )
    ineligibility_reason = forms.CharField(
        label=_("motif de non-recevabilité"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un dossier non recevable ; il est envoyé au candidat."),
    )
    prize = forms.ModelChoiceField(label=_("prix"), queryset=Prize.objects.none(), required=False)
    deliberation_notes = forms.CharField(
        label=_("notes de délibération"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Réservées à l’équipe et au jury : jamais envoyées au candidat."),
    )
    notify = forms.BooleanField(
        label=_("prévenir le candidat par e-mail"),
        required=False,
        initial=True,
        help_text=_("Pour une décision de recevabilité, de lauréat ou de non-sélection."),
    )

    def __init__(self, *args, application, **kwargs):
        self.application = application
        super().__init__(*args, **kwargs)
        self.fields["prize"].queryset = Prize.objects.filter(edition_id=application.edition_id)

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if (
            status == Application.Status.INELIGIBLE
            and not data.get("ineligibility_reason", "").strip()
        ):
            self.add_error(
                "ineligibility_reason",
                _("Indiquez le motif : il est communiqué au candidat."),
            )
        if status == Application.Status.LAUREATE and not data.get("prize"):
            self.add_error("prize", _("Choisissez le prix attribué à ce lauréat."))
        return data


class AssignmentForm(WagtailAdminModelForm):
    """A manual assignment: the juror and the application of the same edition, never the
    applying company's employee nor the applicant, never twice."""

    class Meta:
        model = JuryAssignment
        fields = ["application", "juror"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "application" in self.fields:
            self.fields["application"].queryset = Application.objects.filter(
                status__in=MANUALLY_ASSIGNABLE
            )

    def clean(self):
        data = super().clean()
        application, juror = data.get("application"), data.get("juror")
        if not application or not juror:
            return data
        if application.status not in MANUALLY_ASSIGNABLE:
            raise ValidationError(
                _("Seul un dossier déposé, recevable ou présélectionné peut être affecté.")
            )
        if application.edition_id != juror.edition_id:
            raise ValidationError(_("Le juré et le dossier doivent être de la même édition."))
        reason = conflict_reason(juror, application)
        if reason:
            raise ValidationError(reason)
        existing = JuryAssignment.objects.filter(application=application, juror=juror)
        if self.instance.pk:
            existing = existing.exclude(pk=self.instance.pk)
        if existing.exists():
            raise ValidationError(_("Ce juré est déjà affecté à ce dossier."))
        return data
