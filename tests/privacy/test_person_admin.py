"""Staff answer a person's request: find them by address, export their data, erase them."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from demo.factories.awards import ApplicationFactory, make_user
from privacy import consents

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(site_tree):
    """Staff with admin access and the permission to handle people's requests."""
    user = make_user("officer", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="erase_person"),
    )
    return user


@pytest.fixture
def person():
    application = ApplicationFactory()
    user = application.created_by
    consents.record("award-publication", "Oui", obj=application, user=user)
    return user


def test_staff_find_a_person_by_address_whatever_its_case(client, officer, person):
    client.force_login(officer)
    response = client.get(reverse("privacy_admin:people"), {"email": person.email.upper()})
    assert response["Location"] == reverse("privacy_admin:person", args=[person.pk])
    unknown = client.get(reverse("privacy_admin:people"), {"email": "nobody@example.org"})
    assert "Aucun compte n’a l’adresse « nobody@example.org »." in unknown.content.decode()


def test_the_person_page_shows_each_section_and_exports_json(client, officer, person):
    client.force_login(officer)
    page = client.get(reverse("privacy_admin:person", args=[person.pk])).content.decode()
    assert person.email in page
    assert "Consentements" in page
    data = json.loads(
        client.get(reverse("privacy_admin:person_download", args=[person.pk])).content
    )
    assert data["sections"]["account"]["rows"][0]["e-mail"] == person.email


def test_erasure_needs_the_typed_address_then_empties_the_account(client, officer, person):
    client.force_login(officer)
    url = reverse("privacy_admin:person", args=[person.pk])
    client.post(url, {"confirm": "wrong@example.org"})
    person.refresh_from_db()
    assert person.is_active  # nothing happened

    email = person.email
    response = client.post(url, {"confirm": email.upper()}, follow=True)
    assert "Les données de la personne sont effacées" in response.content.decode()
    person.refresh_from_db()
    assert not person.is_active and not person.has_usable_password()
    assert person.email == f"efface-{person.pk}@invalid" and person.first_name == ""
    # The consent stays as proof, without the address.
    [consent] = consents.consents_of(person)
    assert consent.email == ""


def test_staff_cannot_erase_themselves_or_a_superuser(client, officer, django_user_model):
    client.force_login(officer)
    admin = django_user_model.objects.create_superuser("root@example.org", "root@example.org")
    for target in (officer, admin):
        client.post(reverse("privacy_admin:person", args=[target.pk]), {"confirm": target.email})
        target.refresh_from_db()
        assert target.is_active


def test_staff_without_the_permission_are_refused(client, site_tree, person):
    editor = make_user("editor", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    for name, args in (("people", []), ("person", [person.pk]), ("person_download", [person.pk])):
        response = client.get(reverse(f"privacy_admin:{name}", args=args))
        assert response["Location"] == reverse("wagtailadmin_home")
    response = client.post(
        reverse("privacy_admin:person", args=[person.pk]), {"confirm": person.email}
    )
    person.refresh_from_db()
    assert person.is_active


def test_an_erased_juror_is_sent_no_more_jury_mail(client, officer, mailoutbox):
    from awards.emails import notify_assignment, remind_jurors
    from demo.factories.awards import application_to_score, assign, make_juror, scoring_edition

    edition = scoring_edition(year=2047)
    juror = make_juror(edition, make_user("erased"))
    assignment = assign(application_to_score(edition, name="Les Jardins", title="Potagers"), juror)
    client.force_login(officer)
    response = client.post(
        reverse("privacy_admin:person", args=[juror.user.pk]), {"confirm": juror.user.email}
    )
    assert response["Location"] == reverse("privacy_admin:people")
    juror.user.refresh_from_db()
    assert not juror.user.is_active
    mailoutbox.clear()
    assert notify_assignment.enqueue(assignment.pk).return_value is False
    assert remind_jurors.enqueue(edition.pk, force=True).return_value == 0
    assert mailoutbox == []
