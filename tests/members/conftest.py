import pytest


@pytest.fixture
def member(client):
    """A pending 2027 membership at 300 € (10 to 49 employees) of « Les Jardins Partagés », its
    treasurer (alice@jardins.example.org) logged in. Test modules may define their own."""
    from demo.factories.members import OrganisationFactory, UserFactory, grid_2027
    from members.models import Contact
    from members.services import start_membership

    user = UserFactory(email="alice@jardins.example.org")
    organisation = OrganisationFactory(name="Les Jardins Partagés", employees=12)
    Contact.objects.create(organisation=organisation, user=user, role="treasurer", is_primary=True)
    client.force_login(user)
    return start_membership(organisation, grid_2027())


@pytest.fixture
def alice():
    """Alice Martin, president and primary contact of « Les Jardins Partagés » (no membership).
    Test modules may define their own."""
    from demo.factories.members import OrganisationFactory, UserFactory
    from members.models import Contact

    user = UserFactory(
        email="alice@jardins.example.org", first_name="Alice", last_name="Martin", username="alice"
    )
    organisation = OrganisationFactory(name="Les Jardins Partagés", rna="W442000001")
    Contact.objects.create(organisation=organisation, user=user, role="president", is_primary=True)
    return user


@pytest.fixture
def jardins(alice):
    """Alice's organisation."""
    return alice.member_contacts.get().organisation
