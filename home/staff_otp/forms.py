"""The second factor's forms: one field, the code, checked against the user's devices (see
devices.py) with django-otp's throttling."""

import math

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import devices


def _locked_error(until):
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    return forms.ValidationError(
        ngettext(
            "Trop de codes erronés : patientez %(seconds)d seconde avant de réessayer.",
            "Trop de codes erronés : patientez %(seconds)d secondes avant de réessayer.",
            seconds,
        )
        % {"seconds": seconds},
        code="throttled",
    )


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code"))
        kwargs.setdefault("max_length", 32)
        super().__init__(
            strip=True,
            widget=forms.TextInput(
                attrs={
                    # Lets phones and password managers offer the code they hold.
                    "autocomplete": "one-time-code",
                    "autocapitalize": "none",
                    "spellcheck": "false",
                    "autofocus": True,
                }
            ),
            **kwargs,
        )


class VerifyCodeForm(forms.Form):
    """A code from the authenticator app, or one of the recovery codes."""

    code = CodeField(
        help_text=_(
            "Les 6 chiffres affichés par votre application d’authentification, ou l’un de vos "
            "codes de secours."
        )
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"]
        device, until = devices.check_code(self.user, code)
        if until is not None:
            raise _locked_error(until)
        if device is None:
            raise forms.ValidationError(_("Ce code n’est pas valable."), code="invalid")
        self.device = device
        return code

    @property
    def used_recovery_code(self):
        return self.device is not None and not isinstance(self.device, TOTPDevice)


class EnrolmentForm(forms.Form):
    """The first code of the device being set up: proof that the app holds the secret."""

    code = CodeField(
        help_text=_("Les 6 chiffres que votre application affiche maintenant pour ce compte.")
    )

    def __init__(self, user, device, *args, **kwargs):
        self.user = user
        self.device = device
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        code = self.cleaned_data["code"]
        accepted, until = devices.check_enrolment_code(self.user, self.device, code)
        if until is not None:
            raise _locked_error(until)
        if not accepted:
            raise forms.ValidationError(
                _(
                    "Ce code n’est pas valable. Vérifiez que l’heure de votre téléphone est "
                    "juste et saisissez le code affiché maintenant."
                ),
                code="invalid",
            )
        return code
