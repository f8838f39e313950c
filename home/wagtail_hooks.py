"""The admin's accessibility repairs that a template override would have to copy Wagtail for."""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from .admin_history import PermissionCheckedHistoryView
from .login_lockout import LockedLoginAdmin
from .ratelimit import page_rate_limit
from .staff_otp.devices import has_second_factor
from .staff_otp.policy import may_use_second_factor


@hooks.register("insert_global_admin_js")
def name_search_landmarks():
    # The dashboard has two search forms (the sidebar's and its own) without a name: two
    # identical landmarks (axe « landmark-unique »). The script names the unnamed ones.
    return format_html('<script src="{}" defer></script>', static("home/js/admin-landmarks.js"))


# Staff unlock logins that django-axes locked (Paramètres › Connexions bloquées).
modeladmin_register(LockedLoginAdmin)

# Every model's « Historique » page asks the permission its listing asks (home/admin_history.py).
ModelAdmin.history_view_class = PermissionCheckedHistoryView


@hooks.register("before_serve_page")
def rate_limit_pages(page, request, serve_args, serve_kwargs):
    # The RATE_LIMITS rules that name a page type (the bulletin's form posts to its page).
    return page_rate_limit(page, request)


# --- The staff second factor (home/staff_otp/) -----------------------------------------------


@hooks.register("register_account_menu_item")
def second_factor_account_item(request):
    # In « Mon compte », for everyone who may use it: the way in for those not obliged to.
    if not may_use_second_factor(request.user):
        return None
    if has_second_factor(request.user):
        return {
            "url": reverse("staff_otp_manage"),
            "label": _("Double authentification"),
            "help_text": _("Vos codes de secours et vos réglages."),
        }
    return {
        "url": reverse("staff_otp_enrol"),
        "label": _("Activer la double authentification"),
        "help_text": _("Un code de votre téléphone en plus du mot de passe."),
    }


@hooks.register("register_user_listing_buttons")
def second_factor_reset_button(user, request_user):
    # Superusers only; the confirmation page says whether the user has a device (asking here
    # would cost a query per row of the listing).
    if request_user.is_superuser:
        yield Button(
            _("Réinitialiser la double authentification"),
            reverse("staff_otp_reset", args=[user.pk]),
            icon_name="key",
            priority=90,
        )
