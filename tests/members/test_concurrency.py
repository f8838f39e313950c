"""Two confirmations of the same payment at the same moment activate the membership once.

PostgreSQL only (SQLite serialises writers on its own): tests/conftest.py deselects these tests
on other databases. As in pretix's concurrency tests, a control first shows that the harness
does catch a race when nothing locks, then the real code is run the same way.
"""

import time

import pytest
from django.db import transaction

from demo.factories.members import OrganisationFactory, grid_2027
from members.models import Membership, Payment
from members.services import confirm_payment, create_payment, start_membership
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

WINDOW = 0.3  # seconds between reading the payment and writing it: the race window


@pytest.fixture
def payment():
    membership = start_membership(OrganisationFactory(), grid_2027())
    return create_payment(membership, Payment.Method.CARD, "pi_race")


def test_control_without_a_lock_both_confirmations_win(payment):
    def confirm_unlocked():
        with transaction.atomic():
            current = Payment.objects.get(pk=payment.pk)  # no select_for_update
            if current.status != Payment.Status.PENDING:
                return False
            time.sleep(WINDOW)
            Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.SUCCEEDED)
            return True

    assert run_together(confirm_unlocked) == [True, True]  # the race the lock must prevent


def test_with_the_lock_only_one_confirmation_wins(payment, monkeypatch):
    import members.services as services

    real_now = services.timezone.now

    def slow_now():  # called inside the locked section: widen the window as in the control
        time.sleep(WINDOW)
        return real_now()

    monkeypatch.setattr(services.timezone, "now", slow_now)
    results = run_together(lambda: confirm_payment(payment.pk))
    assert sorted(results) == [False, True]
    membership = Membership.objects.get(pk=payment.membership_id)
    assert membership.status == Membership.Status.ACTIVE
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED
