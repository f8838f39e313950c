"""Erasing an organisation's personal data (members.erasure) also erases its board needs' text."""

import pytest

from demo.factories.forms import BoardNeedFactory, MatchFactory
from demo.factories.members import UserFactory
from forms.models import BoardNeed, Match
from members.erasure import pseudonymise_organisation

pytestmark = pytest.mark.django_db


def test_erasure_closes_the_needs_and_clears_their_text():
    need = BoardNeedFactory(description="Contactez Mme Lefèvre, présidente.", commune="Nantes")
    match = MatchFactory(need=need, notes="Appel avec Mme Lefèvre", interest_message="Bonjour")
    other = BoardNeedFactory()

    pseudonymise_organisation(need.organisation, by_user=UserFactory(is_superuser=True))

    need.refresh_from_db()
    assert need.status == BoardNeed.Status.CLOSED and need.closed_at
    assert "Lefèvre" not in need.description and need.commune == ""
    assert need.role and need.departement == "44"  # the facts the dashboards count stay
    match.refresh_from_db()
    assert "Lefèvre" not in match.notes and match.interest_message == ""
    assert Match.objects.filter(pk=match.pk).exists()
    other.refresh_from_db()
    assert other.status == BoardNeed.Status.OPEN and "Lefèvre" not in other.description
    assert other.description
