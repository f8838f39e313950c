"""Review findings on the award's staff side: conflicts through the association, locked
assignments, assignable statuses, scheduled laureates, the frozen grid, failed e-mails."""

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.admin_forms import AssignmentForm
from awards.assignment import auto_assign
from awards.models import Application, JuryAssignment
from awards.pages import AwardPage, LaureatePage
from demo.factories.awards import (
    make_application,
    make_edition,
    make_juror,
    make_prize,
)
from demo.factories.members import valid_siret
from members.models import Contact

pytestmark = pytest.mark.django_db


def test_a_contact_of_the_association_or_its_siret_is_never_assigned(admin_client):
    edition = make_edition(jurors_per_application=3)
    contact = make_juror(edition, name="Claire")
    employee = make_juror(edition, name="Eric", company_siret=valid_siret(42))
    free = make_juror(edition, name="Fanny")
    app = make_application(edition, "Dossier")
    app.organisation.siret = valid_siret(42)
    app.organisation.save()
    Contact.objects.create(organisation=app.organisation, user=contact.user, role="president")

    report = auto_assign(edition)

    assert [a.juror_id for a in report.created] == [free.pk]
    assert report.short[0].assigned == 1
    create = reverse("awards_juryassignment_modeladmin_create")
    for juror, message in (
        (contact, "contact de l’association candidate"),
        (employee, "travaille pour l’association candidate"),
    ):
        response = admin_client.post(create, {"application": app.pk, "juror": juror.pk})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert JuryAssignment.objects.filter(application=app).count() == 1


def test_auto_assign_loads_the_contacts_in_one_query():
    edition = make_edition(jurors_per_application=2)
    jurors = [make_juror(edition) for _ in range(4)]
    apps = [make_application(edition, f"D{i}") for i in range(6)]
    Contact.objects.create(organisation=apps[0].organisation, user=jurors[0].user, role="other")
    with CaptureQueriesContext(connection) as queries:
        auto_assign(edition)
    contact_queries = [q for q in queries if "members_contact" in q["sql"]]
    assert len(contact_queries) == 1
    assert not JuryAssignment.objects.filter(application=apps[0], juror=jurors[0]).exists()


def test_an_assignment_is_never_edited_but_can_be_inspected(admin_client):
    edition = make_edition()
    juror, other = make_juror(edition), make_juror(edition)
    app = make_application(edition, "Dossier")
    assignment = JuryAssignment.objects.create(application=app, juror=juror)
    edit = reverse("awards_juryassignment_modeladmin_edit", args=[assignment.pk])
    response = admin_client.post(edit, {"application": app.pk, "juror": other.pk})
    assert response.status_code in (302, 403)
    assignment.refresh_from_db()
    assert assignment.juror_id == juror.pk
    inspect = reverse("awards_juryassignment_modeladmin_inspect", args=[assignment.pk])
    assert admin_client.get(inspect).status_code == 200
    assert admin_client.get(reverse("awards_juryassignment_modeladmin_create")).status_code == 200


@pytest.mark.parametrize("status", [Application.Status.DRAFT, Application.Status.INELIGIBLE])
def test_only_a_submitted_eligible_or_shortlisted_dossier_is_assigned(admin_client, status):
    edition = make_edition()
    juror = make_juror(edition)
    refused = make_application(edition, "Refusé", status=status)
    shortlisted = make_application(edition, "Retenu", status=Application.Status.SHORTLISTED)
    create = reverse("awards_juryassignment_modeladmin_create")
    response = admin_client.post(create, {"application": refused.pk, "juror": juror.pk})
    assert response.status_code == 200
    assert not JuryAssignment.objects.filter(application=refused).exists()
    form = AssignmentForm(data={"application": refused.pk, "juror": juror.pk})
    assert not form.is_valid()
    response = admin_client.post(create, {"application": shortlisted.pk, "juror": juror.pk})
    assert response.status_code == 302
    assert JuryAssignment.objects.filter(application=shortlisted, juror=juror).exists()


def laureate_edition(site_tree, year):
    edition = make_edition(year=year)
    prize = make_prize(edition)
    make_application(
        edition, "Repair café", status=Application.Status.LAUREATE, prize=prize,
        publication_consent=True, company_name="Vélo&Co",
        company_contribution="Des outils.",
    )  # fmt: skip
    page = AwardPage(title=f"Prix {year}", slug=f"prix-{year}", edition=edition)
    site_tree["home"].add_child(instance=page)
    return edition


def publish_url(edition):
    return reverse("awards_admin:publish_laureates", args=[edition.pk])


def test_laureates_of_past_results_go_live_in_french_from_the_english_admin(
    admin_client, site_tree
):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(User.objects.get(username="admin@example.org"))
    profile.preferred_language = "en"
    profile.save()
    edition = laureate_edition(site_tree, 2020)
    response = admin_client.post(publish_url(edition), follow=True)
    assert "laureate page" in response.content.decode()  # the admin speaks English
    page = LaureatePage.objects.get()
    assert page.live
    assert page.go_live_at is None
    body = str(page.body)
    assert "Ce qu’apporte l’entreprise" in body
    assert "What the company contributes" not in body


def test_laureates_before_the_results_are_scheduled(admin_client, site_tree):
    edition = laureate_edition(site_tree, 2030)
    admin_client.post(publish_url(edition))
    page = LaureatePage.objects.get()
    assert not page.live
    assert page.go_live_at == edition.results_published_at
    assert page.get_latest_revision().approved_go_live_at == edition.results_published_at


def test_publishing_laureates_needs_the_right_to_publish_under_the_award_page(client, site_tree):
    edition = laureate_edition(site_tree, 2020)
    user = User.objects.create_user("staff@example.org", "staff@example.org", "pw")
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_application", "change_application"]
        )
    )
    client.force_login(user)
    response = client.post(publish_url(edition))
    assert response.status_code in (302, 403)  # Wagtail's admin turns the refusal into a redirect
    assert not LaureatePage.objects.exists()
