"""The social-utility demo: 20 indicators in 6 dimensions, three campaigns, the answers of 30
organisations, two reports waiting for their review; loaded again, it makes nothing twice."""

from io import StringIO

import pytest
from django.core.management import call_command

from impact.models import Answer, Campaign, Dimension, Indicator, Report

pytestmark = pytest.mark.django_db


def load(*args):
    out = StringIO()
    call_command("load_demo_impact", *args, stdout=out)
    return out.getvalue()


def test_the_demo_fills_three_campaigns_and_loads_only_once():
    assert "80 rapports" in load()
    assert Dimension.objects.count() == 6 and Indicator.objects.count() == 20
    closed, previous, current = Campaign.objects.order_by("year")
    assert not closed.is_open() and not previous.is_open() and current.is_open()
    assert closed.reports.filter(status=Report.Status.REVIEWED).count() == 30
    assert current.reports.count() == 20
    assert current.reports.filter(status=Report.Status.SUBMITTED).count() == 2
    # Believable variation: the same indicator differs between organisations.
    volunteers = Answer.objects.filter(
        indicator__code="benevoles-actifs", report__campaign=closed, value__isnull=False
    )
    assert volunteers.values("value").distinct().count() > 10
    assert Answer.objects.filter(not_applicable=True).exists()
    assert "rien n’est chargé" in load("--if-empty")
    assert "0 rapports" in load()
    assert Report.objects.count() == 80
