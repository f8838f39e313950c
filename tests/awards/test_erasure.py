"""Erasing an organisation's personal data (members.erasure) also erases what the award holds."""

import pytest

from awards.models import Application, Attachment, Score
from demo.factories.awards import ApplicationFactory, JuryAssignmentFactory, make_attachment
from demo.factories.members import OrganisationFactory, UserFactory
from members.erasure import pseudonymise_organisation

pytestmark = pytest.mark.django_db(transaction=True)


def test_erasure_removes_drafts_contacts_and_attachments_but_keeps_the_jury_work():
    organisation = OrganisationFactory()
    other = ApplicationFactory(submitted=True)
    submitted = ApplicationFactory(organisation=organisation, submitted=True)
    draft = ApplicationFactory(organisation=organisation)  # another edition
    kept_file = make_attachment(other, "autre.pdf")
    gone = make_attachment(submitted, "bilan.pdf")
    storage, path = gone.file.storage, gone.file.name
    assignment = JuryAssignmentFactory(application=submitted)
    criterion = submitted.edition.criteria.first()
    Score.objects.create(assignment=assignment, criterion=criterion, value=4)

    pseudonymise_organisation(organisation, by_user=UserFactory(is_superuser=True))

    assert not Application.objects.filter(pk=draft.pk).exists()
    submitted.refresh_from_db()
    assert (
        submitted.company_contact_name,
        submitted.company_contact_email,
        submitted.company_contact_phone,
    ) == ("", "", "")
    assert submitted.title  # the partnership's description stays, with its scores
    assert Score.objects.filter(assignment__application=submitted).count() == 1
    assert not Attachment.objects.filter(application=submitted).exists()
    assert not storage.exists(path)  # the file too, once the erasure committed
    # Another organisation's application is untouched.
    other.refresh_from_db()
    assert other.company_contact_email
    assert kept_file.file.storage.exists(kept_file.file.name)
