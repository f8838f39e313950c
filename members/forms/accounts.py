"""Passwords: the reset of a member's password, the signup of a new address accepting its
invitation, and the check of a new password that the bulletin's contact part shares."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .. import contacts
from ..emails import send_password_reset


class MemberPasswordResetForm(PasswordResetForm):
    """Django's reset form (e-mail matched case-insensitively, the same answer for an unknown
    address), which also reaches every account made without a password: contacts entered by
    staff from a paper bulletin or added by another contact, volunteers and associations who
    used a volunteering form, jurors. Django leaves out accounts with an unusable password
    (they may be meant to log in elsewhere); here nobody logs in elsewhere, and the accounts
    that must stay closed (erased on request) are inactive, which still keeps them out. An
    account that reaches the admin (staff, superuser, or a group with admin access) and has no
    password is opened by an administrator, never from the public site."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Adresse e-mail")

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """Enqueue the e-mail rather than send it in the request: its task makes the link (no
        token waits in the queue) and a mail server that is down costs nothing here. Nothing is
        saved by a reset request, so there is no commit to wait for."""
        # The account and the link are made again by the task; the rest (domain, protocol, the
        # view's extra context) is plain data.
        made_by_task = {"user", "email", "uid", "token"}
        send_password_reset.enqueue(
            context["user"].pk,
            context["email"],
            [subject_template_name, email_template_name],
            {key: value for key, value in context.items() if key not in made_by_task},
            translation.get_language(),
        )

    def get_users(self, email):
        return iter(contacts.accounts_for_password_reset(email))


def check_new_password(form, cleaned, email):
    """The two passwords typed match and pass the site's password rules, judged against the
    person's name and address; errors go on the form's fields."""
    first, second = cleaned.get("password1"), cleaned.get("password2")
    if not (first and second):
        return
    if first != second:
        form.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        return
    user = get_user_model()(
        username=email,
        email=email,
        first_name=cleaned.get("first_name", ""),
        last_name=cleaned.get("last_name", ""),
    )
    try:
        password_validation.validate_password(first, user)
    except ValidationError as error:
        form.add_error("password1", error)


class InvitationSignupForm(forms.Form):
    """A new address accepting its invitation: the name its contacts will see and the password
    to log in with. The address is the invitation's (the link was sent there)."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Mot de passe (confirmation)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        kwargs.setdefault(
            "initial", {"first_name": invitation.first_name, "last_name": invitation.last_name}
        )
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def clean(self):
        cleaned = super().clean()
        check_new_password(self, cleaned, self.invitation.email)
        return cleaned
