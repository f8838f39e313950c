"""The middleware that keeps the admins closed until the second factor is passed (or set up, by
whoever must use one)."""

from functools import cache

from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from .policy import pending_step, step_url


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
