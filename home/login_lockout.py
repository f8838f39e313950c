"""What a person sees when django-axes has locked their login after too many wrong passwords."""

import math

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from .ratelimit import fold


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a French page (429) saying when to try again and how to get back in
    without the password, for the portal and the admin login alike."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    response = render(
        request,
        "login_locked.html",
        {"minutes": max(1, math.ceil(seconds / 60))},
        status=429,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


def username_of(request, credentials):
    """AXES_USERNAME_CALLABLE: the name typed in the login form, folded as the forms and the
    backends compare it (home.ratelimit.fold), so « Alice@… », « alice@… » and « ａlice@… »
    share one counter. On success django-axes passes
    the account's user name, which for a member is not the e-mail they typed: the form's value
    comes first, so that a success clears the counter the failures filled."""
    typed = request.POST.get("username") if request is not None else None
    return fold(typed or (credentials or {}).get("username"))


class LockedLoginPermissionHelper(PermissionHelper):
    """Staff read the failed attempts and delete them to unlock; nobody writes one by hand."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False


class LockedLoginAdmin(ModelAdmin):
    """Paramètres › Connexions bloquées: the failed logins django-axes counts. Deleting a row
    unlocks that account at that address at once."""

    model = AccessAttempt
    menu_label = _("Connexions bloquées")
    menu_icon = "lock"
    add_to_settings_menu = True
    permission_helper_class = LockedLoginPermissionHelper
    list_display = ("username", "ip_address", "failures_since_start", "attempt_time", "path_info")
    list_filter = ("attempt_time",)
    search_fields = ("username", "ip_address")
    ordering = ("-attempt_time",)
