"""The portal's home and an organisation's page cost a fixed number of queries, whatever the
number of organisations, memberships, payments and receipts: the same with 2 rows as with 20.

Measured on a second request, the site's shared parts (identity, footer links) being cached by
the first, as they are for every visitor but the first after a content change."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.factories.members import OrganisationFactory, UserFactory, grid_2027
from members.models import Contact, Membership, Payment, Receipt

pytestmark = pytest.mark.django_db

# The session, its user; Wagtail's user bar asks whether the user may enter the admin (their
# own permissions, then their groups'): these four come with every logged-in page.
LOGGED_IN = 4
# The user's organisations, their memberships (with their tier), their payments (each with its
# receipt).
PORTAL = LOGGED_IN + 3
# The organisation, its sectors, its memberships (with their tier), their payments (each with
# its receipt).
ORGANISATION = LOGGED_IN + 4


def _membership(organisation, tier, year, status=Membership.Status.ACTIVE):
    return Membership.objects.create(
        organisation=organisation,
        year=year,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        tier=tier,
        amount_cents=tier.amount_cents,
        status=status,
    )


def _payments(membership, n):
    """A failed card payment, then a cheque received with its receipt."""
    Payment.objects.create(
        membership=membership,
        method=Payment.Method.CARD,
        amount_cents=membership.amount_cents,
        reference=f"ECHEC-{membership.organisation_id}-{membership.year}",
        status=Payment.Status.FAILED,
    )
    paid = Payment.objects.create(
        membership=membership,
        method=Payment.Method.CHEQUE,
        amount_cents=membership.amount_cents,
        reference=f"ADH-{membership.organisation_id}-{membership.year}",
        status=Payment.Status.SUCCEEDED,
        received_at=timezone.now(),
    )
    return Receipt.objects.create(
        payment=paid, year=membership.year, sequence=n, number=f"{membership.year}-{n:04d}"
    )


@pytest.fixture
def grown(request):
    """Alice, contact of `n` organisations: the first has `n` years of memberships, each with a
    failed payment and a received one with its receipt, and one more, pending, whose transfer
    is awaited; each other organisation has one paid membership."""
    n = request.param
    tier = grid_2027().tiers.get(label="1 à 9 salariés")
    alice = UserFactory(email="alice@jardins.example.org", first_name="Alice", last_name="Martin")
    organisations = [OrganisationFactory(name=f"Association {i}") for i in range(n)]
    for i, organisation in enumerate(organisations):
        Contact.objects.create(
            organisation=organisation, user=alice, role="president", is_primary=i == 0
        )
    jardins = organisations[0]
    receipts = [_payments(_membership(jardins, tier, 2000 + i), i + 1) for i in range(n)]
    pending = _membership(jardins, tier, 2000 + n, status=Membership.Status.PENDING)
    Payment.objects.create(
        membership=pending,
        method=Payment.Method.TRANSFER,
        amount_cents=pending.amount_cents,
        reference="VIR-EN-ATTENTE",
    )
    for i, organisation in enumerate(organisations[1:], start=1):
        _payments(_membership(organisation, tier, 2000), 1000 + i)
    return {"n": n, "alice": alice, "jardins": jardins, "receipts": receipts, "pending": pending}


ROWS = pytest.mark.parametrize("grown", [2, 20], indirect=True, ids=["2 rows", "20 rows"])


@ROWS
def test_the_portal_home_costs_the_same_whatever_the_rows(client, grown, django_assert_num_queries):
    client.force_login(grown["alice"])
    url = reverse("members:portal")
    client.get(url)
    with django_assert_num_queries(PORTAL):
        response = client.get(url)
    html = response.content.decode()
    # Every organisation is there, the first with its pending membership to pay by transfer.
    for i in range(grown["n"]):
        assert f">Association {i}</a>" in html
    assert reverse("members:offline", args=[grown["pending"].pk]) in html
    assert html.count("Adhésion 2000 : Active") == grown["n"] - 1


@ROWS
def test_the_organisation_page_costs_the_same_whatever_the_rows(
    client, grown, django_assert_num_queries
):
    client.force_login(grown["alice"])
    url = reverse("members:organisation", args=[grown["jardins"].pk])
    client.get(url)
    with django_assert_num_queries(ORGANISATION):
        response = client.get(url)
    html = response.content.decode()
    # Every membership, every payment and every receipt's link is on the page.
    assert html.count("(échoué)") == grown["n"]
    for receipt in grown["receipts"]:
        assert f'href="{reverse("members:receipt", args=[receipt.pk])}"' in html
        assert f"Télécharger le reçu {receipt.number}" in html
    assert "VIR-EN-ATTENTE" in html
    assert reverse("members:offline", args=[grown["pending"].pk]) in html
