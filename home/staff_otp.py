"""A second factor for staff (OWASP ASVS L2, V2.7/V2.8): who must use one, and the middleware
that keeps the admin closed until the code is typed.

Everyone who may enter Wagtail's admin may enrol a TOTP device (an authenticator app); the
superusers and everyone whose permissions reach member, payment, jury or volunteer data must.
Once a user has a confirmed device, every admin page asks for a code first, whether it was
required or chosen. The views live in staff_otp_views.py, the forms in staff_otp_forms.py.

django-otp keeps the devices and their throttling; recovery codes are the codes of its static
device, stored as keyed hashes (below) and each used once.
"""

import logging
import secrets
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import salted_hmac
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

logger = logging.getLogger("home.staff_otp")

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

RECOVERY_CODE_COUNT = 10
# 12 characters of base 32: 60 random bits each, on top of the device's throttling.
RECOVERY_CODE_LENGTH = 12
RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
TOTP_DEVICE_NAME = "Application d’authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"
# The plain recovery codes wait here between the enrolment (or their renewal) and the page that
# shows them once; that page removes them.
NEW_RECOVERY_CODES_SESSION_KEY = "staff_otp_new_recovery_codes"
# The secret of the device being set up, until its first code confirms it.
PENDING_KEY_SESSION_KEY = "staff_otp_pending_key"


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


def totp_device(user, confirmed=True):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def has_second_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


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


# --- The middleware ----------------------------------------------------------------------------


def _paths(*names):
    """The addresses of these URL names, leaving out those not routed (Django's own admin is
    guarded too whenever config/urls.py serves it)."""
    paths = []
    for name in names:
        try:
            paths.append(reverse(name))
        except NoReverseMatch:
            pass
    return tuple(paths)


@cache
def _guarded_prefixes():
    return _paths("wagtailadmin_home", "admin:index")


@cache
def _open_paths():
    """What an unverified user may still reach under the admins: signing in and out, the
    password reset, the second factor's own pages, and what those pages load (the icon sprite,
    the JavaScript catalogue)."""
    return _paths(
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_password_reset",
        "wagtailadmin_sprite",
        "wagtailadmin_javascript_catalog",
        "staff_otp_manage",  # /admin/2fa/: each of its views checks the session itself
        "admin:login",
        "admin:logout",
        "admin:jsi18n",
    )


def step_url(step, next_url):
    name = "staff_otp_verify" if step == "verify" else "staff_otp_enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class StaffSecondFactorMiddleware:
    """Sends a signed-in user to the code (or to enrolment) before any admin page.

    Placed after django_otp's OTPMiddleware, which tells whether this session passed the second
    factor. The public site, the member portal and the jury area are never concerned: only
    the two admins' addresses are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path  # with the script prefix, as reverse() gives them
        if path.startswith(_guarded_prefixes()) and not path.startswith(_open_paths()):
            step = pending_step(request)
            if step is not None:
                return redirect(step_url(step, request.get_full_path()))
        return self.get_response(request)


# --- Codes -------------------------------------------------------------------------------------


def mark_verified(request, device):
    """The session passed the second factor with `device`. A new session key as well: the
    session's privileges grew (ASVS V3.2.1)."""
    otp_login(request, device)
    request.session.cycle_key()


def normalise_code(code):
    return "".join(code.split()).replace("-", "").lower()


def is_totp_code(code, device):
    return code.isdigit() and len(code) == device.digits


def locked_until(device):
    """When a throttled device accepts codes again, or None when it accepts them now."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    return (details or {}).get("locked_until")


def check_code(user, code):
    """Verify a code typed by `user`: six digits go to their TOTP device, anything else to their
    recovery codes. Returns (device, locked_until): the device that accepted the code (None if
    refused) and, when refused because of too many wrong codes, until when."""
    code = normalise_code(code)
    totp = totp_device(user)
    if totp is None:
        return None, None
    if is_totp_code(code, totp):
        device = totp
        token = code
    else:
        device = StaticDevice.objects.filter(user=user).first()
        if device is None:
            return None, None
        token = _stored_recovery_token(device, code)
    # Throttled: refused before the code is even compared, and the refusal says until when.
    until = locked_until(device)
    if until is not None:
        return None, until
    return verify_token(user, device.persistent_id, token), None


def check_enrolment_code(user, device, code):
    """The first code from a device being set up (not yet confirmed): throttled the same way."""
    code = normalise_code(code)
    until = locked_until(device)
    if until is not None:
        return False, until
    # TOTPDevice.verify_token counts a failure for anything but the right number.
    return verify_token(user, device.persistent_id, code) is not None, None


# --- Recovery codes ------------------------------------------------------------------------------


def _recovery_digests(device, code):
    """What the database keeps of a recovery code: a keyed hash (SECRET_KEY, then the fallbacks
    of a key rotation), salted with the device, in the 16 characters django-otp's column holds.
    A copy of the database alone gives no usable code (ASVS V2.6.2)."""
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac(
            "home.staff_otp.recovery_code",
            f"{device.pk}:{code}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()[:16]
        for secret in secrets_
    ]


def _stored_recovery_token(device, code):
    """The stored form of `code` if it is one of the device's codes (under any of the keys),
    else its form under the current key: then the device refuses it and counts the failure."""
    digests = _recovery_digests(device, code)
    stored = device.token_set.filter(token__in=digests).values_list("token", flat=True).first()
    return stored or digests[0]


def issue_recovery_codes(user):
    """New recovery codes for `user`, replacing any left. Returns them in clear, to be shown
    once; only their hashes are kept."""
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": RECOVERY_DEVICE_NAME}
        )
        device.token_set.all().delete()
        device.throttle_reset()
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=_recovery_digests(device, code)[0]) for code in codes
        )
    return [format_recovery_code(code) for code in codes]


def format_recovery_code(code):
    """Shown in groups of four, easier to copy by hand; typed with or without the dashes."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def remaining_recovery_codes(user):
    device = StaticDevice.objects.filter(user=user).first()
    return device.token_set.count() if device else 0


# --- Devices ---------------------------------------------------------------------------------


def pending_totp_device(request, save=False):
    """The device being set up. Its secret waits in the session until the first right code: a
    reload shows the secret the app may already have scanned, and showing the page (a GET)
    writes nothing but the session. The row is made when a code is typed (`save`), since the
    device's throttling counts there."""
    key = request.session.get(PENDING_KEY_SESSION_KEY)
    if not key:
        key = random_hex(20)
        request.session[PENDING_KEY_SESSION_KEY] = key
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False, key=key).first()
    if device is None:
        device = TOTPDevice(user=request.user, name=TOTP_DEVICE_NAME, confirmed=False, key=key)
        if save:
            device.save()
    return device


def confirm_device(request, device):
    """The first right code makes the device the user's second factor. False when another
    device was confirmed meanwhile (two enrolments at once, the user's row locked meanwhile):
    a password alone never adds a second device."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=device.user_id).first()
        others = TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk)
        if others.exists():
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    request.session.pop(PENDING_KEY_SESSION_KEY, None)
    return True


def remove_second_factor(user, by):
    """Delete every device of `user`: at their next admin page they set up a new one (if they
    must) or go without. Their open sessions lose their verification with the device."""
    with transaction.atomic():
        deleted = TOTPDevice.objects.filter(user=user).delete()[0]
        deleted += StaticDevice.objects.filter(user=user).delete()[0]
    logger.warning(
        "Second factor of user %s (%s) removed by user %s (%s)",
        user.pk,
        user.get_username(),
        by.pk,
        by.get_username(),
    )
    return deleted
