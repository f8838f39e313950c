"""The second factor's devices and codes: a user's TOTP device (an authenticator app), checking
the codes typed, the recovery codes, setting up and removing the devices.

django-otp keeps the devices and their throttling; recovery codes are the codes of its static
device, stored as keyed hashes (below) and each used once.
"""

import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

logger = logging.getLogger("home.staff_otp")

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


def totp_device(user, confirmed=True):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def has_second_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


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
