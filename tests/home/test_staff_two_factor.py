"""The staff second factor (home/staff_otp/): who must use it, the enrolment with its
recovery codes, the code before any admin page, throttling, single-use recovery codes, the
superuser's reset, and what it leaves alone (the public site, the member portal, the jury).

Marked `two_factor`: here `client.force_login` leaves the session unverified, as a password
login does (tests/conftest.py verifies it for the other tests).
"""

import re
import time
from base64 import b32decode
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from home.staff_otp import devices, policy
from tests.conftest import enrolled_totp_device, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

PASSWORD = "un-mot-de-passe-solide-42"
VERIFY = "/admin/2fa/verification/"
ENROL = "/admin/2fa/activation/"
CODES = "/admin/2fa/codes-de-secours/"
MANAGE = "/admin/2fa/"


def permission(label):
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def user_with(*permissions, username="gaelle", superuser=False):
    user = User.objects.create_user(
        username, f"{username}@reseau.example.org", PASSWORD, is_superuser=superuser
    )
    if permissions:
        group = Group.objects.create(name=f"Groupe de {username}")
        group.permissions.add(*(permission(label) for label in permissions))
        user.groups.add(group)
    return User.objects.get(pk=user.pk)  # no stale permission cache


@pytest.fixture
def superuser():
    return user_with(username="admin", superuser=True)


@pytest.fixture
def treasurer():
    """Staff whose group sees payments: a sensitive permission."""
    return user_with("wagtailadmin.access_admin", "members.view_payment", username="tresorerie")


@pytest.fixture
def editor():
    """Wagtail's Editors group only: pages, images, documents; no member data."""
    user = user_with(username="edith")
    user.groups.add(Group.objects.get(name="Editors"))
    return User.objects.get(pk=user.pk)


def password_login(client, user):
    response = client.post(
        "/admin/login/", {"username": user.get_username(), "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def next_period_code(device):
    """The code of the next 30-second period: accepted as well (one period of clock difference
    allowed), and not yet used when this period's code just was."""
    device.refresh_from_db()
    return totp_code(device, at=time.time() + device.step)


def error_text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- Who must use it -----------------------------------------------------------------------------


def test_every_permission_of_the_sensitive_list_exists():
    # A typo in the list would silently exempt whoever holds the real permission.
    for label in policy.SENSITIVE_PERMISSIONS:
        assert permission(label), label


def test_superusers_and_sensitive_groups_must_use_it_editors_and_members_need_not(
    superuser, treasurer, editor
):
    jury_staff = user_with(
        "wagtailadmin.access_admin", "awards.view_score", "awards.add_juryassignment", username="j"
    )
    volunteering_staff = user_with(
        "wagtailadmin.access_admin", "forms.change_volunteeroffer", username="v"
    )
    member = User.objects.create_user("alice@jardins.example.org", password=PASSWORD)
    assert policy.second_factor_required(superuser)
    assert policy.second_factor_required(treasurer)
    assert policy.second_factor_required(jury_staff)
    assert policy.second_factor_required(volunteering_staff)
    assert not policy.second_factor_required(editor)
    assert not policy.second_factor_required(member)
    assert policy.may_use_second_factor(editor)
    assert not policy.may_use_second_factor(member)


def test_a_superuser_without_a_device_is_sent_to_enrolment_before_any_admin_page(client, superuser):
    password_login(client, superuser)
    for path in ("/admin/", "/admin/members/organisation/", "/admin/users/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{ENROL}?next={path.replace('/', '%2F')}"


def test_staff_of_a_sensitive_group_are_sent_to_enrolment(client, treasurer):
    client.force_login(treasurer)
    response = client.get("/admin/members/payment/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)


def test_an_editor_enters_the_admin_without_a_second_factor_and_is_offered_one(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    account = client.get("/admin/account/").content.decode()
    assert "Activer la double authentification" in account and ENROL in account


def test_an_editor_who_chose_a_second_factor_is_asked_for_the_code_too(client, editor):
    device = enrolled_totp_device(editor)
    client.force_login(editor)
    response = client.get("/admin/pages/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Fpages%2F"
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/admin/pages/"})
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


# --- What stays reachable ------------------------------------------------------------------------


def test_login_logout_and_what_the_code_page_loads_stay_reachable(client, superuser):
    password_login(client, superuser)
    enrolled_totp_device(superuser)
    assert client.get(VERIFY).status_code == 200
    assert client.get("/admin/jsi18n/").status_code == 200
    assert client.get(reverse("wagtailadmin_sprite")).status_code == 200
    # Static files are outside the admin: never sent to the code (WhiteNoise serves them
    # before any of this in production).
    static = client.get(settings.STATIC_URL + "wagtailadmin/css/core.css")
    assert "/admin/2fa/" not in static.get("Location", "")
    assert client.post("/admin/logout/").status_code == 302
    assert client.get("/admin/login/").status_code == 200


def test_the_portal_the_jury_area_and_the_public_site_are_left_alone(client, superuser, site_tree):
    client.force_login(superuser)  # no device, not verified: the admin would send them away
    for path in ("/", "/espace-membre/", "/jury/", "/benevolat/besoins/", "/recherche/?q=x"):
        response = client.get(path)
        assert "/admin/2fa/" not in response.get("Location", ""), path
        assert response.status_code < 500, path


@pytest.mark.parametrize(
    "name, args",
    [
        ("staff_otp_manage", []),
        ("staff_otp_verify", []),
        ("staff_otp_enrol", []),
        ("staff_otp_recovery_codes", []),
        ("staff_otp_regenerate", []),
        ("staff_otp_disable", []),
        ("staff_otp_reset", [1]),
    ],
)
def test_anonymous_visitors_of_the_second_factor_pages_go_to_the_login(client, name, args):
    url = reverse(name, args=args)
    for response in (client.get(url), client.post(url, {"code": "123456"})):
        if response.status_code == 405:  # POST-only views refuse a GET before anything
            continue
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith("/admin/login/?next=")


def test_members_without_admin_access_are_turned_away_from_the_second_factor_pages(client):
    member = User.objects.create_user("alice@jardins.example.org", password=PASSWORD)
    client.force_login(member)
    for url in (MANAGE, ENROL, VERIFY):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not TOTPDevice.objects.filter(user=member).exists()


# --- Enrolment -----------------------------------------------------------------------------------


def test_enrolment_with_the_shown_secret_then_recovery_codes_shown_once(client, superuser):
    password_login(client, superuser)
    page = client.get(f"{ENROL}?next=/admin/pages/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "<svg" in html  # the QR code, drawn here
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    # Showing the page writes no device (the secret waits in the session); a reload shows the
    # same secret, which the app may already hold.
    assert not TOTPDevice.objects.filter(user=superuser).exists()
    assert secret in client.get(ENROL).content.decode()
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    code = f"{TOTP(key).token():06d}"  # what the app computes from the key it was given

    assert client.post(ENROL, {"code": "000000", "next": "/admin/pages/"}).status_code == 200
    device = TOTPDevice.objects.get(user=superuser)
    assert not device.confirmed
    device.throttling_failure_timestamp = None  # the second try comes later
    device.save()

    response = client.post(ENROL, {"code": code, "next": "/admin/pages/"})
    assert response.status_code == 302
    assert response["Location"] == f"{CODES}?next=%2Fadmin%2Fpages%2F"
    device.refresh_from_db()
    assert device.confirmed and device.bin_key == key

    codes_page = client.get(response["Location"])
    assert codes_page.status_code == 200 and "no-store" in codes_page["Cache-Control"]
    codes = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", codes_page.content.decode())
    assert len(codes) == devices.RECOVERY_CODE_COUNT == 10
    assert len(set(codes)) == 10
    # Kept as hashes only: the database does not hold the codes themselves.
    stored = set(StaticToken.objects.filter(device__user=superuser).values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {c.replace("-", "") for c in codes}
    # Shown once.
    again = client.get(CODES)
    assert again.status_code == 302 and again["Location"] == MANAGE
    assert client.get("/admin/pages/").status_code == 200


def test_the_issuer_shown_by_the_app_is_the_association_name(superuser, site_tree):
    from home.identity import site_name

    device = TOTPDevice.objects.create(user=superuser, confirmed=False)
    issuer = quote(site_name().replace(":", ""))
    assert device.config_url.startswith(f"otpauth://totp/{issuer}%3Aadmin?")
    assert device.config_url.endswith(f"&issuer={issuer}")


def test_a_password_alone_never_sets_up_a_second_device(client, superuser):
    device = enrolled_totp_device(superuser)
    password_login(client, superuser)
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    response = client.post(ENROL, {"code": totp_code(device)})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=superuser).count() == 1
    assert DEVICE_ID_SESSION_KEY not in client.session


# --- The code after the password -----------------------------------------------------------------


def test_the_code_opens_the_admin_and_renews_the_session_key(client, superuser):
    device = enrolled_totp_device(superuser)
    password_login(client, superuser)
    response = client.get("/admin/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert client.get(response["Location"]).status_code == 200
    before = client.session.session_key

    wrong = client.post(VERIFY, {"code": "12345", "next": "/admin/"})
    assert wrong.status_code == 200 and "Ce code n’est pas valable." in error_text(wrong)
    StaticDevice.objects.filter(user=superuser).update(throttling_failure_timestamp=None)

    response = client.post(VERIFY, {"code": totp_code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.session.session_key != before
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/admin/").status_code == 200


def test_the_next_address_must_be_on_this_site(client, superuser):
    device = enrolled_totp_device(superuser)
    password_login(client, superuser)
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_a_code_is_accepted_once(client, superuser):
    device = enrolled_totp_device(superuser)
    code = totp_code(device)
    password_login(client, superuser)
    assert client.post(VERIFY, {"code": code})["Location"] == "/admin/"
    client.post("/admin/logout/")
    password_login(client, superuser)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    replay = client.post(VERIFY, {"code": code})
    assert replay.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_wrong_codes_are_throttled(client, superuser):
    assert settings.OTP_TOTP_THROTTLE_FACTOR > 0 and settings.OTP_STATIC_THROTTLE_FACTOR > 0
    device = enrolled_totp_device(superuser)
    password_login(client, superuser)

    first = client.post(VERIFY, {"code": "000000"})
    assert "Ce code n’est pas valable." in error_text(first)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    # At once, even the right code is refused, and the refusal says how long to wait; a refusal
    # while locked does not count as another failure.
    locked = client.post(VERIFY, {"code": totp_code(device)})
    assert locked.status_code == 200
    assert re.search(r"Trop de codes erronés : patientez \d+ secondes? avant", error_text(locked))
    assert client.get("/admin/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    # The delay doubles with each failure: after 4 failures, 8 seconds.
    device.throttling_failure_count = 4
    device.throttling_failure_timestamp = device.throttling_failure_timestamp - timedelta(seconds=5)
    device.save()
    assert "patientez 3 secondes" in error_text(client.post(VERIFY, {"code": totp_code(device)}))

    # Once the delay has passed, the right code opens the admin and the count starts again.
    device.throttling_failure_timestamp -= timedelta(seconds=8)
    device.save()
    assert client.post(VERIFY, {"code": totp_code(device)})["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_wrong_recovery_codes_are_throttled_too(client, superuser):
    enrolled_totp_device(superuser)
    codes = devices.issue_recovery_codes(superuser)
    password_login(client, superuser)
    assert "pas valable" in error_text(client.post(VERIFY, {"code": "aaaa-bbbb-cccc"}))
    locked = client.post(VERIFY, {"code": codes[0]})
    assert "Trop de codes erronés" in error_text(locked)
    assert StaticToken.objects.filter(device__user=superuser).count() == 10


def test_a_recovery_code_works_once(client, superuser):
    enrolled_totp_device(superuser)
    codes = devices.issue_recovery_codes(superuser)
    password_login(client, superuser)
    response = client.post(VERIFY, {"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    home = client.get("/admin/")
    assert home.status_code == 200
    assert "il vous en reste 9" in home.content.decode()

    client.post("/admin/logout/")
    password_login(client, superuser)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200 and "Ce code n’est pas valable." in error_text(again)
    assert client.get("/admin/").status_code == 302
    StaticDevice.objects.filter(user=superuser).update(throttling_failure_timestamp=None)
    assert client.post(VERIFY, {"code": codes[1]})["Location"] == "/admin/"
    assert devices.remaining_recovery_codes(superuser) == 8


def test_new_recovery_codes_replace_the_old_ones(client, superuser):
    device = enrolled_totp_device(superuser)
    old = devices.issue_recovery_codes(superuser)
    password_login(client, superuser)
    client.post(VERIFY, {"code": totp_code(device)})
    response = client.post("/admin/2fa/codes-de-secours/nouveaux/")
    new_page = client.get(response["Location"])
    new = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", new_page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/admin/logout/")
    password_login(client, superuser)
    assert client.post(VERIFY, {"code": old[0]}).status_code == 200
    StaticDevice.objects.filter(user=superuser).update(throttling_failure_timestamp=None)
    assert client.post(VERIFY, {"code": new[0]})["Location"] == "/admin/"


# --- Dropping it and resetting it ----------------------------------------------------------------


def test_an_editor_may_drop_the_second_factor_with_a_code_staff_who_must_use_it_may_not(
    client, editor, treasurer
):
    device = enrolled_totp_device(editor)
    client.force_login(editor)
    client.post(VERIFY, {"code": totp_code(device)})
    response = client.post("/admin/2fa/desactivation/", {"disable-code": next_period_code(device)})
    assert response["Location"] == MANAGE
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert client.get("/admin/").status_code == 200

    device = enrolled_totp_device(treasurer)
    client.force_login(treasurer)
    client.post(VERIFY, {"code": totp_code(device)})
    response = client.post("/admin/2fa/desactivation/", {"disable-code": next_period_code(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert TOTPDevice.objects.filter(user=treasurer).exists()


def test_a_superuser_resets_a_users_second_factor(client, superuser, treasurer):
    lost = enrolled_totp_device(treasurer)
    devices.issue_recovery_codes(treasurer)
    treasurer_client = type(client)()
    treasurer_client.force_login(treasurer)
    treasurer_client.post(VERIFY, {"code": totp_code(lost)})
    assert treasurer_client.get("/admin/").status_code == 200

    own = enrolled_totp_device(superuser)
    client.force_login(superuser)
    client.post(VERIFY, {"code": totp_code(own)})
    listing = client.get("/admin/users/").content.decode()
    url = f"/admin/2fa/reinitialisation/{treasurer.pk}/"
    assert url in listing
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response["Location"] == f"/admin/users/edit/{treasurer.pk}/"
    assert not TOTPDevice.objects.filter(user=treasurer).exists()
    assert not StaticDevice.objects.filter(user=treasurer).exists()
    # The treasurer's open session loses its verification with the device: enrol again.
    response = treasurer_client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)


def test_only_superusers_may_reset_a_second_factor(client, superuser, treasurer):
    manager = user_with(
        "wagtailadmin.access_admin", "auth.change_user", "auth.view_user", username="rh"
    )
    device = enrolled_totp_device(manager)
    enrolled_totp_device(treasurer)
    client.force_login(manager)
    client.post(VERIFY, {"code": totp_code(device)})
    url = f"/admin/2fa/reinitialisation/{treasurer.pk}/"
    assert url not in client.get("/admin/users/").content.decode()
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert TOTPDevice.objects.filter(user=treasurer).exists()


def test_an_unverified_superuser_cannot_reset_anyone(client, superuser, treasurer):
    enrolled_totp_device(superuser)
    enrolled_totp_device(treasurer)
    password_login(client, superuser)
    response = client.post(f"/admin/2fa/reinitialisation/{treasurer.pk}/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=treasurer).exists()


def test_two_enrolments_at_once_make_one_device(rf, superuser):
    """Two pages of enrolment open at once (the owner's and someone who only has the password):
    the second to confirm finds the first's device and adds none."""
    first = TOTPDevice.objects.create(user=superuser, name="premier", confirmed=False)
    second = TOTPDevice.objects.create(user=superuser, name="second", confirmed=False)
    request = rf.post("/admin/2fa/activation/")
    request.session = {}
    assert devices.confirm_device(request, first) is True
    assert devices.confirm_device(request, second) is False
    assert list(TOTPDevice.objects.filter(user=superuser, confirmed=True)) == [first]
