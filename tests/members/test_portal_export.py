"""The export of an organisation's own data: JSON for machines, CSV for a spreadsheet."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.factories.members import OrganisationFactory, UserFactory, grid_2027
from members.models import Contact, Membership, Payment, Receipt
from members.services import start_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def jardins():
    alice = UserFactory(email="alice@jardins.example.org", first_name="Alice", last_name="Martin")
    organisation = OrganisationFactory(name="Les Jardins Partagés", rna="W442000001")
    Contact.objects.create(
        organisation=organisation, user=alice, role="treasurer", phone="+33 2 40 00 00 00"
    )
    membership = start_membership(organisation, grid_2027())
    payment = Payment.objects.create(
        membership=membership,
        method="transfer",
        amount_cents=12050,
        reference="ADH-2027-00001-ABC",
        status="succeeded",
        received_at=timezone.now(),
    )
    Payment.objects.create(
        membership=membership, method="card", amount_cents=12000, reference="ADH-CARTE"
    )
    Receipt.objects.create(payment=payment, year=2027, sequence=1, number="2027-0001")
    Membership.objects.filter(pk=membership.pk).update(status="active")
    return organisation


@pytest.fixture
def member(client, jardins):
    client.force_login(jardins.contacts.get().user)
    return client


def test_the_json_export_has_the_organisations_own_data(member, jardins):
    response = member.get(reverse("members:export_json", args=[jardins.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="les-jardins-partages-')
    assert "no-cache" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["organisation"]["name"] == "Les Jardins Partagés"
    assert data["organisation"]["rna"] == "W442000001"
    assert data["organisation"]["legal_form_label"] == "Association loi 1901"
    [contact] = data["contacts"]
    assert contact == {
        "first_name": "Alice",
        "last_name": "Martin",
        "email": "alice@jardins.example.org",
        "role": "treasurer",
        "role_label": "Trésorier·ère",
        "phone": "+33 2 40 00 00 00",
        "is_primary": False,
    }
    [membership] = data["memberships"]
    assert (membership["year"], membership["tier"], membership["amount_cents"]) == (
        2027,
        "1 à 9 salariés",
        12000,
    )
    assert membership["status"] == "active"
    assert membership["period_start"] == "2027-01-01"
    paid, pending = membership["payments"]
    assert paid["reference"] == "ADH-2027-00001-ABC"
    assert paid["method"] == "transfer" and paid["status"] == "succeeded"
    assert paid["received_at"]
    assert paid["receipt"]["number"] == "2027-0001"
    assert pending["receipt"] is None and pending["received_at"] is None


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the byte order mark
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_csv_export_opens_in_a_french_spreadsheet(member, jardins):
    response = member.get(reverse("members:export_csv", args=[jardins.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.csv"')
    rows = read_csv(response)
    assert rows[0] == ["Organisation"]
    assert ["Nom", "Les Jardins Partagés"] in rows
    assert ["Numéro RNA", "W442000001"] in rows
    assert ["Prénom", "Nom", "Adresse e-mail", "Fonction", "Téléphone", "Contact principal"] in rows
    # A phone number starting with + would be a formula: it is quoted.
    alice = ["Alice", "Martin", "alice@jardins.example.org", "Trésorier·ère"]
    assert [*alice, "'+33 2 40 00 00 00", "non"] in rows
    assert ["Adhésions"] in rows and ["Paiements"] in rows
    memberships = rows[rows.index(["Adhésions"]) + 2]
    assert memberships[:6] == [
        "2027",
        "2027-01-01",
        "2027-12-31",
        "1 à 9 salariés",
        "120,00",
        "Active",
    ]
    payments_at = rows.index(["Paiements"])
    payments = rows[payments_at + 2 : payments_at + 4]
    transfer = next(row for row in payments if row[4] == "ADH-2027-00001-ABC")
    assert transfer[:4] == ["2027", "Virement", "120,50", "Reçu"]
    assert transfer[6] == "2027-0001"
    card = next(row for row in payments if row[4] == "ADH-CARTE")
    assert card[1:4] == ["Carte bancaire", "120,00", "En attente"] and card[5:] == ["", ""]


def test_csv_cells_are_never_formulas(member, jardins):
    jardins.name = '=HYPERLINK("http://example.org")'
    jardins.save()
    rows = read_csv(member.get(reverse("members:export_csv", args=[jardins.pk])))
    assert ["Nom", '\'=HYPERLINK("http://example.org")'] in rows


def test_another_organisations_data_is_not_exported(member):
    bob = UserFactory(email="bob@velo.example.org")
    velo = OrganisationFactory(name="Atelier Vélo")
    Contact.objects.create(organisation=velo, user=bob, role="president")
    for name in ("members:export_json", "members:export_csv"):
        assert member.get(reverse(name, args=[velo.pk])).status_code == 404


def test_export_query_budget(member, jardins, django_assert_max_num_queries):
    url = reverse("members:export_csv", args=[jardins.pk])
    member.get(url)
    with django_assert_max_num_queries(9):
        assert member.get(url).status_code == 200


def test_the_organisation_page_links_to_both_exports(member, jardins):
    html = member.get(reverse("members:organisation", args=[jardins.pk])).content.decode()
    assert reverse("members:export_csv", args=[jardins.pk]) in html
    assert reverse("members:export_json", args=[jardins.pk]) in html
