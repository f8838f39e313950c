"""Attachments: PDF and images only (checked by content), within the size and count limits,
stored privately and served only to the applicant, staff allowed to, and assigned jurors."""

import os
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.attachments import MAX_ATTACHMENTS, add_attachment
from awards.models import Attachment, JuryAssignment
from demo.factories.awards import ApplicationFactory, JurorFactory, JuryAssignmentFactory, member
from demo.factories.members import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(client, application, name, content, content_type="application/pdf", **extra):
    return client.post(
        reverse("awards:application_step", args=[application.pk, 3]),
        {
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "description": "Convention",
            "draft": "1",
            **extra,
        },
    )


@pytest.fixture
def application(client):
    application = ApplicationFactory()
    client.force_login(application.created_by)
    return application


def test_a_pdf_is_stored_privately_and_served_to_its_applicant(client, application):
    response = upload(client, application, "convention.pdf", PDF)
    assert response["Location"] == reverse("awards:application_step", args=[application.pk, 3])
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "convention.pdf"
    assert attachment.size == len(PDF)
    assert "private" in attachment.file.path and "/media/" not in attachment.file.path

    download = client.get(reverse("awards:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF


def test_an_image_is_accepted_whatever_the_browser_says(client, application):
    upload(client, application, "photo.png", PNG, content_type="application/octet-stream")
    assert Attachment.objects.get().content_type == "image/png"


def test_an_html_file_renamed_pdf_is_refused(client, application):
    response = upload(client, application, "convention.pdf", HTML)
    assert response.status_code == 200
    html = response.content.decode()
    assert "n’est ni un PDF ni une image PNG ou JPEG" in html
    assert not Attachment.objects.exists()


def test_an_oversize_file_is_refused_with_a_clear_message(client, application, settings):
    settings.AWARD_ATTACHMENT_MAX_BYTES = 1024
    response = upload(client, application, "gros.pdf", PDF + b"0" * 2048)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(
        r"Ce fichier pèse [^:]+ : la limite est de 1[,.]0\s*K\w+ par pièce jointe", html
    )
    assert not Attachment.objects.exists()


def test_no_more_than_the_maximum_number_of_files(client, application):
    for n in range(MAX_ATTACHMENTS):
        add_attachment(application, SimpleUploadedFile(f"p{n}.pdf", PDF))
    response = upload(client, application, "de-trop.pdf", PDF)
    assert "au plus 10 pièces jointes" in response.content.decode()
    assert Attachment.objects.count() == MAX_ATTACHMENTS


def test_an_attachment_is_deleted_while_draft_only(client, application):
    attachment = add_attachment(application, SimpleUploadedFile("a.pdf", PDF))
    path = attachment.file.path
    delete_url = reverse("awards:attachment_delete", args=[application.pk, attachment.pk])
    assert client.post(delete_url).status_code == 302
    assert not Attachment.objects.exists()
    assert not os.path.exists(path)

    kept = add_attachment(application, SimpleUploadedFile("b.pdf", PDF))
    application.status = "submitted"
    application.submitted_at = application.updated_at
    application.save()
    url = reverse("awards:attachment_delete", args=[application.pk, kept.pk])
    assert client.post(url).status_code == 404
    assert Attachment.objects.filter(pk=kept.pk).exists()


def test_who_may_download_an_attachment(client):
    application = ApplicationFactory(submitted=True)
    attachment = add_attachment(application, SimpleUploadedFile("c.pdf", PDF))
    url = reverse("awards:attachment", args=[attachment.pk])

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/espace-membre/connexion/")

    def status_for(user):
        client.force_login(user)
        return client.get(url).status_code

    assert status_for(application.created_by) == 200
    assert status_for(member(organisation=application.organisation)) == 200
    assert status_for(member()) == 404  # the applicant of another dossier

    assigned = JuryAssignmentFactory(application=application)
    assert status_for(assigned.juror.user) == 200
    conflicted = JuryAssignmentFactory(
        application=application,
        status=JuryAssignment.Status.CONFLICT,
        conflict_reason="Je travaille pour l’entreprise.",
    )
    assert status_for(conflicted.juror.user) == 404
    unassigned = JurorFactory(edition=application.edition)
    JuryAssignmentFactory(
        juror=unassigned, application=ApplicationFactory(edition=application.edition)
    )
    assert status_for(unassigned.user) == 404

    staff = UserFactory(is_staff=True)
    assert status_for(staff) == 404  # staff without the permission
    # Staff who see the dossiers work in the admin, with its second factor (the conftest logs
    # them in as having given it); without it their permission counts for nothing here.
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_application", "access_admin"])
    )
    staff = type(staff).objects.get(pk=staff.pk)
    assert status_for(staff) == 200


def test_blind_judging_gives_jurors_a_neutral_file_name(client):
    application = ApplicationFactory(submitted=True)
    application.edition.blind_judging = True
    application.edition.save()
    attachment = add_attachment(
        application, SimpleUploadedFile("Jardins-Boulangerie-Lemoine.PDF", PDF)
    )
    url = reverse("awards:attachment", args=[attachment.pk])

    def disposition(user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        return response["Content-Disposition"]

    juror = JuryAssignmentFactory(application=application).juror.user
    assert disposition(juror) == f'attachment; filename="piece-{attachment.pk}.pdf"'
    assert "Jardins-Boulangerie-Lemoine" in disposition(application.created_by)
    staff = UserFactory(is_staff=True)
    # Staff work in the admin, with its second factor (given: the conftest logs them in so).
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_application", "access_admin"])
    )
    assert "Jardins-Boulangerie-Lemoine" in disposition(staff)

    application.edition.blind_judging = False
    application.edition.save()
    assert "Jardins-Boulangerie-Lemoine" in disposition(juror)
