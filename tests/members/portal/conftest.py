"""The people of the portal's tests: Alice, president of Les Jardins Partagés, signed in as
`member` (here it is Alice's client, not the pending membership of tests/members/conftest.py);
Bob, treasurer of Atelier Vélo, another organisation."""

import pytest

from demo.factories.members import OrganisationFactory, UserFactory
from members.models import Contact


@pytest.fixture
def alice():
    user = UserFactory(
        email="alice@jardins.example.org", first_name="Alice", last_name="Martin", username="alice"
    )
    organisation = OrganisationFactory(name="Les Jardins Partagés", rna="W442000001")
    Contact.objects.create(organisation=organisation, user=user, role="president", is_primary=True)
    return user


@pytest.fixture
def jardins(alice):
    return alice.member_contacts.get().organisation


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
