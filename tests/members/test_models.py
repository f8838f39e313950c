"""The members' data layer: identifiers checked, rules held by the database itself."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from demo.factories.members import OrganisationFactory, grid_2027, valid_siret
from home.money import euros_decimal, format_euros
from members.models import FeeTier, Membership, Organisation, Payment, Sector
from members.services import (
    NoMatchingTier,
    amount_for,
    membership_period,
    tier_for,
)
from members.validators import normalise_identifier, validate_rna, validate_siret

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("siret", ["84231067400010", "73282932000074", "35600000000001"])
def test_real_looking_sirets_pass(siret):
    validate_siret(siret)  # Luhn; La Poste's SIREN 356000000 has its own rule


@pytest.mark.parametrize("siret", ["84231067400011", "1234567890123", "8423106740001A"])
def test_bad_sirets_are_refused_with_a_french_message(siret):
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)
    assert "SIRET" in str(error.value)


def test_rna_format():
    validate_rna("W442001234")
    validate_rna(normalise_identifier("w 442 001 234"))
    with pytest.raises(ValidationError, match="W suivi de 9 chiffres"):
        validate_rna("442001234")


def test_an_organisation_needs_rna_or_siret():
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(rna="", siret="")
    OrganisationFactory(rna="", siret=valid_siret(7))


def test_identifiers_are_unique_when_given():
    OrganisationFactory(rna="W442000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(rna="W442000001")
    # Empty identifiers do not clash with each other.
    OrganisationFactory(rna="", siret=valid_siret(1))
    OrganisationFactory(rna="", siret=valid_siret(2))
    assert Organisation.objects.filter(rna="").count() == 2


def test_sectors_are_seeded():
    assert Sector.objects.filter(slug="medico-social").exists()
    assert Sector.objects.count() >= 10


@pytest.mark.parametrize(
    "employees, label",
    [
        (0, "Sans salarié"),
        (1, "1 à 9 salariés"),
        (9, "1 à 9 salariés"),
        (10, "10 à 49 salariés"),
        (50, "50 salariés et plus"),
        (400, "50 salariés et plus"),
    ],
)
def test_tier_follows_the_declared_size(employees, label):
    grid = grid_2027()
    assert tier_for(grid, OrganisationFactory(employees=employees)).label == label


def test_tier_by_budget_uses_the_bracket_floor():
    grid = grid_2027()
    grid.tiers.all().delete()
    FeeTier.objects.create(
        grid=grid, label="Petit budget", basis="budget", maximum=200000, amount_cents=8000
    )
    FeeTier.objects.create(
        grid=grid, label="Gros budget", basis="budget", minimum=200000, amount_cents=40000, order=1
    )
    assert tier_for(grid, OrganisationFactory(budget_bracket="50000")).label == "Petit budget"
    assert tier_for(grid, OrganisationFactory(budget_bracket="1000000")).label == "Gros budget"


def test_a_grid_with_a_gap_says_so():
    grid = grid_2027()
    grid.tiers.filter(label="50 salariés et plus").delete()
    with pytest.raises(NoMatchingTier, match="2027"):
        tier_for(grid, OrganisationFactory(employees=80))


def test_amount_comes_from_the_grid_not_the_browser():
    grid = grid_2027()
    fixed = grid.tiers.get(label="1 à 9 salariés")
    assert amount_for(fixed, chosen_cents=1) == 12000
    free = grid.tiers.get(free_amount=True)
    assert amount_for(free, chosen_cents=25000) == 25000
    with pytest.raises(ValueError, match="au moins 200"):
        amount_for(free, chosen_cents=19999)


def test_a_tier_is_fixed_or_free_with_a_minimum():
    grid = grid_2027()
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeTier.objects.create(
            grid=grid,
            label="Ambiguë",
            basis="employees",
            amount_cents=100,
            free_amount=True,
            minimum_cents=50,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeTier.objects.create(
            grid=grid, label="Vide", basis="employees", minimum=10, maximum=5, amount_cents=100
        )


def test_one_live_membership_per_organisation_and_year():
    grid = grid_2027()
    organisation = OrganisationFactory()
    start, end = membership_period(2027)
    tier = tier_for(grid, organisation)
    fields = dict(
        organisation=organisation,
        year=2027,
        period_start=start,
        period_end=end,
        tier=tier,
        amount_cents=tier.amount_cents,
    )
    first = Membership.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(**fields)
    first.status = Membership.Status.CANCELLED
    first.save()
    Membership.objects.create(**fields)  # a cancelled one does not block a new one


def test_stripe_ids_are_unique_and_amounts_positive():
    grid = grid_2027()
    organisation = OrganisationFactory()
    start, end = membership_period(2027)
    membership = Membership.objects.create(
        organisation=organisation,
        year=2027,
        period_start=start,
        period_end=end,
        tier=tier_for(grid, organisation),
        amount_cents=12000,
    )
    Payment.objects.create(
        membership=membership,
        method="card",
        amount_cents=12000,
        reference="ADH-2027-0001",
        stripe_payment_intent_id="pi_1",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            membership=membership,
            method="card",
            amount_cents=12000,
            reference="ADH-2027-0002",
            stripe_payment_intent_id="pi_1",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            membership=membership, method="cheque", amount_cents=0, reference="ADH-2027-0003"
        )
    # Offline payments have no Stripe id: many NULLs are allowed.
    Payment.objects.create(
        membership=membership, method="cheque", amount_cents=12000, reference="ADH-2027-0004"
    )
    Payment.objects.create(
        membership=membership, method="transfer", amount_cents=12000, reference="ADH-2027-0005"
    )


def test_membership_period_is_the_calendar_year_by_default():
    assert membership_period(2027) == (
        datetime.date(2027, 1, 1),
        datetime.date(2027, 12, 31),
    )


def test_euros_in_french():
    assert format_euros(12000) == "120\u00a0€"
    assert format_euros(1234567) == "12\u202f345,67\u00a0€"
    assert format_euros(1234567, plain=True) == "12 345,67\u00a0€"  # plain-text e-mails
    assert format_euros(5) == "0,05\u00a0€"
    assert euros_decimal(1234567) == Decimal("12345.67") and euros_decimal(None) is None


def test_only_an_erased_organisation_may_have_neither_rna_nor_siret():
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(rna="", siret="")
    erased = OrganisationFactory(rna="", siret="", pseudonymised_at=timezone.now())
    assert erased.pk
