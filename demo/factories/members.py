"""Factories for the members app (organisations, users, the fee grid), used by the demo too."""

import factory
from django.contrib.auth.models import User

from members.models import FeeGrid, FeeTier, Organisation
from members.validators import luhn_ok


def siret_with_key(digits):
    """These 13 digits followed by the one check digit that makes them a valid SIRET (Luhn)."""
    return next(digits + key for key in "0123456789" if luhn_ok(digits + key))


def valid_siret(n):
    """A valid SIRET numbered n: 13 digits from n, then its check digit."""
    return siret_with_key(f"{n:013d}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Association n°{n}")
    legal_form = "association"
    rna = factory.Sequence(lambda n: f"W44{n:07d}")
    address = "1 rue de la Solidarité"
    postal_code = "44000"
    city = "Nantes"
    departement = "44"
    employees = 3
    budget_bracket = "50000"

    class Meta:
        model = Organisation


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"contact{n}@example.org")
    email = factory.SelfAttribute("username")

    class Meta:
        model = User


def grid_2027():
    return make_grid(2027)


def make_grid(year):
    """A grid like the network's: by employees, plus a free « bienfaiteur » tier."""
    grid = FeeGrid.objects.create(year=year)
    tiers = [
        ("Sans salarié", 0, 1, 5000),
        ("1 à 9 salariés", 1, 10, 12000),
        ("10 à 49 salariés", 10, 50, 30000),
        ("50 salariés et plus", 50, None, 60000),
    ]
    for order, (label, low, high, cents) in enumerate(tiers):
        FeeTier.objects.create(
            grid=grid, label=label, order=order, basis="employees",
            minimum=low, maximum=high, amount_cents=cents,
        )  # fmt: skip
    FeeTier.objects.create(
        grid=grid, label="Membre bienfaiteur", order=9, basis="employees",
        free_amount=True, minimum_cents=20000,
    )  # fmt: skip
    return grid
