"""/admin/2fa/…: the staff second factor's pages (views.py beside it). Included by
config/urls.py before Wagtail's admin, whose catch-all would answer 404 otherwise."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.manage, name="staff_otp_manage"),
    path("verification/", views.verify, name="staff_otp_verify"),
    path("activation/", views.enrol, name="staff_otp_enrol"),
    path("codes-de-secours/", views.recovery_codes, name="staff_otp_recovery_codes"),
    path("codes-de-secours/nouveaux/", views.regenerate_codes, name="staff_otp_regenerate"),
    path("desactivation/", views.disable, name="staff_otp_disable"),
    path("reinitialisation/<int:user_id>/", views.reset, name="staff_otp_reset"),
]
