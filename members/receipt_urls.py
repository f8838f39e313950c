"""Receipts, downloaded from the portal."""

from django.urls import path

from . import receipt_views

urlpatterns = [
    path("recu/<int:pk>/", receipt_views.download_receipt, name="receipt"),
]
