"""forms/permissions.py: who follows the matches in the admin, who sees a company's figures."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from demo.factories.forms import CompanyFactory
from demo.factories.members import UserFactory
from forms import permissions

pytestmark = pytest.mark.django_db


def _with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return type(user).objects.get(pk=user.pk)


def test_following_and_acting_on_matches_take_their_permissions():
    assert not permissions.follows_matches(UserFactory(is_staff=True))
    viewer = _with("view_match")
    assert permissions.follows_matches(viewer) and not permissions.acts_on_matches(viewer)
    actor = _with("change_match")
    assert permissions.follows_matches(actor) and permissions.acts_on_matches(actor)
    assert not permissions.follows_matches(AnonymousUser())


def test_a_company_contact_sees_their_companies_only():
    contact = UserFactory()
    theirs, other = CompanyFactory(), CompanyFactory()
    theirs.dashboard_users.add(contact)
    assert list(permissions.companies_for(contact)) == [theirs]
    assert other not in permissions.companies_for(contact)
    assert not permissions.companies_for(AnonymousUser()).exists()


def test_a_contact_of_several_companies_gets_them_by_name():
    contact = UserFactory()
    later, earlier = CompanyFactory(name="Zèbre Coop"), CompanyFactory(name="Atelier Bois")
    for company in (later, earlier):
        company.dashboard_users.add(contact)
    assert list(permissions.companies_for(contact)) == [earlier, later]
