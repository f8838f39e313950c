"""The second factor's pages, under /admin/2fa/ (config/urls.py): the code after signing in,
the enrolment with its recovery codes, the user's own settings, and the superuser's reset.

These addresses sit outside Wagtail's admin URLs and are left open by the middleware
(middleware.py), so each view checks who asks: an anonymous visitor goes to the admin's
login, a user without admin access is turned away as Wagtail does, and the pages meant for
verified sessions send the others to their code first.
"""

from base64 import b32encode
from functools import wraps
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_denied, require_admin_access

from . import devices, policy
from .forms import EnrolmentForm, VerifyCodeForm


def _next_url(request):
    """Where to go once done: the page first asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def admin_page(view):
    """Signed in with admin access (else Wagtail's login), never cached: these pages show
    secrets."""
    return never_cache(require_admin_access(view))


def verified_admin_page(view):
    """As admin_page, and the session passed the second factor if the user has to or has one."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        step = policy.pending_step(request)
        if step is not None:
            return redirect(policy.step_url(step, request.get_full_path()))
        return view(request, *args, **kwargs)

    return admin_page(wrapped)


# --- Signing in ----------------------------------------------------------------------------------


@admin_page
def verify(request):
    next_url = _next_url(request)
    step = policy.pending_step(request)
    if step is None:
        return redirect(next_url)
    if step == "enrol":
        return redirect(policy.step_url("enrol", next_url))
    form = VerifyCodeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        devices.mark_verified(request, form.device)
        if form.used_recovery_code:
            left = devices.remaining_recovery_codes(request.user)
            messages.warning(
                request,
                ngettext(
                    "Vous avez utilisé un code de secours : il vous en reste %(count)d. "
                    "Générez-en de nouveaux dans « Double authentification ».",
                    "Vous avez utilisé un code de secours : il vous en reste %(count)d. "
                    "Générez-en de nouveaux dans « Double authentification ».",
                    left,
                )
                % {"count": left},
            )
        return redirect(next_url)
    return TemplateResponse(request, "home/staff_otp/verify.html", {"form": form, "next": next_url})


@admin_page
def enrol(request):
    next_url = _next_url(request)
    user = request.user
    if devices.has_second_factor(user):
        # Whoever has a device sets up no other: a password alone must never replace the
        # second factor (a lost phone goes through a superuser's reset).
        step = policy.pending_step(request)
        if step is not None:
            return redirect(policy.step_url(step, next_url))
        messages.info(request, _("La double authentification est déjà activée."))
        return redirect("staff_otp_manage")
    device = devices.pending_totp_device(request, save=request.method == "POST")
    form = EnrolmentForm(user, device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not devices.confirm_device(request, device):
            messages.error(request, _("La double authentification vient d’être activée."))
            return redirect(f"{reverse('staff_otp_verify')}?{_next_query(next_url)}")
        devices.mark_verified(request, device)
        request.session[devices.NEW_RECOVERY_CODES_SESSION_KEY] = devices.issue_recovery_codes(user)
        return redirect(f"{reverse('staff_otp_recovery_codes')}?{_next_query(next_url)}")
    secret = b32encode(device.bin_key).decode().rstrip("=")
    qr_code = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, light="#fff", dark="#000", title=_("QR code à scanner")
    )
    return TemplateResponse(
        request,
        "home/staff_otp/enrol.html",
        {
            "form": form,
            "next": next_url,
            "required": policy.second_factor_required(user),
            "qr_code": qr_code,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        },
    )


def _next_query(next_url):
    return urlencode({"next": next_url})


@verified_admin_page
def recovery_codes(request):
    """The new recovery codes, shown once: the session forgets them as the page is made."""
    codes = request.session.pop(devices.NEW_RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        messages.info(
            request,
            _(
                "Les codes de secours ne sont affichés qu’une fois. Si vous ne les avez plus, "
                "générez-en de nouveaux."
            ),
        )
        return redirect("staff_otp_manage")
    return TemplateResponse(
        request,
        "home/staff_otp/recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


# --- The user's own settings ---------------------------------------------------------------------


@verified_admin_page
def manage(request):
    user = request.user
    device = devices.totp_device(user)
    return TemplateResponse(
        request,
        "home/staff_otp/manage.html",
        {
            "device": device,
            "required": policy.second_factor_required(user),
            "remaining_codes": devices.remaining_recovery_codes(user) if device else 0,
            "disable_form": VerifyCodeForm(user, prefix="disable"),
        },
    )


@require_POST
@verified_admin_page
def regenerate_codes(request):
    if not devices.has_second_factor(request.user):
        return redirect("staff_otp_manage")
    request.session[devices.NEW_RECOVERY_CODES_SESSION_KEY] = devices.issue_recovery_codes(
        request.user
    )
    return redirect(
        f"{reverse('staff_otp_recovery_codes')}?{_next_query(reverse('staff_otp_manage'))}"
    )


@require_POST
@verified_admin_page
def disable(request):
    """Who chose the second factor may drop it, with a current code; who must use it may not."""
    user = request.user
    if policy.second_factor_required(user) or not devices.has_second_factor(user):
        return permission_denied(request)
    form = VerifyCodeForm(user, request.POST, prefix="disable")
    if form.is_valid():
        devices.remove_second_factor(user, by=user)
        messages.success(request, _("La double authentification est désactivée."))
        return redirect("staff_otp_manage")
    device = devices.totp_device(user)
    return TemplateResponse(
        request,
        "home/staff_otp/manage.html",
        {
            "device": device,
            "required": False,
            "remaining_codes": devices.remaining_recovery_codes(user),
            "disable_form": form,
        },
    )


# --- Superusers: reset another user's second factor ---------------------------------------------


@verified_admin_page
def reset(request, user_id):
    """A superuser removes a user's devices (a lost phone, no recovery code left): at their next
    admin page the user sets up a new one. Superusers only, from a verified session."""
    if not request.user.is_superuser:
        return permission_denied(request)
    target = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        if devices.remove_second_factor(target, by=request.user):
            messages.success(
                request,
                _(
                    "La double authentification de %(user)s est réinitialisée : un nouvel "
                    "appareil lui sera demandé à sa prochaine connexion."
                )
                % {"user": target.get_username()},
            )
        else:
            messages.info(
                request,
                _("%(user)s n’avait pas de double authentification.")
                % {"user": target.get_username()},
            )
        return redirect("wagtailusers_users:edit", target.pk)
    return TemplateResponse(
        request,
        "home/staff_otp/reset.html",
        {
            "target": target,
            "has_device": devices.has_second_factor(target),
            "required": policy.second_factor_required(target),
        },
    )
