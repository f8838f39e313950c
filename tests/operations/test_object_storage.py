"""Uploaded files in object storage (S3 API), tested against moto's S3 server: images public under
S3_MEDIA_URL, receipts and documents readable only through our views, half a configuration
refused at startup, and a storage that is down costing neither a half-saved upload nor a page."""

import io
import runpy
import urllib.parse
from pathlib import Path

import pytest
import wagtail_factories
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from awards.models import Attachment
from demo.factories.awards import ApplicationFactory
from demo.factories.home import NewsPageFactory
from demo.factories.members import OrganisationFactory, UserFactory
from home.images import RENDITION_SPECS
from members.models import Receipt
from members.tasks import issue_receipt
from operations.storage_errors import is_storage_failure
from operations.storage_settings import object_storage_settings
from tests.members.test_receipts import add_contact, paid_payment, pdf_text

from .s3 import MEDIA_BUCKET, PRIVATE_BUCKET, anonymous_get, moto_server, object_storage_on

pytestmark = pytest.mark.django_db

Image = get_image_model()
Document = get_document_model()
Rendition = Image.get_rendition_model()
BASE_SETTINGS = Path(__file__).resolve().parents[2] / "config" / "settings" / "base.py"
UPLOAD_REFUSED = "votre fichier n’a pas été enregistré"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(scope="session")
def moto_endpoint():
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def object_storage(settings, monkeypatch, moto_endpoint):
    return object_storage_on(settings, monkeypatch, moto_endpoint)


def png_bytes(size=(800, 500), colour=(200, 40, 40)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


# --- Settings read from the environment ---------------------------------------------------------
def settings_with(monkeypatch, **variables):
    """config/settings/base.py run afresh with these S3_* variables (and no others)."""
    for name in (
        "S3_MEDIA_BUCKET",
        "S3_PRIVATE_BUCKET",
        "S3_MEDIA_URL",
        "S3_ENDPOINT_URL",
        "S3_REGION",
        "S3_ACCESS_KEY_ID",
        "S3_SECRET_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_SETTINGS))


FULL = {
    "S3_MEDIA_BUCKET": "ess-media",
    "S3_PRIVATE_BUCKET": "ess-private",
    "S3_REGION": "fr-par",
    "S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
    "S3_ACCESS_KEY_ID": "key",
    "S3_SECRET_ACCESS_KEY": "secret",
}


def test_without_s3_variables_files_stay_on_disk(monkeypatch):
    values = settings_with(monkeypatch)
    assert values["OBJECT_STORAGE"] is None
    assert values["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert values["STORAGES"]["private"]["BACKEND"].endswith("FileSystemStorage")
    assert values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"] == ["'self'", "data:"]
    assert values["WAGTAILDOCS_SERVE_METHOD"] == "serve_view"


def test_s3_variables_make_both_storages_buckets_and_images_allowed_from_the_cdn(monkeypatch):
    values = settings_with(monkeypatch, **FULL, S3_MEDIA_URL="https://cdn.example.org/medias/")
    storages = values["STORAGES"]
    assert storages["default"]["BACKEND"] == "operations.storage.PublicMediaStorage"
    assert storages["default"]["OPTIONS"]["bucket_name"] == "ess-media"
    assert storages["private"]["BACKEND"] == "operations.storage.PrivateStorage"
    assert storages["private"]["OPTIONS"]["bucket_name"] == "ess-private"
    # Static files are never in the buckets.
    assert storages["staticfiles"]["BACKEND"].startswith("django.contrib.staticfiles")
    assert values["MEDIA_URL"] == "https://cdn.example.org/medias/"
    img_src = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    assert img_src == ["'self'", "data:", "https://cdn.example.org"]
    assert values["WAGTAILDOCS_SERVE_METHOD"] == "serve_view"


def test_media_behind_the_sites_own_proxy_adds_no_origin(monkeypatch):
    values = settings_with(monkeypatch, **FULL, S3_MEDIA_URL="/media/")
    assert values["MEDIA_URL"] == "/media/"
    assert values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"] == ["'self'", "data:"]


def test_without_a_media_url_images_come_from_the_bucket_itself(monkeypatch):
    values = settings_with(monkeypatch, **FULL)
    assert values["MEDIA_URL"] == "https://s3.fr-par.scw.cloud/ess-media/"
    assert (
        "https://s3.fr-par.scw.cloud" in values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    )


def test_aws_credentials_are_the_fallback(monkeypatch):
    values = settings_with(
        monkeypatch,
        S3_MEDIA_BUCKET="m",
        S3_PRIVATE_BUCKET="p",
        S3_REGION="eu-west-3",
        AWS_ACCESS_KEY_ID="aws-key",
        AWS_SECRET_ACCESS_KEY="aws-secret",
    )
    options = values["STORAGES"]["private"]["OPTIONS"]
    assert (options["access_key"], options["secret_key"]) == ("aws-key", "aws-secret")
    assert values["MEDIA_URL"] == "https://m.s3.eu-west-3.amazonaws.com/"


@pytest.mark.parametrize(
    "variables, named",
    [
        ({"S3_MEDIA_BUCKET": "ess-media"}, "S3_PRIVATE_BUCKET"),
        ({"S3_ENDPOINT_URL": "http://127.0.0.1:9000"}, "S3_MEDIA_BUCKET"),
        ({**FULL, "S3_SECRET_ACCESS_KEY": ""}, "S3_SECRET_ACCESS_KEY"),
        ({**FULL, "S3_PRIVATE_BUCKET": "ess-media"}, "two different buckets"),
        ({**FULL, "S3_MEDIA_URL": "https://cdn.example.org"}, "S3_MEDIA_URL"),
        ({**FULL, "S3_ENDPOINT_URL": "s3.example.org"}, "S3_ENDPOINT_URL"),
    ],
)
def test_half_a_configuration_stops_the_site_with_a_clear_message(monkeypatch, variables, named):
    with pytest.raises(ImproperlyConfigured, match=named):
        settings_with(monkeypatch, **variables)
    with pytest.raises(ImproperlyConfigured, match=named):
        object_storage_settings(variables)


# --- Images: public, under S3_MEDIA_URL ---------------------------------------------------------
def test_an_image_uploaded_in_the_admin_lands_in_the_media_bucket_with_public_renditions(
    client, object_storage, django_capture_on_commit_callbacks
):
    superuser_client(client)
    content = png_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Atelier",
                "file": SimpleUploadedFile("atelier.png", content, content_type="image/png"),
                "collection": Collection.get_first_root_node().pk,
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get(title="Atelier")
    assert object_storage.read(MEDIA_BUCKET, image.file.name) == content

    # The renditions the templates use were made in the bucket (home/images.py), addressed
    # without any signature under S3_MEDIA_URL, and anyone can fetch them.
    rendition = image.get_rendition(RENDITION_SPECS["card"])
    assert rendition.file.name in object_storage.keys(MEDIA_BUCKET, "images/")
    assert rendition.url == object_storage.media_url + rendition.file.name
    assert "Signature" not in rendition.url and "?" not in rendition.url
    status, body = anonymous_get(rendition.url)
    assert status == 200
    assert body == object_storage.read(MEDIA_BUCKET, rendition.file.name)
    assert PillowImage.open(io.BytesIO(body)).size == (640, 360)


def test_two_images_with_the_same_name_do_not_replace_each_other(object_storage):
    first = wagtail_factories.ImageFactory(file__filename="logo.png", file__color="red")
    second = wagtail_factories.ImageFactory(file__filename="logo.png", file__color="blue")
    assert first.file.name != second.file.name
    assert object_storage.read(MEDIA_BUCKET, first.file.name) != object_storage.read(
        MEDIA_BUCKET, second.file.name
    )


def test_images_behind_the_sites_proxy_are_addressed_under_media(object_storage):
    """`make prod`: S3_MEDIA_URL=/media/, the reverse proxy forwards /media/… to the bucket."""
    object_storage.use(media_url="/media/")
    image = wagtail_factories.ImageFactory()
    rendition = image.get_rendition(RENDITION_SPECS["content"])
    assert rendition.url == f"/media/{rendition.file.name}"
    # What the proxy asks the bucket for, anonymously:
    proxied = object_storage.object_url(MEDIA_BUCKET, rendition.url.removeprefix("/media/"))
    status, body = anonymous_get(proxied)
    assert status == 200
    assert body == object_storage.read(MEDIA_BUCKET, rendition.file.name)


# --- Private files: receipts ------------------------------------------------------------------
def test_a_receipt_is_kept_in_the_private_bucket_and_streamed_to_its_member_only(
    client, object_storage
):
    payment = paid_payment()
    issue_receipt.enqueue(payment.pk)
    receipt = Receipt.objects.get(payment=payment)
    assert receipt.pdf.name in object_storage.keys(PRIVATE_BUCKET, "receipts/")
    assert receipt.pdf.name not in object_storage.keys(MEDIA_BUCKET)
    stored = object_storage.read(PRIVATE_BUCKET, receipt.pdf.name)

    contact = add_contact(payment.membership.organisation)
    client.force_login(contact.user)
    response = client.get(reverse("members:receipt", args=[receipt.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content == stored
    assert receipt.number in pdf_text(content)

    stranger = add_contact(OrganisationFactory())
    client.force_login(stranger.user)
    assert client.get(reverse("members:receipt", args=[receipt.pk])).status_code == 404

    # The bucket itself answers no one without the site's credentials.
    status, body = anonymous_get(object_storage.object_url(PRIVATE_BUCKET, receipt.pdf.name))
    assert status == 403 and body != stored


def test_an_address_of_a_private_file_is_signed_and_lasts_one_minute(object_storage):
    payment = paid_payment()
    issue_receipt.enqueue(payment.pk)
    receipt = Receipt.objects.get(payment=payment)
    url = receipt.pdf.url
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
    assert anonymous_get(url) == (200, object_storage.read(PRIVATE_BUCKET, receipt.pdf.name))


# --- Documents: through Wagtail's view ----------------------------------------------------------
def test_a_document_is_served_through_wagtails_view_and_its_privacy_applies(client, object_storage):
    document = wagtail_factories.DocumentFactory(
        title="Statuts", file=SimpleUploadedFile("statuts.pdf", PDF)
    )
    assert object_storage.read(MEDIA_BUCKET, document.file.name) == PDF
    response = client.get(document.url)
    assert response.status_code == 200  # served, not redirected to the bucket
    assert b"".join(response.streaming_content) == PDF
    # The bucket gives documents to no one directly: the view is the only way in.
    assert anonymous_get(object_storage.object_url(MEDIA_BUCKET, document.file.name))[0] == 403

    private = Collection.get_first_root_node().add_child(name="Réservé aux adhérents")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document.collection = private
    document.save()
    response = client.get(document.url)
    # To the login page, not to the file.
    assert response.status_code == 302
    assert response["Location"].startswith(django_settings.WAGTAIL_FRONTEND_LOGIN_URL)


# --- The storage is down ------------------------------------------------------------------------
def assert_refused_upload(response):
    assert response.status_code == 503
    assert response["Retry-After"]
    page = response.content.decode()
    assert UPLOAD_REFUSED in page
    assert "Stockage des fichiers indisponible" in page


def test_an_image_upload_with_the_storage_down_is_refused_in_french_and_leaves_no_row(
    client, object_storage
):
    superuser_client(client)
    object_storage.go_down()
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Perdue",
            "file": SimpleUploadedFile("perdue.png", png_bytes(), content_type="image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert_refused_upload(response)
    assert not Image.objects.filter(title="Perdue").exists()


# Django marks the surrounding transaction for rollback when a save fails; a request has none
# in production (no ATOMIC_REQUESTS), so this one runs outside the test's transaction too.
@pytest.mark.django_db(transaction=True)
def test_wagtails_multiple_uploader_gets_the_message_as_json(client, object_storage):
    superuser_client(client)
    object_storage.go_down()
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {
            "files[]": SimpleUploadedFile("lot.png", png_bytes(), content_type="image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 503
    assert response.json()["success"] is False
    assert UPLOAD_REFUSED in response.json()["error_message"]
    assert not Image.objects.exists()


def test_a_document_upload_with_the_storage_down_leaves_no_row(client, object_storage):
    superuser_client(client)
    object_storage.go_down()
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Rapport",
            "file": SimpleUploadedFile("rapport.pdf", PDF, content_type="application/pdf"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert_refused_upload(response)
    assert not Document.objects.exists()


def test_an_award_attachment_with_the_storage_down_leaves_no_row(client, object_storage):
    application = ApplicationFactory()
    client.force_login(application.created_by)
    object_storage.go_down()
    response = client.post(
        reverse("awards:application_step", args=[application.pk, 3]),
        {
            "file": SimpleUploadedFile("convention.pdf", PDF, content_type="application/pdf"),
            "description": "Convention",
            "draft": "1",
        },
    )
    assert_refused_upload(response)
    assert not Attachment.objects.exists()


def test_a_receipt_download_with_the_storage_down_says_to_try_again(client, object_storage):
    payment = paid_payment()
    issue_receipt.enqueue(payment.pk)
    receipt = Receipt.objects.get(payment=payment)
    contact = add_contact(payment.membership.organisation)
    client.force_login(contact.user)
    object_storage.go_down()
    response = client.get(reverse("members:receipt", args=[receipt.pk]))
    assert response.status_code == 503
    assert "ce fichier ne peut pas être lu" in response.content.decode()


def test_pages_with_images_render_while_the_storage_is_down(
    client, site_tree, object_storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        shown = wagtail_factories.ImageFactory(title="Rendue")
        news = NewsPageFactory(parent=site_tree["news_index"], image=shown, image_alt="Un atelier")
        news.save_revision().publish()
    card = shown.get_rendition(RENDITION_SPECS["content"])
    # An image whose renditions were never made (or were lost) while the storage is down.
    unmade = wagtail_factories.ImageFactory(title="Jamais rendue")
    Rendition.objects.filter(image=unmade).delete()
    other = NewsPageFactory(parent=site_tree["news_index"], image=unmade, image_alt="Une réunion")
    with django_capture_on_commit_callbacks(execute=True):
        other.save_revision().publish()
    Rendition.objects.filter(image=unmade).delete()

    object_storage.go_down()
    response = client.get(news.url)
    assert response.status_code == 200
    # An existing rendition needs only its address, which the database gives.
    assert card.url in response.content.decode()
    response = client.get(other.url)
    assert response.status_code == 200
    assert 'alt="Une réunion"' in response.content.decode()
    assert client.get("/actualites/").status_code == 200


def test_only_the_storages_failures_become_the_storage_page():
    from botocore.exceptions import EndpointConnectionError

    assert is_storage_failure(EndpointConnectionError(endpoint_url="http://127.0.0.1:9"))
    assert is_storage_failure(OSError(28, "No space left on device"))
    # An SMTP server that is down is no storage failure: Django's own error handling answers.
    assert not is_storage_failure(ConnectionRefusedError("SMTP server unreachable"))
    assert not is_storage_failure(ValueError("a bug"))
