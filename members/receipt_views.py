"""Receipt downloads: a contact gets their own organisation's receipts, anyone else a 404."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from .models import Payment, Receipt
from .receipts import receipt_filename, store_receipt_pdf
from .views import organisations_of


def receipts_for(user):
    """The receipts this user may download.

    Whoever holds the `members.view_receipt` permission (superusers included) gets them all; anyone
    else, staff or not, only their organisations' receipts of payments still received: a refunded
    payment's receipt no longer attests anything, and answers 404 like another's.
    """
    receipts = Receipt.objects.select_related(
        "payment__membership__organisation", "payment__membership__tier"
    )
    if user.has_perm("members.view_receipt"):
        return receipts
    return receipts.filter(
        payment__status=Payment.Status.SUCCEEDED,
        payment__membership__organisation__in=organisations_of(user),
    )


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
