"""awards/permissions.py, rule by rule: applicants, jurors (assigned, not assigned, in conflict)
and staff."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from awards import permissions
from awards.models import Application, Attachment, JuryAssignment
from demo.factories.awards import make_user, scene_being_scored

pytestmark = pytest.mark.django_db


@pytest.fixture
def jury():
    s = scene_being_scored()
    for application in (s["first"], s["second"]):
        Attachment.objects.create(
            application=application,
            file="dossier.pdf",
            original_name="Jardins-budget.pdf",
            content_type="application/pdf",
            size=1000,
        )
    return s


def test_an_applicant_reaches_their_organisations_dossiers_only(jury):
    applicant = jury["first"].created_by
    from members.models import Contact

    Contact.objects.create(organisation=jury["first"].organisation, user=applicant, role="other")
    assert list(permissions.applications_of(applicant)) == [jury["first"]]
    assert [a.application for a in permissions.attachments_for(applicant)] == [jury["first"]]


def test_a_juror_reaches_only_the_dossiers_assigned_to_them(jury):
    alice = jury["alice"].user
    assert permissions.can_score(alice, jury["first"].pk)
    denied = permissions.can_score(alice, jury["second"].pk)
    assert not denied and denied.reason == "Ce dossier ne vous est pas confié."
    assert [a.application for a in permissions.attachments_for(alice)] == [jury["first"]]
    assert permissions.jury_seats(alice) == [jury["alice"]]


def test_a_declared_conflict_closes_the_attachments_and_the_scoring(jury):
    alice = jury["alice"].user
    JuryAssignment.objects.filter(pk=jury["alice_first"].pk).update(
        status=JuryAssignment.Status.CONFLICT, conflict_reason="Administratrice de l’association."
    )
    assert not permissions.attachments_for(alice).exists()
    denied = permissions.can_score(alice, jury["first"].pk)
    assert not denied
    assert denied.reason == "Vous avez déclaré un conflit d’intérêts pour ce dossier."


def test_a_draft_is_never_shown_to_a_juror(jury):
    Application.objects.filter(pk=jury["first"].pk).update(status=Application.Status.DRAFT)
    assert permissions.assignment_of(jury["alice"].user, jury["first"].pk) is None


def test_someone_on_no_jury_and_anonymous_visitors_reach_nothing(jury):
    stranger = make_user("passant")
    for user in (stranger, AnonymousUser()):
        assert permissions.jury_seats(user) == []
        assert permissions.assignment_of(user, jury["first"].pk) is None
        assert not permissions.attachments_for(user).exists()
        assert not permissions.applications_of(user).exists()


def test_staff_see_every_dossier_with_the_permission_and_real_names(jury):
    staff = make_user("equipe", is_staff=True)
    assert not permissions.attachments_for(staff).exists()  # being staff is not enough
    staff.user_permissions.add(Permission.objects.get(codename="view_application"))
    staff = type(staff).objects.get(pk=staff.pk)
    assert not permissions.attachments_for(staff).exists()  # nor a password alone
    staff.is_verified = lambda: True  # the second factor given (django-otp)
    assert permissions.attachments_for(staff).count() == 2
    edition = jury["edition"]
    edition.blind_judging = True
    edition.save()
    first = Application.objects.get(pk=jury["first"].pk)
    assert permissions.sees_real_names(staff, first)
    assert not permissions.sees_real_names(jury["alice"].user, first)


def test_lists_come_with_what_their_pages_show_in_one_query(jury, django_assert_num_queries):
    # The jury's home lists seats with their edition, the downloads name their dossier.
    alice = jury["alice"].user
    with django_assert_num_queries(1):
        assert [seat.edition.year for seat in permissions.jury_seats(alice)] == [
            jury["edition"].year
        ]
    attachments = permissions.attachments_for(alice)
    with django_assert_num_queries(1):
        assert [a.application.title for a in attachments] == [jury["first"].title]


def test_a_dossier_gone_back_to_draft_closes_its_attachments_to_the_juror(jury):
    alice = jury["alice"].user
    Application.objects.filter(pk=jury["first"].pk).update(status=Application.Status.DRAFT)
    assert not permissions.attachments_for(alice).exists()


def test_dossiers_and_assignments_come_with_what_their_pages_show(jury, django_assert_num_queries):
    from members.models import Contact

    applicant = jury["first"].created_by
    Contact.objects.create(organisation=jury["first"].organisation, user=applicant, role="other")
    dossiers = list(permissions.applications_of(applicant))
    with django_assert_num_queries(0):
        assert [(a.edition.year, a.organisation.name) for a in dossiers] == [
            (jury["edition"].year, "Les Jardins Partagés")
        ]
    assignment = permissions.assignment_of(jury["alice"].user, jury["first"].pk)
    with django_assert_num_queries(0):
        assert assignment.application.edition.year == jury["edition"].year
        assert assignment.application.organisation.name == "Les Jardins Partagés"
        assert assignment.juror.company_name == "Banque Coopérative"
