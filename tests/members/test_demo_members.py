"""Demo members: this year's grid and organisations in every membership state, loaded once."""

import datetime

import pytest
from django.core.management import call_command

from members.models import FeeGrid, Membership, Organisation, Payment

pytestmark = pytest.mark.django_db


def test_demo_members_cover_every_state_and_load_once():
    from demo.members import load_demo_members

    today = datetime.date(2026, 11, 23)
    assert load_demo_members(today) == 6
    assert load_demo_members(today) == 0
    assert Organisation.objects.count() == 6
    assert FeeGrid.objects.filter(year=2026).exists()
    statuses = set(Membership.objects.values_list("status", flat=True))
    assert statuses == {"active", "pending", "expired", "cancelled"}
    assert Payment.objects.filter(status="failed").exists()
    assert Payment.objects.filter(status="refunded").exists()
    assert Payment.objects.filter(method="transfer", status="pending").exists()


def test_if_empty_leaves_existing_members_alone():
    call_command("load_demo_members", verbosity=0)
    count = Payment.objects.count()
    call_command("load_demo_members", "--if-empty", verbosity=0)
    assert Payment.objects.count() == count
