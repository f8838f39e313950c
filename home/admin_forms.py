"""The Wagtail admin's login form, with the password field labelled in the site's language
(Wagtail's field has no label, so Django falls back to its English name « Password »)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class AdminLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Mot de passe")
