"""Background work of the membership (django-tasks): receipts and their e-mails."""

from django_tasks import task


@task()
def issue_receipt(payment_id):
    """Number, render and e-mail the receipt of a received payment (made by the receipts step)."""
