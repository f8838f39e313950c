"""Who may and who must use a second factor, and what a session must still do before the admin:
type a code, set up a device, or nothing."""

from urllib.parse import urlencode

from django.urls import reverse

from .devices import has_second_factor

ADMIN_ACCESS = "wagtailadmin.access_admin"


def _model_permissions(app_label, *model_names):
    return {
        f"{app_label}.{action}_{model}"
        for model in model_names
        for action in ("view", "add", "change", "delete")
    }


# The one list of what makes the second factor compulsory. Any of these permissions, held
# directly or through a group, reaches personal or financial data in the admin: whoever holds
# one must enrol. Strings only, so this bottom layer imports none of the apps above it.
SENSITIVE_PERMISSIONS = frozenset(
    # Members: organisations and their contact persons, memberships, dues and receipts.
    _model_permissions("members", "organisation", "contact", "membership", "payment", "receipt")
    # The award: applications and their attachments, the jury, assignments and scores.
    | _model_permissions("awards", "application", "attachment", "juror", "juryassignment", "score")
    # Volunteering: board needs, volunteers' offers, introductions, partner companies and
    # the submissions waiting for their e-mail confirmation.
    | _model_permissions(
        "forms", "boardneed", "volunteeroffer", "match", "company", "emailverification"
    )
    # Accounts: whoever may edit users or groups may give themselves any permission above.
    | _model_permissions("auth", "user", "group")
    # Scheduled jobs' output names organisations and people (reminders sent, rows erased).
    | _model_permissions("operations", "jobrun")
)


# --- Who ---------------------------------------------------------------------------------------


def may_use_second_factor(user):
    """Anyone who may enter Wagtail's admin may enrol."""
    return user.is_authenticated and user.is_active and user.has_perm(ADMIN_ACCESS)


def second_factor_required(user):
    """Superusers and holders of any SENSITIVE_PERMISSIONS must use a second factor."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return not SENSITIVE_PERMISSIONS.isdisjoint(user.get_all_permissions())


def is_verified(request):
    """The session passed the second factor (django_otp's middleware set `otp_device`)."""
    return getattr(request.user, "otp_device", None) is not None


def pending_step(request):
    """What the user must do before the admin: "verify" (type a code), "enrol" (set up a
    device), or None (nothing)."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return None
    if has_second_factor(user):
        return "verify"
    if second_factor_required(user):
        return "enrol"
    return None


def step_url(step, next_url):
    name = "staff_otp_verify" if step == "verify" else "staff_otp_enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"
