"""The award's part of erasing an organisation's personal data (members.erasure sends
`organisation_pseudonymised` inside its transaction; this app answers it).

What goes: drafts, entirely (never submitted, so nobody relies on them); on submitted
applications, the partner company's contact (name, e-mail, phone) and the attachments (letters,
photos: personal data the applicant chose to send), files included once the erasure commits.
What stays: the partnership's description, the status, the scores and the deliberation, so the
jury's work and an edition's ranking do not move. Published laureate pages are the association's
public consent and stay; staff unpublish them if asked.
"""

import logging

from django.db import transaction

from members.erasure import organisation_pseudonymised

from .models import Application, Attachment

logger = logging.getLogger(__name__)


def erase_award_data(sender, organisation, by_user=None, **kwargs):

    applications = Application.objects.filter(organisation=organisation)
    attachments = Attachment.objects.filter(application__in=applications)
    files = [(attachment.file.storage, attachment.file.name) for attachment in attachments]
    attachments.delete()
    applications.filter(status=Application.Status.DRAFT).delete()
    applications.update(company_contact_name="", company_contact_email="", company_contact_phone="")

    def delete_files():
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:  # already gone, or a disk error: the row is gone, log it
                logger.exception("Attachment file %s not deleted after an erasure.", name)

    transaction.on_commit(delete_files)


def connect_erasure():

    organisation_pseudonymised.connect(erase_award_data, dispatch_uid="awards.erase_award_data")
