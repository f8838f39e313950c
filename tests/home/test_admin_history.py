"""The admin's « Historique » pages of wagtail-modeladmin lists: only for people who may see the
list itself (the library checks nothing there)."""

import pytest
from django.contrib.auth.models import Group, Permission

from demo.factories.members import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = UserFactory(email="redaction@example.org")
    group = Group.objects.create(name="Rédaction seulement")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def test_an_editor_cannot_read_an_organisations_history(client, editor):
    organisation = OrganisationFactory(name="Les Jardins Secrets")
    client.force_login(editor)
    response = client.get(f"/admin/members/organisation/history/{organisation.pk}/")
    assert response.status_code in (302, 403)
    assert "Les Jardins Secrets" not in response.content.decode()


def test_staff_who_see_the_list_see_the_history(client, admin_user):
    organisation = OrganisationFactory(name="Les Jardins Secrets")
    client.force_login(admin_user)
    response = client.get(f"/admin/members/organisation/history/{organisation.pk}/")
    assert response.status_code == 200
    assert "Les Jardins Secrets" in response.content.decode()
