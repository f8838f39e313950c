"""The member portal: a contact edits their organisation's details and its contacts, and only
their own organisation's."""

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from members.models import Contact, Sector

from .factories import OrganisationFactory, UserFactory, valid_siret

pytestmark = pytest.mark.django_db


@pytest.fixture
def velo():
    bob = UserFactory(email="bob@velo.example.org")
    organisation = OrganisationFactory(name="Atelier Vélo", rna="W442000002")
    Contact.objects.create(organisation=organisation, user=bob, role="treasurer", is_primary=True)
    return organisation


@pytest.fixture
def member(client, alice):
    client.force_login(alice)
    return client


def edit_data(organisation, **changes):
    data = {
        "name": organisation.name,
        "legal_form": organisation.legal_form,
        "rna": organisation.rna,
        "siret": organisation.siret,
        "address": organisation.address,
        "postal_code": organisation.postal_code,
        "city": organisation.city,
        "departement": organisation.departement,
        "employees": organisation.employees,
        "volunteers": organisation.volunteers,
        "budget_bracket": organisation.budget_bracket,
    }
    data.update(changes)
    return data


# --- The organisation's details ----------------------------------------------------------------


def test_the_edit_page_shows_the_current_details(member, jardins):
    response = member.get(reverse("members:organisation_edit", args=[jardins.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Les Jardins Partagés"' in html
    assert 'value="W442000001"' in html
    assert "no-cache" in response["Cache-Control"]


def test_saving_the_details_says_so_and_returns_to_the_organisation(member, jardins):
    sector = Sector.objects.create(name="Alimentation durable", slug="alimentation")
    siret = valid_siret(42)
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    data = edit_data(
        jardins,
        name="Jardins Partagés de Nantes",
        siret=spaced,
        departement="2a",
        postal_code="20000",
        sectors=[sector.pk],
        volunteers=25,
    )
    response = member.post(reverse("members:organisation_edit", args=[jardins.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:organisation", args=[jardins.pk])
    jardins.refresh_from_db()
    assert jardins.name == "Jardins Partagés de Nantes"
    assert jardins.siret == siret  # stored without the spaces
    assert jardins.departement == "2A"
    assert jardins.volunteers == 25
    assert list(jardins.sectors.all()) == [sector]
    page = member.get(response["Location"]).content.decode()
    assert "Les informations de l’organisation sont enregistrées." in page
    assert "Alimentation durable" in page


def test_an_invalid_siret_is_explained_in_french_and_what_was_typed_is_kept(member, jardins):
    url = reverse("members:organisation_edit", args=[jardins.pk])
    data = edit_data(jardins, name="Nouveau nom tapé", siret="12345678901234", city="Rezé")
    response = member.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce numéro SIRET n’existe pas : vérifiez les chiffres (clé de contrôle)." in html
    assert 'value="12345678901234"' in html
    assert 'value="Nouveau nom tapé"' in html
    assert 'value="Rezé"' in html
    assert "Rien n’a été enregistré" in html
    assert 'aria-invalid="true"' in html
    # The page still names the organisation as it is saved.
    assert "<title>Modifier : Les Jardins Partagés" in html

    short = member.post(url, edit_data(jardins, siret="123")).content.decode()
    assert "Un numéro SIRET compte 14 chiffres." in short
    jardins.refresh_from_db()
    assert (jardins.name, jardins.siret) == ("Les Jardins Partagés", "")


def test_another_organisations_number_is_refused_on_its_field(member, jardins, velo):
    url = reverse("members:organisation_edit", args=[jardins.pk])
    response = member.post(url, edit_data(jardins, rna="w44 2000 002"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["rna"] == ["Une organisation porte déjà ce numéro RNA."]
    assert not form.non_field_errors()

    velo.siret = valid_siret(7)
    velo.save()
    response = member.post(url, edit_data(jardins, siret=velo.siret))
    assert response.context["form"].errors["siret"] == ["Une organisation porte déjà ce SIRET."]


def test_rna_or_siret_is_required(member, jardins):
    url = reverse("members:organisation_edit", args=[jardins.pk])
    response = member.post(url, edit_data(jardins, rna="", siret=""))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Indiquez un numéro RNA ou un SIRET."]
    assert "Indiquez un numéro RNA ou un SIRET." in response.content.decode()
    jardins.refresh_from_db()
    assert jardins.rna == "W442000001"


def test_a_bad_postal_code_and_departement_are_explained(member, jardins):
    url = reverse("members:organisation_edit", args=[jardins.pk])
    response = member.post(url, edit_data(jardins, postal_code="44 0", departement="99"))
    html = response.content.decode()
    assert "Un code postal compte 5 chiffres." in html
    assert "Indiquez un numéro de département : 44, 2A, 974…" in html


# --- Nobody sees an organisation but their own -------------------------------------------------


def other_urls(organisation):
    pk = organisation.pk
    contact = organisation.contacts.get().pk
    return {
        "get": [
            reverse("members:organisation", args=[pk]),
            reverse("members:organisation_edit", args=[pk]),
            reverse("members:contacts", args=[pk]),
            reverse("members:export_json", args=[pk]),
            reverse("members:export_csv", args=[pk]),
        ],
        "post": [
            reverse("members:organisation_edit", args=[pk]),
            reverse("members:contact_update_self", args=[pk]),
            reverse("members:contact_add", args=[pk]),
            reverse("members:contact_remove", args=[pk, contact]),
        ],
    }


def test_another_organisation_answers_404_everywhere(member, velo):
    urls = other_urls(velo)
    for url in urls["get"]:
        assert member.get(url).status_code == 404, url
    for url in urls["post"]:
        response = member.post(url, edit_data(velo, email="eve@example.org", role="other"))
        assert response.status_code == 404, url
    velo.refresh_from_db()
    assert velo.name == "Atelier Vélo"
    assert velo.contacts.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(client, velo):
    urls = other_urls(velo)
    for url in urls["get"] + urls["post"]:
        response = client.post(url) if url in urls["post"] else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/espace-membre/connexion/"), url


def test_a_contact_of_ones_own_organisation_cannot_be_reached_through_another(
    member, jardins, velo
):
    """A contact id of another organisation, under one's own organisation's address: 404."""
    bob_contact = velo.contacts.get()
    url = reverse("members:contact_remove", args=[jardins.pk, bob_contact.pk])
    assert member.post(url).status_code == 404
    assert Contact.objects.filter(pk=bob_contact.pk).exists()


def test_changes_need_a_csrf_token(alice, jardins):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = reverse("members:organisation_edit", args=[jardins.pk])
    assert client.post(url, edit_data(jardins, name="Sans jeton")).status_code == 403
    add = reverse("members:contact_add", args=[jardins.pk])
    assert client.post(add, {"new-email": "x@example.org", "new-role": "other"}).status_code == 403


def test_contact_changes_are_post_only(member, jardins):
    me = jardins.contacts.get()
    for url in (
        reverse("members:contact_update_self", args=[jardins.pk]),
        reverse("members:contact_add", args=[jardins.pk]),
        reverse("members:contact_remove", args=[jardins.pk, me.pk]),
    ):
        assert member.get(url).status_code == 405, url


# --- Contacts ----------------------------------------------------------------------------------


def test_the_contacts_page_lists_the_organisations_contacts(member, jardins, velo):
    colleague = UserFactory(email="chloe@jardins.example.org", first_name="Chloé")
    Contact.objects.create(organisation=jardins, user=colleague, role="treasurer", phone="0240")
    html = member.get(reverse("members:contacts", args=[jardins.pk])).content.decode()
    assert "Alice Martin" in html and "chloe@jardins.example.org" in html
    assert "Trésorier·ère" in html
    assert "bob@velo.example.org" not in html


def test_a_contact_updates_their_own_details(member, alice, jardins):
    url = reverse("members:contact_update_self", args=[jardins.pk])
    data = {
        "me-first_name": "Alix",
        "me-last_name": "Martin-Durand",
        "me-role": "secretary",
        "me-phone": "+33 2 40 12 34 56",
    }
    response = member.post(url, data)
    assert response.status_code == 302
    alice.refresh_from_db()
    contact = jardins.contacts.get()
    assert (alice.first_name, alice.last_name) == ("Alix", "Martin-Durand")
    assert (contact.role, contact.phone) == ("secretary", "+33 2 40 12 34 56")
    page = member.get(response["Location"]).content.decode()
    assert "Vos coordonnées sont enregistrées." in page


def test_a_wrong_phone_number_is_explained_and_kept(member, alice, jardins):
    url = reverse("members:contact_update_self", args=[jardins.pk])
    data = {"me-first_name": "Alix", "me-last_name": "", "me-role": "secretary", "me-phone": "abc"}
    response = member.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Indiquez un numéro de téléphone" in html
    assert "Champ requis." in html
    assert 'value="abc"' in html and 'value="Alix"' in html
    alice.refresh_from_db()
    assert alice.first_name == "Alice"


def _link_in(message):
    return re.search(r"https?://[^/\s]+(/espace-membre/invitation/\S+/)", message.body).group(1)


def test_adding_a_new_person_invites_them_to_make_their_account(
    member, jardins, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("members:contact_add", args=[jardins.pk])
    data = {
        "new-email": "Chloe@Jardins.example.org",
        "new-first_name": "Chloé",
        "new-last_name": "Bernard",
        "new-role": "treasurer",
        "new-phone": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(url, data)
    assert response.status_code == 302
    # Nothing is made before the person accepts: no account, no contact (an address with an
    # account would not show here either: the page says the same for both).
    assert not User.objects.filter(email__iexact="chloe@jardins.example.org").exists()
    assert jardins.contacts.count() == 1
    [message] = mailoutbox
    assert message.to == ["Chloe@jardins.example.org"]
    assert "Les Jardins Partagés" in message.subject
    assert "Alice Martin vous invite à devenir contact" in message.body
    assert "vous y choisirez le mot de passe" in message.body
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Une invitation a été envoyée à Chloe@jardins.example.org."
    ]

    # The link lets them choose a password, makes them a contact and logs them in.
    invited = Client()
    secret = "jardin-de-chloe-2027"
    done = invited.post(
        _link_in(message),
        {"first_name": "Chloé", "last_name": "Bernard", "password1": secret, "password2": secret},
    )
    assert done["Location"] == reverse("members:organisation", args=[jardins.pk])
    user = User.objects.get(email__iexact="chloe@jardins.example.org")
    assert user.username == user.email and user.check_password(secret)
    contact = jardins.contacts.get(user=user)
    assert (contact.role, contact.is_primary) == ("treasurer", False)
    portal = invited.get("/espace-membre/").content.decode()
    assert "Les Jardins Partagés" in portal


def test_adding_someone_already_there_is_refused_and_keeps_the_input(member, jardins, mailoutbox):
    url = reverse("members:contact_add", args=[jardins.pk])
    data = {"new-email": "ALICE@jardins.example.org", "new-first_name": "A", "new-role": "other"}
    response = member.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cette personne est déjà contact de l’organisation." in html
    assert 'value="ALICE@jardins.example.org"' in html
    assert jardins.contacts.count() == 1
    assert mailoutbox == []


def test_an_invalid_email_is_explained(member, jardins):
    url = reverse("members:contact_add", args=[jardins.pk])
    response = member.post(url, {"new-email": "pas-une-adresse", "new-role": "other"})
    assert (
        "Saisissez une adresse e-mail valide, par ex. nom@exemple.org." in response.content.decode()
    )


def test_the_last_contact_cannot_be_removed(member, jardins):
    me = jardins.contacts.get()
    html = member.get(reverse("members:contacts", args=[jardins.pk])).content.decode()
    assert reverse("members:contact_remove", args=[jardins.pk, me.pk]) not in html
    response = member.post(reverse("members:contact_remove", args=[jardins.pk, me.pk]))
    assert response.status_code == 302
    assert Contact.objects.filter(pk=me.pk).exists()
    page = member.get(response["Location"]).content.decode()
    assert "Une organisation garde au moins un contact" in page


def test_a_contact_removes_another(member, jardins):
    colleague = UserFactory(email="chloe@jardins.example.org", first_name="Chloé")
    other = Contact.objects.create(organisation=jardins, user=colleague, role="treasurer")
    response = member.post(reverse("members:contact_remove", args=[jardins.pk, other.pk]))
    assert response["Location"] == reverse("members:contacts", args=[jardins.pk])
    assert not Contact.objects.filter(pk=other.pk).exists()
    assert User.objects.filter(pk=colleague.pk).exists()  # the account stays
    assert (
        "n’est plus contact de l’organisation" in member.get(response["Location"]).content.decode()
    )


def test_a_contact_leaves_and_the_next_becomes_primary(member, jardins):
    me = jardins.contacts.get()
    colleague = UserFactory(email="chloe@jardins.example.org")
    other = Contact.objects.create(organisation=jardins, user=colleague, role="treasurer")
    response = member.post(reverse("members:contact_remove", args=[jardins.pk, me.pk]))
    assert response["Location"] == reverse("members:portal")
    assert not Contact.objects.filter(pk=me.pk).exists()
    other.refresh_from_db()
    assert other.is_primary
    assert member.get(reverse("members:organisation", args=[jardins.pk])).status_code == 404


def test_contacts_page_query_budget(member, jardins, django_assert_max_num_queries):
    for n in range(4):
        Contact.objects.create(
            organisation=jardins, user=UserFactory(email=f"c{n}@example.org"), role="other"
        )
    url = reverse("members:contacts", args=[jardins.pk])
    member.get(url)
    with django_assert_max_num_queries(8):
        assert member.get(url).status_code == 200
