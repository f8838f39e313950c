"""Receipt downloads: a contact gets their own organisation's receipts, anyone else a 404."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from ..permissions import receipts_for
from ..receipts import receipt_filename, store_receipt_pdf


@never_cache
@login_required(login_url="members:login")
def download_receipt(request, pk):
    # Another organisation's receipt answers 404, as if it did not exist.
    receipt = get_object_or_404(receipts_for(request.user), pk=pk)
    store_receipt_pdf(receipt)  # the task has not run yet: made now, and kept
    return FileResponse(
        receipt.pdf.open("rb"),
        as_attachment=True,
        filename=receipt_filename(receipt),
        content_type="application/pdf",
    )
