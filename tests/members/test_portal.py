"""The member portal: login by e-mail, and nobody sees an organisation but their own."""

import pytest
from django.urls import reverse

from members.models import Contact
from members.services import start_membership

from .factories import OrganisationFactory, UserFactory, grid_2027

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide-42"


@pytest.fixture
def alice():
    user = UserFactory(email="alice@jardins.example.org", username="alice")
    user.set_password(PASSWORD)
    user.save()
    organisation = OrganisationFactory(name="Les Jardins Partagés")
    Contact.objects.create(organisation=organisation, user=user, role="president")
    start_membership(organisation, grid_2027())
    return user


@pytest.fixture
def other_organisation():
    bob = UserFactory(email="bob@velo.example.org")
    organisation = OrganisationFactory(name="Atelier Vélo")
    Contact.objects.create(organisation=organisation, user=bob, role="treasurer")
    return organisation


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/espace-membre/")
    assert response.status_code == 302
    assert response["Location"].startswith("/espace-membre/connexion/")


def test_login_with_the_email_whatever_its_case(client, alice):
    response = client.post(
        "/espace-membre/connexion/",
        {"username": "Alice@Jardins.Example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/espace-membre/"
    portal = client.get("/espace-membre/")
    html = portal.content.decode()
    assert "Les Jardins Partagés" in html
    assert "Adhésion 2027 : En attente de paiement" in html
    assert "120\u00a0€" in html


def test_a_wrong_password_says_so_in_french_and_keeps_the_email(client, alice):
    response = client.post(
        "/espace-membre/connexion/",
        {"username": "alice@jardins.example.org", "password": "faux"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect" in html
    assert 'value="alice@jardins.example.org"' in html


def test_a_member_sees_only_their_own_organisation(client, alice, other_organisation):
    client.force_login(alice)
    portal = client.get("/espace-membre/").content.decode()
    assert "Les Jardins Partagés" in portal
    assert "Atelier Vélo" not in portal
    own = alice.member_contacts.get().organisation
    assert client.get(reverse("members:organisation", args=[own.pk])).status_code == 200
    other = client.get(reverse("members:organisation", args=[other_organisation.pk]))
    assert other.status_code == 404
    assert "Atelier Vélo" not in other.content.decode()


def test_portal_pages_are_never_cached(client, alice):
    client.force_login(alice)
    response = client.get("/espace-membre/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_portal_query_budget(client, alice, django_assert_max_num_queries):
    client.force_login(alice)
    client.get("/espace-membre/")
    with django_assert_max_num_queries(10):
        assert client.get("/espace-membre/").status_code == 200
