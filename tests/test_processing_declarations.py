"""The apps' declarations in the register of processing activities (RGPD art. 30): each app
declares what it does, the retention rules the deletion command applies are written in them,
and a processing that uses Stripe says where its data go.

The register is what the privacy app discovers when Django starts (each app's processing.py):
these tests read it as the site does, through privacy.register.processings().
"""

import pytest
from django.apps import apps
from django.utils import translation

from privacy.register import STRIPE, processings

# Each app and the place of its processings in the register.
APPS = {
    "members": range(10, 20),
    "awards": range(20, 30),
    "forms": range(30, 40),
    "search": range(40, 50),
    "impact": range(50, 60),
}


def declared(app_label):
    return [item for item in processings() if item.app_label == app_label]


def test_the_register_is_discovered():
    assert apps.is_installed("privacy"), "privacy must be in INSTALLED_APPS to discover them"


@pytest.mark.parametrize("app_label", APPS)
def test_each_app_declares_its_processings_in_its_place(app_label):
    items = declared(app_label)
    assert items
    for item in items:
        assert item.slug.startswith(f"{app_label}-")
        assert item.order in APPS[app_label]


def test_slugs_are_unique():
    slugs = [item.slug for item in processings()]
    assert len(slugs) == len(set(slugs))


@pytest.mark.parametrize(
    "app_label, rule",
    [
        ("search", "13 mois"),
        ("forms", "30 jours"),
        ("forms", "2 ans"),
        ("awards", "3 ans"),
        ("members", "3 ans"),
        ("members", "10 ans"),
        ("impact", "3 ans"),
    ],
)
def test_retention_rules_are_stated(app_label, rule):
    with translation.override("fr"):
        assert any(rule in str(item.retention) for item in declared(app_label))


def test_stripe_means_a_declared_transfer():
    with_stripe = [item for item in processings() if STRIPE in item.processors]
    assert with_stripe
    for item in with_stripe:
        assert str(item.transfers).strip(), item.slug
