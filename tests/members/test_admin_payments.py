"""Staff record the transfers and cheques they receive, and refund payments, in Wagtail's admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from demo.factories.members import OrganisationFactory, grid_2027
from members import stripe_gateway
from members.admin_forms import parse_euros
from members.models import Membership, Payment
from members.services import confirm_payment, create_payment, start_membership
from tests import stripe as stripe_helpers

from .test_admin import editor_user, member_user, paid_membership, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def treasurer():
    """Staff who handle the money: they may change payments, nothing more."""
    return staff_user("view_membership", "view_payment", "change_payment")


@pytest.fixture
def grid():
    return grid_2027()


@pytest.fixture
def membership(grid):
    """A pending 120 € membership whose member said they would pay by transfer."""
    membership = start_membership(OrganisationFactory(name="Les Jardins Partagés"), grid)
    create_payment(membership, Payment.Method.TRANSFER)
    return membership


def record_url(membership):
    return f"/admin/members/membership/{membership.pk}/paiement-recu/"


def refund_url(payment):
    return f"/admin/members/payment/{payment.pk}/rembourser/"


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# --- Amounts typed the French way ---------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, cents",
    [
        ("120,50", 12050),
        ("120.50", 12050),
        ("120,5", 12050),
        ("120", 12000),
        ("1 200,50 €", 120050),
        ("1\u202f200,50\u00a0€", 120050),
        ("0,01", 1),
        ("120,500", 12050),
        ("19,99", 1999),  # as a float, 19.99 * 100 is 1998.9999…
    ],
)
def test_amounts_in_euros_become_exact_cents(typed, cents):
    assert parse_euros(typed) == cents


@pytest.mark.parametrize(
    "typed", ["", "abc", "0", "0,00", "-5", "-120,50", "1,2,3", "12,345", "1e3", "NaN", "1" * 20]
)
def test_amounts_that_are_not_a_positive_sum_are_refused(typed):
    with pytest.raises(ValidationError):
        parse_euros(typed)


# --- Recording a transfer or a cheque -----------------------------------------------------------


def test_the_form_starts_from_what_the_member_announced(client, treasurer, membership):
    reference = membership.payments.get().reference
    client.force_login(treasurer)
    response = client.get(record_url(membership))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Les Jardins Partagés" in html and "120\u00a0€" in html
    assert f'value="{reference}"' in html
    assert response.context["form"].initial["method"] == "transfer"


def test_recording_a_transfer_activates_the_membership(client, treasurer, membership):
    announced = membership.payments.get()
    client.force_login(treasurer)
    response = client.post(
        record_url(membership),
        {
            "method": "transfer",
            "amount": "120,50",
            "received_on": "2026-01-15",
            "reference": announced.reference,
        },
        follow=True,
    )
    assert response.status_code == 200
    payment = Payment.objects.get()  # the announced payment, now received: no second one
    assert payment.pk == announced.pk
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.amount_cents == 12050
    assert payment.recorded_by == treasurer
    assert timezone.localtime(payment.received_at).date() == datetime.date(2026, 1, 15)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    said = " ".join(messages_of(response))
    assert "Paiement de 120,50\u00a0€ enregistré" in said and "est active" in said
    assert "diffère du montant de l’adhésion (120\u00a0€)" in said  # 120,50 € for 120 € due


def test_recording_a_cheque_received_today(client, treasurer, membership):
    client.force_login(treasurer)
    today = timezone.localdate().isoformat()
    response = client.post(
        record_url(membership),
        {"method": "cheque", "amount": "120", "received_on": today, "reference": ""},
    )
    assert response.status_code == 302
    cheque = Payment.objects.get(method="cheque")
    assert cheque.status == Payment.Status.SUCCEEDED and cheque.amount_cents == 12000
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.ACTIVE
    from wagtail.models import ModelLogEntry

    entry = ModelLogEntry.objects.get(action="members.offline_payment")
    assert entry.user_id == treasurer.pk and entry.data["amount_cents"] == 12000


@pytest.mark.parametrize("amount", ["0", "-120", "0,00"])
def test_an_amount_of_zero_or_less_is_refused_and_the_input_kept(
    client, treasurer, membership, amount
):
    client.force_login(treasurer)
    response = client.post(
        record_url(membership),
        {"method": "cheque", "amount": amount, "received_on": "2026-01-15", "reference": "X"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le montant reçu doit être supérieur à zéro." in html
    assert f'value="{amount}"' in html and 'value="2026-01-15"' in html
    assert not Payment.objects.filter(status=Payment.Status.SUCCEEDED).exists()
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.PENDING


def test_a_date_in_the_future_is_refused(client, treasurer, membership):
    client.force_login(treasurer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        record_url(membership),
        {"method": "cheque", "amount": "120", "received_on": tomorrow.isoformat()},
    )
    assert response.status_code == 200
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.PENDING


def test_the_reference_of_another_membership_is_refused(client, treasurer, membership, grid):
    other = start_membership(OrganisationFactory(name="Atelier Vélo"), grid)
    theirs = create_payment(other, Payment.Method.TRANSFER)
    client.force_login(treasurer)
    response = client.post(
        record_url(membership),
        {
            "method": "transfer",
            "amount": "120",
            "received_on": "2026-01-15",
            "reference": theirs.reference.lower(),
        },
    )
    assert response.status_code == 200
    assert "celle d’une autre adhésion (« Atelier Vélo — 2027 »)" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.PENDING


def test_a_membership_already_paid_takes_no_second_payment(client, treasurer):
    paid = paid_membership(OrganisationFactory(), grid_2027(), "cheque")
    client.force_login(treasurer)
    response = client.post(
        record_url(paid), {"method": "cheque", "amount": "120", "received_on": "2026-01-15"}
    )
    assert response.status_code == 302
    assert paid.payments.count() == 1
    listing = client.get(response["Location"])
    assert "n’attend pas de paiement" in " ".join(messages_of(listing))


def test_the_lists_link_to_the_form(client, treasurer, membership):
    client.force_login(treasurer)
    memberships = client.get("/admin/members/membership/").content.decode()
    assert record_url(membership) in memberships
    payments = client.get("/admin/members/payment/").content.decode()
    assert record_url(membership) in payments


# --- Who may ------------------------------------------------------------------------------------


def test_members_cannot_reach_the_back_office(client, membership, grid):
    payment = paid_membership(OrganisationFactory(), grid, "cheque").payments.get()
    client.force_login(member_user())
    for url in (record_url(membership), refund_url(payment)):
        for response in (client.get(url), client.post(url, {"amount": "120"})):
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/login/")
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.PENDING
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED


@pytest.mark.parametrize(
    "who", [editor_user, lambda: staff_user("view_membership", "view_payment")]
)
def test_staff_without_the_payment_permission_are_turned_away(client, membership, grid, who):
    payment = paid_membership(OrganisationFactory(), grid, "cheque").payments.get()
    client.force_login(who())
    data = {"method": "cheque", "amount": "120", "received_on": "2026-01-15"}
    for url in (record_url(membership), refund_url(payment)):
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 302 and response["Location"] == "/admin/"
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.PENDING
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED
    assert "/paiement-recu/" not in client.get("/admin/members/membership/").content.decode()


# --- Refunds ------------------------------------------------------------------------------------


def test_refunding_a_cheque_is_recorded_and_done_by_hand(client, treasurer):
    membership = paid_membership(OrganisationFactory(), grid_2027(), "cheque")
    payment = membership.payments.get()
    client.force_login(treasurer)
    page = client.get(refund_url(payment))
    assert page.status_code == 200
    assert "se rembourse à la main" in page.content.decode()
    assert (
        Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED
    )  # GET changes nothing

    response = client.post(refund_url(payment), follow=True)
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.REFUNDED
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.CANCELLED
    assert "l’adhésion « " in " ".join(messages_of(response))


def test_a_refund_needs_the_csrf_token(treasurer):
    from django.test import Client

    membership = paid_membership(OrganisationFactory(), grid_2027(), "cheque")
    payment = membership.payments.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(treasurer)
    assert client.post(refund_url(payment)).status_code == 403
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED


def test_only_a_received_payment_is_refunded(client, treasurer, membership):
    pending = membership.payments.get()
    client.force_login(treasurer)
    response = client.post(refund_url(pending))
    assert response.status_code == 302
    assert Payment.objects.get(pk=pending.pk).status == Payment.Status.PENDING


@pytest.fixture
def card_payment(stripe_settings):
    """A 120 € card payment really paid at (local)Stripe and confirmed."""
    membership = start_membership(OrganisationFactory(employees=4), grid_2027())
    payment = create_payment(membership, Payment.Method.CARD)
    intent = stripe_gateway.create_payment_intent(payment)
    payment.stripe_payment_intent_id = intent.id
    payment.save(update_fields=["stripe_payment_intent_id"])
    paid = stripe_helpers.pay_intent(stripe_gateway.client(), intent.id)
    assert paid.status == "succeeded"
    assert confirm_payment(payment.pk) is True
    return Payment.objects.get(pk=payment.pk)


def test_refunding_a_card_payment_goes_through_stripe(client, treasurer, card_payment):
    client.force_login(treasurer)
    page = client.get(refund_url(card_payment))
    assert "Stripe rembourse 120\u00a0€" in page.content.decode()

    response = client.post(refund_url(card_payment), follow=True)
    assert "remboursé (120\u00a0€)" in " ".join(messages_of(response))
    card_payment.refresh_from_db()
    assert card_payment.status == Payment.Status.REFUNDED
    assert card_payment.membership.status == Membership.Status.CANCELLED
    # Stripe has the refund; asking again (a double click) refunds nothing more.
    refund = stripe_gateway.refund(card_payment)
    assert refund.status == "succeeded" and refund.amount == 12000
    again = client.post(refund_url(card_payment))
    assert again.status_code == 302


def test_with_stripe_down_a_refund_changes_nothing(client, treasurer, stripe_down):
    membership = start_membership(OrganisationFactory(), grid_2027())
    payment = create_payment(membership, Payment.Method.CARD, "pi_unreachable")
    confirm_payment(payment.pk)
    client.force_login(treasurer)
    response = client.post(refund_url(payment), follow=True)
    assert response.status_code == 200
    assert "Stripe n’a pas pu effectuer le remboursement" in " ".join(messages_of(response))
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.ACTIVE
