"""Logging in and passwords: the portal's sign-in, « mot de passe oublié » (which also lets an
invited contact choose a first password) and the password change."""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from home.models import SiteIdentity

from ..forms.accounts import MemberPasswordResetForm

logger = logging.getLogger(__name__)


class EmailAuthenticationForm(AuthenticationForm):
    # An e-mail input (a "type" in the text input's attrs would be a duplicate attribute).
    username = UsernameField(widget=forms.EmailInput(attrs={"autofocus": True}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = gettext_lazy("Adresse e-mail")
        self.fields["username"].widget.attrs["autocomplete"] = "email"
        self.error_messages["invalid_login"] = gettext_lazy(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez-les, puis réessayez."
        )


class LoginView(auth_views.LoginView):
    template_name = "members/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("members:portal")


def _association_name(request):

    return SiteIdentity.for_request(request).name


def _reset_link_days():
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


# --- Passwords ---------------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """« Mot de passe oublié » : whether the address is known or not, the same page follows, at
    once: the e-mail leaves from the task queue (MemberPasswordResetForm.send_mail)."""

    form_class = MemberPasswordResetForm
    template_name = "members/password_reset_form.html"
    email_template_name = "members/email/password_reset_body.txt"
    subject_template_name = "members/email/password_reset_subject.txt"
    success_url = reverse_lazy("members:password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {
            "association": _association_name(self.request),
            "days": _reset_link_days(),
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "members/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Also where accounts made without a password (a paper bulletin entered by staff, the
    volunteering forms) choose their first one, through « Mot de passe oublié »."""

    template_name = "members/password_reset_confirm.html"
    success_url = reverse_lazy("members:password_reset_complete")
    post_reset_login = True
    post_reset_login_backend = "members.auth.EmailBackend"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "members/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "members/password_change_form.html"
    success_url = reverse_lazy("members:portal")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Votre mot de passe a été modifié."))
        return response
