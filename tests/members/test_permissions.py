"""members/permissions.py, rule by rule: what each kind of user may reach."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.utils import timezone

from demo.factories.members import OrganisationFactory, UserFactory, grid_2027
from members import permissions
from members.models import Contact, Payment, Receipt
from members.services import start_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    """Two organisations, each with its contact and a pending membership."""
    made, grid = {}, grid_2027()
    for key in ("a", "b"):
        user = UserFactory()
        organisation = OrganisationFactory()
        Contact.objects.create(organisation=organisation, user=user, role="president")
        made[key] = (user, organisation, start_membership(organisation, grid))
    return made


def _receipt(membership, status="succeeded"):
    payment = Payment.objects.create(
        membership=membership,
        method="transfer",
        amount_cents=membership.amount_cents,
        reference=f"ADH-{membership.pk}",
        status=status,
        received_at=timezone.now(),
    )
    return Receipt.objects.create(
        payment=payment, year=2027, sequence=membership.pk, number=f"R{membership.pk}"
    )


def test_a_member_reaches_their_own_organisation_only(two):
    user_a, org_a, _ = two["a"]
    _, org_b, _ = two["b"]
    assert list(permissions.organisations_of(user_a)) == [org_a]
    assert permissions.can_see_organisation(user_a, org_a)
    denied = permissions.can_see_organisation(user_a, org_b)
    assert not denied
    assert denied.reason == "Vous n’êtes pas contact de cette organisation."


def test_anonymous_visitors_reach_nothing(two):
    anonymous = AnonymousUser()
    _, org_a, membership_a = two["a"]
    assert not permissions.organisations_of(anonymous).exists()
    assert not permissions.payable_memberships(anonymous).exists()
    assert not permissions.receipts_for(anonymous).exists()
    denied = permissions.can_see_organisation(anonymous, org_a)
    assert not denied and denied.reason == "Connectez-vous pour voir votre organisation."
    denied = permissions.can_pay(anonymous, membership_a)
    assert not denied
    assert denied.reason == "Cette adhésion n’est pas celle d’une de vos organisations."


def test_being_staff_grants_nothing_a_permission_does(two):
    _, org_a, membership_a = two["a"]
    staff = UserFactory(is_staff=True)
    assert not permissions.payable_memberships(staff).exists()
    assert not permissions.can_pay(staff, membership_a)
    staff.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    staff = type(staff).objects.get(pk=staff.pk)  # permissions are cached per instance
    # A password alone is not enough: the second factor must have been given (django-otp).
    staff.is_verified = lambda: False
    assert not permissions.can_pay(staff, membership_a)
    staff.is_verified = lambda: True
    assert permissions.can_pay(staff, membership_a)


def test_only_a_pending_membership_can_be_paid(two):
    user_a, _, membership_a = two["a"]
    assert permissions.can_pay(user_a, membership_a)
    membership_a.status = "active"
    membership_a.save()
    denied = permissions.can_pay(user_a, membership_a)
    assert not denied and denied.reason == "Cette adhésion n’attend pas de paiement."
    _, _, membership_b = two["b"]
    denied = permissions.can_pay(user_a, membership_b)
    assert not denied
    assert denied.reason == "Cette adhésion n’est pas celle d’une de vos organisations."


def test_receipts_of_received_payments_of_ones_own_organisations(two):
    user_a, _, membership_a = two["a"]
    _, _, membership_b = two["b"]
    own, other = _receipt(membership_a), _receipt(membership_b)
    assert permissions.can_download_receipt(user_a, own)
    denied = permissions.can_download_receipt(user_a, other)
    assert not denied and denied.reason == "Ce reçu n’est pas celui d’une de vos organisations."
    Payment.objects.filter(pk=own.payment_id).update(status="refunded")
    assert not permissions.can_download_receipt(user_a, own)  # it attests nothing any more
    treasurer = UserFactory()
    treasurer.user_permissions.add(Permission.objects.get(codename="view_receipt"))
    assert not permissions.receipts_for(treasurer).filter(pk=other.pk).exists()  # no 2nd factor
    treasurer.is_verified = lambda: True
    assert {r.pk for r in permissions.receipts_for(treasurer)} == {own.pk, other.pk}


def test_a_password_alone_does_not_open_others_receipts(client, two):
    # Staff whose permission lets them see every receipt log in through the portal: without
    # the second factor in this session (given only in the admin), they see a member's view.
    _, _, membership_b = two["b"]
    receipt = _receipt(membership_b)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_receipt"))
    client.force_login(staff)
    assert client.get(f"/espace-membre/recu/{receipt.pk}/").status_code == 404


def test_receipts_come_with_their_organisation_and_tier(two, django_assert_num_queries):
    # The portal's receipt list shows each receipt's organisation and tier: no query per row.
    user_a, _, membership_a = two["a"]
    _receipt(membership_a)
    receipts = list(permissions.receipts_for(user_a))
    with django_assert_num_queries(0):
        assert [r.payment.membership.organisation.name for r in receipts] == [
            membership_a.organisation.name
        ]
        assert [r.payment.membership.tier.pk for r in receipts] == [membership_a.tier_id]


def test_payable_memberships_come_with_their_organisation_and_tier(two, django_assert_num_queries):
    user_a, org_a, membership_a = two["a"]
    memberships = list(permissions.payable_memberships(user_a))
    with django_assert_num_queries(0):
        assert [(m.organisation.name, m.tier.pk) for m in memberships] == [
            (org_a.name, membership_a.tier_id)
        ]
