"""Staff follow organisations, memberships and payments in Wagtail's admin, with CSV export."""

import pytest
from django.contrib.auth.models import Group, User

from .factories import OrganisationFactory, grid_2027

pytestmark = pytest.mark.django_db


def test_staff_list_and_export_organisations(client, admin_user):
    OrganisationFactory(name="Les Jardins Partagés", departement="44")
    OrganisationFactory(name="Atelier Vélo Solidaire", departement="85")
    client.force_login(admin_user)
    listing = client.get("/admin/members/organisation/?departement=44")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Les Jardins Partagés" in html and "Atelier Vélo Solidaire" not in html

    export = client.get("/admin/members/organisation/?export=csv")
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode() if export.streaming else export.content
    body = body if isinstance(body, str) else body.decode()
    assert "Les Jardins Partagés" in body and "Atelier Vélo Solidaire" in body


def test_fee_grid_is_edited_with_its_tiers(client, admin_user):
    grid = grid_2027()
    client.force_login(admin_user)
    response = client.get(f"/admin/members/feegrid/edit/{grid.pk}/")
    assert response.status_code == 200
    assert "Membre bienfaiteur" in response.content.decode()


def test_editors_without_permission_see_no_member_data(client):
    OrganisationFactory(name="Confidentielle")
    editor = User.objects.create_user("edith", "edith@example.org", "motdepasse-solide-42")
    editor.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(editor)
    response = client.get("/admin/members/organisation/")
    assert response.status_code in (302, 403)
    assert "Confidentielle" not in response.content.decode()
