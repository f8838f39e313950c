"""The membership rules of members/services.py, one at a time.

Which tier a grid computes and in what order it reads its lines, what a free amount accepts and
what it says when it refuses, that a membership is made once (even by two requests at the same
moment) and follows a corrected bulletin only until it is paid, that a cancelled membership
leaves room for a new one, how transfer references are drawn, and that staff recording a
transfer or a cheque activate the membership once, with one receipt.
"""

import datetime
import re
from collections import Counter

import pytest
from django.db import IntegrityError
from django.db.models.signals import pre_save
from django.utils import timezone

from demo.factories.members import OrganisationFactory, UserFactory, grid_2027
from members import services
from members.models import FeeGrid, FeeTier, Membership, Payment
from members.services import (
    NoMatchingTier,
    amount_for,
    confirm_payment,
    create_payment,
    new_reference,
    open_online_payment,
    payment_for,
    prepare_membership,
    record_offline_payment,
    refund_payment,
    start_membership,
    tier_for,
    withdraw_payment,
)

pytestmark = pytest.mark.django_db


def tier(grid, label, *, order, minimum, maximum=None, cents):
    return FeeTier.objects.create(
        grid=grid, label=label, order=order, basis="employees",
        minimum=minimum, maximum=maximum, amount_cents=cents,
    )  # fmt: skip


def grid_from_one_employee(year=2031):
    """A grid with no tier for an organisation without employees, and a free tier."""
    grid = FeeGrid.objects.create(year=year)
    tier(grid, "1 salarié et plus", order=0, minimum=1, cents=12000)
    FeeTier.objects.create(
        grid=grid, label="Membre bienfaiteur", order=9, basis="employees",
        free_amount=True, minimum_cents=20000,
    )  # fmt: skip
    return grid


# --- Tiers and amounts ------------------------------------------------------------------------


def test_the_first_tier_in_the_grid_order_wins_over_a_lower_threshold():
    # Staff put a special line first: it applies even though a later line starts lower.
    grid = FeeGrid.objects.create(year=2030)
    tier(grid, "Tarif réseau", order=0, minimum=5, cents=10000)
    tier(grid, "Tarif général", order=1, minimum=0, cents=5000)
    assert tier_for(grid, OrganisationFactory(employees=10)).label == "Tarif réseau"


def test_lines_left_at_the_same_order_are_read_from_the_lowest_threshold():
    grid = FeeGrid.objects.create(year=2030)
    tier(grid, "À partir de 10 salariés", order=0, minimum=10, cents=30000)
    tier(grid, "Dès le premier salarié", order=0, minimum=0, cents=5000)
    assert tier_for(grid, OrganisationFactory(employees=20)).label == "Dès le premier salarié"


def test_a_grid_without_a_tier_for_the_organisation_says_so_to_staff():
    grid = grid_from_one_employee()
    organisation = OrganisationFactory(name="Les Amis du Quai", employees=0)
    with pytest.raises(NoMatchingTier) as refused:
        tier_for(grid, organisation)
    assert str(refused.value) == "La grille 2031 n’a pas de tranche pour « Les Amis du Quai »."


def test_a_free_amount_equal_to_the_minimum_is_accepted():
    bienfaiteur = grid_2027().tiers.get(free_amount=True)
    assert amount_for(bienfaiteur, 20000) == 20000


def test_a_free_amount_below_the_minimum_is_refused_with_the_minimum_in_euros():
    bienfaiteur = grid_2027().tiers.get(free_amount=True)
    with pytest.raises(ValueError) as refused:
        amount_for(bienfaiteur, 19999)
    assert str(refused.value) == "Le montant libre doit être d’au moins 200\u00a0€."


# --- Memberships -------------------------------------------------------------------------------


def test_a_cancelled_membership_leaves_room_for_a_new_one():
    grid = grid_2027()
    first = start_membership(OrganisationFactory(employees=4), grid)
    payment = create_payment(first, Payment.Method.CARD, "pi_rembourse")
    confirm_payment(payment.pk)
    refund_payment(payment.pk)  # the membership is now cancelled

    again = start_membership(first.organisation, grid)
    assert again.pk != first.pk
    assert again.status == Membership.Status.PENDING
    assert Membership.objects.get(pk=first.pk).status == Membership.Status.CANCELLED


def test_a_second_bulletin_returns_the_membership_without_recomputing_it():
    # The head count was corrected to 0 after joining: the grid has no tier for 0 employees,
    # but the membership already made is returned as it is.
    grid = grid_from_one_employee()
    organisation = OrganisationFactory(employees=3)
    first = start_membership(organisation, grid)
    organisation.employees = 0
    organisation.save()

    again = start_membership(organisation, grid)
    assert again.pk == first.pk
    assert again.amount_cents == 12000


def test_two_bulletins_at_the_same_moment_end_in_the_first_membership(monkeypatch):
    # The other request's membership is already there, but this request looked before it was
    # committed: its own insert is refused, and it returns the other's membership.
    grid = grid_2027()
    organisation = OrganisationFactory(employees=4)
    other = start_membership(organisation, grid)
    real_lookup = services._live_membership
    lookups = []

    def not_yet_visible(organisation, year):
        lookups.append(year)
        return None if len(lookups) == 1 else real_lookup(organisation, year)

    monkeypatch.setattr(services, "_live_membership", not_yet_visible)
    again = start_membership(organisation, grid)
    assert again is not None and again.pk == other.pk
    assert Membership.objects.filter(organisation=organisation).count() == 1


def test_a_pending_membership_follows_the_corrected_head_count():
    grid = grid_2027()
    organisation = OrganisationFactory(employees=4)
    first = prepare_membership(organisation, grid)
    assert (first.tier.label, first.amount_cents) == ("1 à 9 salariés", 12000)

    organisation.employees = 12
    organisation.save()
    corrected = prepare_membership(organisation, grid)

    assert corrected.pk == first.pk
    assert (corrected.tier.label, corrected.amount_cents) == ("10 à 49 salariés", 30000)
    stored = Membership.objects.get(pk=first.pk)
    assert (stored.tier.label, stored.amount_cents) == ("10 à 49 salariés", 30000)


def test_a_membership_paid_while_the_bulletin_was_read_keeps_its_amount(monkeypatch):
    # The bulletin read the membership as pending; the payment was confirmed just before the
    # bulletin locked it: what was paid is not changed.
    grid = grid_2027()
    organisation = OrganisationFactory(employees=4)
    membership = start_membership(organisation, grid)
    payment = create_payment(membership, Payment.Method.CARD, "pi_paye")

    def read_then_paid(*args):
        read = Membership.objects.get(pk=membership.pk)
        confirm_payment(payment.pk)
        return read

    monkeypatch.setattr(services, "start_membership", read_then_paid)
    organisation.employees = 12
    organisation.save()
    result = prepare_membership(organisation, grid)

    stored = Membership.objects.get(pk=membership.pk)
    assert (stored.tier.label, stored.amount_cents) == ("1 à 9 salariés", 12000)
    assert stored.status == Membership.Status.ACTIVE
    assert result.amount_cents == 12000


def test_a_member_without_a_computed_tier_can_join_as_bienfaiteur():
    grid = grid_from_one_employee()
    bienfaiteur = grid.tiers.get(free_amount=True)
    membership = prepare_membership(
        OrganisationFactory(employees=0), grid, tier=bienfaiteur, chosen_cents=25000
    )
    assert (membership.tier_id, membership.amount_cents) == (bienfaiteur.pk, 25000)
    assert membership.status == Membership.Status.PENDING


# --- Payments ----------------------------------------------------------------------------------

REFERENCE = re.compile(r"ADH-2027-00042-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{3}")


def test_a_reference_ends_in_three_characters_that_cannot_be_misread():
    # No 0/O, 1/I, no lower case: a treasurer reads it off a bank statement. Each of the 32
    # characters is drawn as often as the others, so references rarely repeat.
    membership = Membership(pk=42, year=2027)
    references = [new_reference(membership) for _ in range(1000)]
    assert all(REFERENCE.fullmatch(reference) for reference in references)
    counts = Counter(character for reference in references for character in reference[-3:])
    assert len(counts) == 32
    assert max(counts.values()) < 2 * 3000 / 32  # ~94 expected for each


def test_a_reference_already_given_is_drawn_again(monkeypatch):
    membership = start_membership(OrganisationFactory(employees=4), grid_2027())
    monkeypatch.setattr(services, "get_random_string", lambda *a, **k: "AAA")
    taken = create_payment(membership, Payment.Method.TRANSFER)
    draws = iter(["AAA", "BBB"])
    monkeypatch.setattr(services, "get_random_string", lambda *a, **k: next(draws))

    payment = create_payment(membership, Payment.Method.CHEQUE)
    assert taken.reference.endswith("-AAA")
    assert payment.reference == f"ADH-2027-{membership.pk:05d}-BBB"


def test_after_five_references_already_given_the_error_is_raised(monkeypatch):
    membership = start_membership(OrganisationFactory(employees=4), grid_2027())
    monkeypatch.setattr(services, "get_random_string", lambda *a, **k: "AAA")
    create_payment(membership, Payment.Method.TRANSFER)
    draws = []

    def always_taken(*args, **kwargs):
        draws.append("AAA")
        return "AAA"

    monkeypatch.setattr(services, "get_random_string", always_taken)
    with pytest.raises(IntegrityError):
        create_payment(membership, Payment.Method.CHEQUE)
    assert len(draws) == 5
    assert membership.payments.count() == 1


def test_the_intent_recorded_first_stays_the_payments(stripe_settings):
    # Two requests loaded the payment before either had an intent; the second one to open it
    # does not replace the intent the first recorded (the webhook finds the payment by it).
    membership = start_membership(OrganisationFactory(employees=4), grid_2027())
    payment = payment_for(membership, Payment.Method.CARD)
    first_request = Payment.objects.get(pk=payment.pk)
    second_request = Payment.objects.get(pk=payment.pk)

    first_intent = open_online_payment(first_request)
    open_online_payment(second_request)

    payment.refresh_from_db()
    assert payment.stripe_payment_intent_id == first_intent.id


def test_a_card_payment_stripe_cannot_cancel_is_not_withdrawn(stripe_down):
    membership = start_membership(OrganisationFactory(employees=4), grid_2027())
    payment = create_payment(membership, Payment.Method.CARD, "pi_injoignable")

    assert withdraw_payment(payment) is False
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING


def test_only_transfers_and_cheques_are_recorded_by_hand(admin_user):
    membership = start_membership(OrganisationFactory(employees=4), grid_2027())
    with pytest.raises(ValueError) as refused:
        record_offline_payment(
            membership, method=Payment.Method.CARD, amount_cents=12000,
            received_at=timezone.now(), recorded_by=admin_user,
        )  # fmt: skip
    assert str(refused.value) == "Seuls les virements et les chèques s’enregistrent à la main."


def test_a_transfer_received_after_the_member_withdrew_it_still_activates(admin_user):
    # The member chose a transfer, then the card (the transfer was withdrawn); the transfer
    # arrives anyway: staff record it, and the membership is active.
    membership = start_membership(OrganisationFactory(employees=4), grid_2027())
    withdrawn = payment_for(membership, Payment.Method.TRANSFER)
    payment_for(membership, Payment.Method.CARD)
    assert Payment.objects.get(pk=withdrawn.pk).status == Payment.Status.CANCELLED

    payment = record_offline_payment(
        membership, method=Payment.Method.TRANSFER, amount_cents=12000,
        received_at=timezone.now(), recorded_by=admin_user,
    )  # fmt: skip

    assert payment.pk != withdrawn.pk
    assert payment.status == Payment.Status.SUCCEEDED
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.ACTIVE


def test_a_cheque_recorded_twice_at_the_same_moment_is_received_once(
    admin_user, caplog, django_capture_on_commit_callbacks
):
    # Two staff record the same cheque; the other one's confirmation is committed between
    # this one's reading the pending cheque and its saving the amount.
    membership = start_membership(OrganisationFactory(employees=4), grid_2027())
    cheque = create_payment(membership, Payment.Method.CHEQUE)
    colleague = UserFactory()
    first_received = timezone.now() - datetime.timedelta(days=1)
    state = {"done": False}

    def colleague_confirms_first(sender, instance, **kwargs):
        if instance.pk == cheque.pk and not state["done"]:
            state["done"] = True
            confirm_payment(cheque.pk, received_at=first_received, recorded_by=colleague)

    pre_save.connect(colleague_confirms_first, sender=Payment)
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            payment = record_offline_payment(
                membership, method=Payment.Method.CHEQUE, amount_cents=12000,
                received_at=timezone.now(), recorded_by=admin_user,
            )  # fmt: skip
    finally:
        pre_save.disconnect(colleague_confirms_first, sender=Payment)

    assert payment.status == Payment.Status.SUCCEEDED
    assert (payment.recorded_by, payment.received_at) == (colleague, first_received)
    assert len(callbacks) == 1  # one receipt
    assert "refund one of its payments" not in caplog.text
