"""The people of the portal's tests, beside Alice and Les Jardins Partagés (tests/members/
conftest.py): Alice signed in as `member` (here her client, not the pending membership of the
parent conftest), and Bob, treasurer of Atelier Vélo, another organisation."""

import pytest

from demo.factories.members import OrganisationFactory, UserFactory
from members.models import Contact


@pytest.fixture
def bob():
    """An account of another organisation's contact."""
    user = UserFactory(email="bob@velo.example.org", first_name="Bob", last_name="Durand")
    organisation = OrganisationFactory(name="Atelier Vélo", rna="W442000002")
    Contact.objects.create(organisation=organisation, user=user, role="treasurer", is_primary=True)
    return user


@pytest.fixture
def velo(bob):
    return bob.member_contacts.get().organisation


@pytest.fixture
def member(client, alice):
    """Alice, signed in."""
    client.force_login(alice)
    return client
