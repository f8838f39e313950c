"""The register in Wagtail's admin: who may read it, and its CSV and PDF exports."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pypdf import PdfReader

from demo.factories.awards import make_user
from privacy.register import processings

pytestmark = pytest.mark.django_db


@pytest.fixture
def referent(site_tree):
    """A staff member with admin access and the register's permission, nothing else."""
    user = make_user("referent", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_register"),
    )
    return user


def test_the_register_lists_every_processing_for_those_allowed(client, referent):
    client.force_login(referent)
    page = client.get(reverse("privacy_admin:register"))
    assert page.status_code == 200
    text = page.content.decode()
    for item in processings():
        assert str(item.name) in text
        assert str(item.retention) in text
    assert reverse("privacy_admin:register_pdf") in text


def test_staff_without_the_permission_are_refused_and_see_no_menu_item(client, site_tree):
    editor = make_user("editor", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    for name in ("register", "register_csv", "register_pdf"):
        response = client.get(reverse(f"privacy_admin:{name}"))
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("privacy_admin:register") not in dashboard


def test_the_menu_item_is_shown_to_the_referent(client, referent):
    client.force_login(referent)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("privacy_admin:register") in dashboard


def test_the_csv_has_the_article_30_columns_and_one_row_per_processing(client, referent):
    from privacy.models import LegalSettings

    legal = LegalSettings.load()
    legal.host_name = "=Hébergeur"  # a name that would run as a formula
    legal.save()
    client.force_login(referent)
    response = client.get(reverse("privacy_admin:register_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "registre-des-traitements-" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0] == [
        "Traitement",
        "Finalité",
        "Base légale",
        "Personnes concernées",
        "Catégories de données",
        "Destinataires",
        "Sous-traitants",
        "Transferts hors de l’Union européenne",
        "Durée de conservation",
        "Mesures de sécurité",
    ]
    assert [row[0] for row in rows[1:]] == [str(item.name) for item in processings()]
    hosted = [row for row in rows[1:] if "Hébergeur du site" in row[6]]
    assert hosted, "the host is a processor of at least one processing"
    assert all("Hébergeur du site : =Hébergeur" in row[6] for row in hosted)
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_the_pdf_is_a_real_document_naming_every_processing(client, referent):
    client.force_login(referent)
    response = client.get(reverse("privacy_admin:register_pdf"))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Registre des activités de traitement" in text
    for item in processings():
        assert str(item.name)[:30] in " ".join(text.split())
