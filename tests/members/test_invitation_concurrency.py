"""Two acceptances of the same invitation at the same moment (a double click) accept it once.

PostgreSQL only, as tests/members/test_concurrency.py, whose harness this reuses: SQLite
serialises writers on its own.
"""

import time

import pytest

from demo.factories.members import OrganisationFactory, UserFactory
from members import contacts
from members.models import Contact, ContactInvitation

from .test_concurrency import WINDOW, run_together

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_one_of_two_simultaneous_acceptances_wins(monkeypatch):
    organisation = OrganisationFactory()
    inviter = UserFactory(email="alice@example.org")
    Contact.objects.create(organisation=organisation, user=inviter, role="president")
    bob = UserFactory(email="bob@example.org")
    invitation = ContactInvitation.invite(
        organisation, bob.email, invitee=bob, role="treasurer", invited_by=inviter
    )
    real_attach = contacts._attach_invited

    def slow_attach(*args):  # inside the locked section: widen the race window
        time.sleep(WINDOW)
        return real_attach(*args)

    monkeypatch.setattr(contacts, "_attach_invited", slow_attach)
    results = run_together(lambda: contacts.accept(invitation, bob))
    assert sorted(result is None for result in results) == [False, True]
    assert organisation.contacts.filter(user=bob).count() == 1
    assert ContactInvitation.objects.get(pk=invitation.pk).status == "accepted"
