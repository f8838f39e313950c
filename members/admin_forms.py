"""Forms of the staff back office: an offline payment received, an erasure confirmed, a fee
grid edited with its tiers."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import FeeTier, Membership, Payment

# 1 000 000 € is far beyond any dues: a figure that large is a typing slip.
MAX_CENTS = 100_000_000
_SPACES = re.compile(r"[\s\u00a0\u202f']")
# Digits only (no exponent, no other script's digits), and few enough for a Decimal's precision.
_AMOUNT = re.compile(r"-?[0-9]{1,12}([.,][0-9]{0,10})?")


def parse_euros(value):
    """What staff type (« 120 », « 120,50 », « 1 200,50 € », « 120.5 ») in cents, exactly:
    the text goes to a Decimal, never through a float. Raises ValidationError."""
    text = _SPACES.sub("", str(value or "")).removesuffix("€").removesuffix("EUR")
    if text.count(",") + text.count(".") > 1:
        raise ValidationError(
            _("Écrivez le montant avec une seule virgule, par ex. 120,50."), code="invalid"
        )
    if not _AMOUNT.fullmatch(text):
        raise ValidationError(_("Indiquez un montant en euros, par ex. 120,50."), code="invalid")
    euros = Decimal(text.replace(",", "."))
    if euros != euros.quantize(Decimal("0.01")):
        raise ValidationError(
            _("Un montant a au plus deux chiffres après la virgule."), code="precision"
        )
    cents = int(euros * 100)
    if cents <= 0:
        raise ValidationError(_("Le montant reçu doit être supérieur à zéro."), code="min_value")
    if cents >= MAX_CENTS:
        raise ValidationError(_("Ce montant est trop élevé : vérifiez-le."), code="max_value")
    return cents


class EurosField(forms.CharField):
    """A sum in euros typed the French way; its cleaned value is an int of cents."""

    def widget_attrs(self, widget):
        # No max_length validator: it would measure the cents; parse_euros bounds the text.
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "24"})
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parse_euros(value)


class OfflinePaymentForm(forms.Form):
    """A transfer or a cheque staff have received for one membership."""

    method = forms.ChoiceField(
        label=_("Moyen de paiement"),
        choices=[
            (Payment.Method.TRANSFER, Payment.Method.TRANSFER.label),
            (Payment.Method.CHEQUE, Payment.Method.CHEQUE.label),
        ],
        widget=forms.RadioSelect,
    )
    amount = EurosField(
        label=_("Montant reçu (€)"), help_text=_("En euros, par ex. 120 ou 120,50.")
    )
    received_on = forms.DateField(
        label=_("Reçu le"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Date de réception du virement ou du chèque."),
    )
    reference = forms.CharField(
        label=_("Référence indiquée par le membre"),
        max_length=40,
        required=False,
        help_text=_(
            "Le libellé du virement ou la mention au dos du chèque. "
            "Pré-remplie avec la référence que le membre devait rappeler."
        ),
    )

    def __init__(self, *args, membership, **kwargs):
        self.membership = membership
        super().__init__(*args, **kwargs)

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise ValidationError(_("La date de réception ne peut pas être dans le futur."))
        return received_on

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if not reference:
            return reference
        other = (
            Payment.objects.filter(reference__iexact=reference)
            .exclude(membership=self.membership)
            .select_related("membership__organisation")
            .first()
        )
        if other is not None:
            raise ValidationError(
                _(
                    "Cette référence est celle d’une autre adhésion (« %(membership)s ») : "
                    "vérifiez l’adhésion choisie."
                )
                % {"membership": other.membership}
            )
        return reference

    def received_at(self):
        """The date received as a moment: now if it is today, else midday local time."""
        received_on = self.cleaned_data["received_on"]
        if received_on == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(12)))


class ConfirmNameForm(forms.Form):
    """Type the organisation's name to confirm an erasure that cannot be undone."""

    name = forms.CharField(label=_("Nom de l’organisation"), max_length=200)

    def __init__(self, *args, expected, **kwargs):
        self.expected = expected
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if name.casefold() != " ".join(self.expected.split()).casefold():
            raise ValidationError(
                _("Le nom saisi ne correspond pas : recopiez exactement « %(name)s ».")
                % {"name": self.expected}
            )
        return name


class FeeGridForm(WagtailAdminModelForm):
    """A fee grid with its tiers (the inline panel).

    A tier that memberships use cannot be deleted: the database protects it, and saving would
    fail. Each such deletion is refused in French, and the tier comes back in the form. Its
    amounts and limits may still change: every membership keeps the amount it was given.
    """

    TIERS = "tiers"

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get(self.TIERS)
        if formset is None or not formset.can_delete:
            return cleaned_data
        deleted = {}
        for form in formset.forms:
            if form.instance.pk is None:
                continue  # a tier added and removed in the same edit: nothing to protect
            form.errors  # noqa: B018 -- cleans the tier's form, which says whether it goes
            if formset._should_delete_form(form):
                deleted[form.instance.pk] = form
        if not deleted:
            return cleaned_data
        used = (
            FeeTier.objects.filter(pk__in=deleted)
            .filter(Exists(Membership.objects.filter(tier=OuterRef("pk"))))
            .order_by("order", "minimum", "pk")
        )
        for tier in used:
            message = _(
                "La tranche « %(label)s » est utilisée par des adhésions : "
                "elle ne peut pas être supprimée."
            ) % {"label": tier.label}
            self.add_error(None, message)
            form = deleted[tier.pk]
            form.add_error(None, message)
            keep_in_form(form)
        return cleaned_data


def keep_in_form(form):
    """Unmark an inline form's deletion, so that the page shown again has the tier back (the
    inline panel hides a child whose DELETE input says 1)."""
    data = form.data.copy()
    data[form.add_prefix(DELETION_FIELD_NAME)] = ""
    form.data = data
