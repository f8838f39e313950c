"""The security headers on every kind of response: HTML pages, JSON, PDF, CSV, 404 and 500.
Personal documents are never kept by a cache, and downloads are attachments."""

import pytest
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone

from config import urls as site_urls
from demo.factories.members import OrganisationFactory, UserFactory, grid_2027
from members.models import Contact, Membership, Payment
from members.receipts import issue_receipt_for
from members.services import start_membership

pytestmark = pytest.mark.django_db


def assert_common(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def assert_html(response):
    assert_common(response)
    assert response["Content-Type"].startswith("text/html")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp


def assert_private(response):
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


@pytest.fixture
def member():
    user = UserFactory(email="alice@jardins.example.org")
    organisation = OrganisationFactory(name="Les Jardins Partagés")
    Contact.objects.create(organisation=organisation, user=user, role="treasurer")
    membership = start_membership(organisation, grid_2027())
    payment = Payment.objects.create(
        membership=membership,
        method="transfer",
        amount_cents=membership.amount_cents,
        reference="ADH-TEST",
        status="succeeded",
        received_at=timezone.now(),
    )
    Membership.objects.filter(pk=membership.pk).update(status="active")
    receipt = issue_receipt_for(payment)
    client = Client()
    client.force_login(user)
    return client, organisation, membership, receipt


def test_html_page(client, site_tree):
    assert_html(client.get("/"))


def test_html_portal_page_is_private(site_tree, member):
    client, organisation, *_ = member
    response = client.get(reverse("members:organisation", args=[organisation.pk]))
    assert_html(response)
    assert_private(response)


def test_json(site_tree, member):
    client, _, membership, _ = member
    response = client.get(reverse("members:payment_status", args=[membership.pk]))
    assert response["Content-Type"] == "application/json"
    assert_common(response)
    assert_private(response)


def test_public_json(client, site_tree):
    response = client.get("/recherche/autocomplete/", {"q": "jard"})
    assert response["Content-Type"].startswith("application/json")
    assert_common(response)


def test_pdf(site_tree, member):
    client, _, _, receipt = member
    response = client.get(reverse("members:receipt", args=[receipt.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert_common(response)
    assert_private(response)


def test_csv(site_tree, member):
    client, organisation, *_ = member
    response = client.get(reverse("members:export_csv", args=[organisation.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert_common(response)
    assert_private(response)


def test_404(client, site_tree):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert_html(response)


def _broken(request):
    raise RuntimeError("panne simulée")


# This module is also the URLconf of test_500: the site's, plus one view that breaks (the only
# way to get a 500 on purpose).
urlpatterns = [path("panne/", _broken), *site_urls.urlpatterns]
handler500 = site_urls.handler500


@pytest.mark.urls(__name__)
def test_500(site_tree):
    client = Client(raise_request_exception=False)
    response = client.get("/panne/")
    assert response.status_code == 500
    assert_html(response)
    assert "panne simulée" not in response.content.decode()
