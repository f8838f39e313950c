"""Where a receipt's PDF is kept (members/receipts.store_receipt_pdf): each receipt gets its own
file, and when two runs render the same receipt at once the first recorded file wins and the
other is removed, so no orphan PDF of personal data is left in the storage."""

import pytest

from demo.factories.members import grid_2027
from members.models import Receipt
from members.receipts import issue_receipt_for, store_receipt_pdf

from .test_receipts import paid_payment

pytestmark = pytest.mark.django_db


def test_storing_one_receipt_leaves_the_others_alone():
    grid = grid_2027()
    first = issue_receipt_for(paid_payment(grid=grid))
    second = issue_receipt_for(paid_payment(grid=grid))
    store_receipt_pdf(first)
    assert Receipt.objects.get(pk=first.pk).pdf.name.endswith(".pdf")
    assert Receipt.objects.get(pk=second.pk).pdf.name == ""


def test_the_run_that_records_second_keeps_the_first_file_and_removes_its_own():
    receipt = issue_receipt_for(paid_payment())
    stale = Receipt.objects.get(pk=receipt.pk)  # read before the other run recorded its file
    winner = store_receipt_pdf(Receipt.objects.get(pk=receipt.pk))
    storage = winner.pdf.storage
    before = set(storage.listdir("receipts")[1])

    store_receipt_pdf(stale)

    assert stale.pdf.name == winner.pdf.name  # the recorded file, read back from the database
    assert Receipt.objects.get(pk=receipt.pk).pdf.name == winner.pdf.name
    assert set(storage.listdir("receipts")[1]) == before  # its own render was deleted
    assert storage.exists(winner.pdf.name)
