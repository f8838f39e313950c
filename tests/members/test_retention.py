"""The members app's retention rules (members/retention.py): organisations pseudonymised 3 years
after their last membership, payments and receipts deleted 10 years after their financial year,
receipts of pseudonymised organisations made again without their details, failed logins
deleted after 30 days.

The clock is frozen by the rules' contract: they compute from the `now` they are given only.
"""

import datetime
import io
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from demo.factories.forms import BoardNeedFactory
from demo.factories.members import OrganisationFactory, UserFactory, make_grid
from members.erasure import ERASE_ACTION, pseudonymise_organisation
from members.models import (
    Contact,
    ContactInvitation,
    FeeGrid,
    Membership,
    Organisation,
    Payment,
    Receipt,
    ReceiptSequence,
)
from members.receipts import issue_receipt_for, store_receipt_pdf
from privacy import retention
from privacy.register import processing
from privacy.retention import years_before

pytestmark = pytest.mark.django_db

SLUGS = {
    "privacy-failed-logins": "privacy-accounts",
    "members-departed-organisations": "members-memberships",
    "members-accounting-records": "members-accounting",
    "members-pseudonymised-receipts": "members-accounting",
    "members-finished-invitations": "members-memberships",
}


def aware(*args):
    return timezone.make_aware(datetime.datetime(*args))


def rule(slug):
    return next(rule for rule in retention.rules() if rule.slug == slug)


def dated(obj, **dates):
    """Set dates Django stamps itself (auto_now_add), bypassing save()."""
    type(obj).objects.filter(pk=obj.pk).update(**dates)
    return obj


def grid(year):
    return FeeGrid.objects.filter(year=year).first() or make_grid(year)


def membership(organisation, end, status=Membership.Status.EXPIRED):
    """A membership of the year ending on `end` (a date)."""
    tier = grid(end.year).tiers.first()
    return Membership.objects.create(
        organisation=organisation, year=end.year, period_start=end.replace(month=1, day=1),
        period_end=end, tier=tier, amount_cents=tier.amount_cents, status=status,
    )  # fmt: skip


def test_every_rule_is_declared_and_names_a_declared_processing():
    declared = {rule.slug: rule.processing for rule in retention.rules()}
    for slug, processing_slug in SLUGS.items():
        assert declared[slug] == processing_slug
        assert processing(slug=processing_slug).retention  # raises KeyError if unknown


def test_years_before_keeps_the_day_and_turns_29_february_into_the_28th():
    assert years_before(datetime.date(2031, 3, 15), 3) == datetime.date(2028, 3, 15)
    assert years_before(datetime.date(2032, 2, 29), 3) == datetime.date(2029, 2, 28)


# --- Organisations that left --------------------------------------------------------------------

NOW = aware(2031, 3, 15, 12, 0)
CUTOFF = datetime.date(2028, 3, 15)  # 3 years before NOW's day: a membership ending then is kept
DAY = datetime.timedelta(days=1)


@pytest.fixture
def organisations():
    """One organisation on each side of the 3 years, and those the rule must leave alone."""
    left = OrganisationFactory(name="Les Jardins de Mme Durand")
    membership(left, datetime.date(2027, 12, 31))
    membership(left, CUTOFF - DAY)  # the last one ended the day before the cut-off
    durand = UserFactory(email="claire.durand@jardins.example.org", first_name="Claire")
    Contact.objects.create(organisation=left, user=durand, role="president")
    ContactInvitation.invite(left, "paul@jardins.example.org", role="treasurer")

    just_inside = OrganisationFactory()
    membership(just_inside, CUTOFF)
    Contact.objects.create(organisation=just_inside, user=UserFactory(), role="president")

    still_member = OrganisationFactory()
    membership(still_member, datetime.date(2020, 12, 31))
    membership(still_member, datetime.date(2031, 12, 31), status=Membership.Status.ACTIVE)

    never_joined = dated(OrganisationFactory(), created_at=aware(2028, 3, 14, 23, 59))
    Contact.objects.create(organisation=never_joined, user=UserFactory(), role="president")
    created_at_cutoff = dated(OrganisationFactory(), created_at=aware(2028, 3, 15, 0, 0))
    # An association of the volunteering only: its need is the forms app's to keep and delete.
    volunteering = dated(OrganisationFactory(), created_at=aware(2020, 1, 1))
    BoardNeedFactory(organisation=volunteering)

    erased_before = OrganisationFactory()
    membership(erased_before, datetime.date(2020, 12, 31))
    pseudonymise_organisation(erased_before, by_user=None)
    return {
        "left": left,
        "never_joined": never_joined,
        "kept": [just_inside, still_member, created_at_cutoff, volunteering],
    }


def snapshot():
    return {
        "organisations": list(
            Organisation.objects.order_by("pk").values_list("pk", "name", "pseudonymised_at")
        ),
        "contacts": list(Contact.objects.order_by("pk").values_list("pk", flat=True)),
        "invitations": ContactInvitation.objects.count(),
        "users": list(User.objects.order_by("pk").values_list("pk", "email", "is_active")),
    }


def test_a_dry_run_counts_the_departed_organisations_and_changes_nothing(organisations):
    before = snapshot()

    assert rule("members-departed-organisations").apply(NOW, True) == 2

    assert snapshot() == before


def test_organisations_are_pseudonymised_3_years_after_their_last_membership(organisations):
    left, never_joined = organisations["left"], organisations["never_joined"]
    kept_names = {o.pk: o.name for o in organisations["kept"]}

    assert rule("members-departed-organisations").apply(NOW, False) == 2

    for organisation in (left, never_joined):
        organisation.refresh_from_db()
        assert organisation.pseudonymised_at is not None
        assert organisation.name == f"Organisation effacée n°{organisation.pk}"
        assert (organisation.rna, organisation.siret, organisation.address) == ("", "", "")
        assert not organisation.contacts.exists()
        assert not organisation.invitations.exists()
        # Logged as a system action: no staff member asked for it.
        entry = ModelLogEntry.objects.get(object_id=str(organisation.pk), action=ERASE_ACTION)
        assert entry.user_id is None
    assert not User.objects.filter(email="claire.durand@jardins.example.org").exists()
    assert left.memberships.count() == 2  # the statistics keep them
    for organisation in organisations["kept"]:
        organisation.refresh_from_db()
        assert organisation.pseudonymised_at is None
        assert organisation.name == kept_names[organisation.pk]
    assert Contact.objects.filter(organisation__in=organisations["kept"]).count() == 1
    assert rule("members-departed-organisations").apply(NOW, False) == 0


def test_a_day_later_the_organisation_at_the_cut_off_goes_too(organisations):
    assert rule("members-departed-organisations").apply(NOW + DAY, True) == 4


# --- Payments and receipts ----------------------------------------------------------------------

LAST_KEPT = aware(2027, 12, 31, 23, 59, 59)  # 2017 is kept through its tenth year
FIRST_DELETED = aware(2028, 1, 1, 0, 0)


def payment(membership, reference, status, **dates):
    made = Payment.objects.create(
        membership=membership, method="cheque", amount_cents=5000, status=status,
        reference=reference, received_at=dates.pop("received_at", None),
    )  # fmt: skip
    return dated(made, **dates) if dates else made


def receipt(payment, year, sequence):
    made = Receipt.objects.create(
        payment=payment, year=year, sequence=sequence, number=f"{year}-{sequence:04d}"
    )
    made.pdf.save(f"recu-{made.number}.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    ReceiptSequence.objects.update_or_create(year=year, defaults={"last_number": sequence})
    return made


@pytest.fixture
def accounts():
    """Payments on each side of 1 January 2018 (local time), received or never received."""
    organisation = OrganisationFactory()
    old_membership = membership(organisation, datetime.date(2017, 12, 31))
    new_membership = membership(organisation, datetime.date(2018, 12, 31))
    old = payment(
        old_membership, "ADH-2017-1", Payment.Status.SUCCEEDED,
        received_at=aware(2017, 12, 31, 23, 30),
    )  # fmt: skip
    failed = payment(
        old_membership, "ADH-2017-2", Payment.Status.FAILED, created_at=aware(2017, 6, 1)
    )
    # Created in 2017 but received in 2018: it belongs to 2018's accounts.
    new = payment(
        new_membership, "ADH-2018-1", Payment.Status.SUCCEEDED,
        received_at=aware(2018, 1, 1, 0, 30), created_at=aware(2017, 12, 20),
    )  # fmt: skip
    pending = payment(
        new_membership, "ADH-2018-2", Payment.Status.PENDING, created_at=aware(2018, 1, 1, 0, 1)
    )
    receipts = {"old": receipt(old, 2017, 1), "new": receipt(new, 2018, 1)}
    yield {"old": [old, failed], "kept": [new, pending], "receipts": receipts}
    for made in receipts.values():
        made.pdf.storage.delete(made.pdf.name)


def test_a_dry_run_counts_the_expired_accounts_and_changes_nothing(accounts):
    storage = accounts["receipts"]["old"].pdf.storage

    assert rule("members-accounting-records").apply(LAST_KEPT, True) == 0
    assert rule("members-accounting-records").apply(FIRST_DELETED, True) == 3

    assert Payment.objects.count() == 4
    assert Receipt.objects.count() == 2
    assert storage.exists(accounts["receipts"]["old"].pdf.name)


def test_payments_and_receipts_go_10_years_after_their_financial_year(
    accounts, django_capture_on_commit_callbacks
):
    old_receipt, new_receipt = accounts["receipts"]["old"], accounts["receipts"]["new"]
    storage = old_receipt.pdf.storage
    assert rule("members-accounting-records").apply(LAST_KEPT, False) == 0

    with django_capture_on_commit_callbacks(execute=True):
        assert rule("members-accounting-records").apply(FIRST_DELETED, False) == 3

    assert set(Payment.objects.values_list("pk", flat=True)) == {p.pk for p in accounts["kept"]}
    assert list(Receipt.objects.values_list("pk", flat=True)) == [new_receipt.pk]
    assert not storage.exists(old_receipt.pdf.name)
    assert storage.exists(new_receipt.pdf.name)
    # Numbers are never given twice: 2017's counter stays.
    assert ReceiptSequence.objects.get(year=2017).last_number == 1
    assert Membership.objects.count() == 2  # the statistics keep them
    assert rule("members-accounting-records").apply(FIRST_DELETED, False) == 0


# --- Receipts of pseudonymised organisations ----------------------------------------------------


def pdf_text(field):
    field.open("rb")
    try:
        reader = PdfReader(io.BytesIO(field.read()))
    finally:
        field.close()
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def issued_receipt(organisation):
    paid = payment(
        membership(organisation, datetime.date(2027, 12, 31)),
        f"ADH-2027-{organisation.pk}",
        Payment.Status.SUCCEEDED,
        received_at=aware(2027, 2, 3, 10, 0),
    )
    return store_receipt_pdf(issue_receipt_for(paid))


@pytest.fixture
def receipts():
    erased = OrganisationFactory(name="Les Jardins de Mme Durand", rna="W442001234")
    other = OrganisationFactory(name="La Ressourcerie du Port")
    made = {"erased": issued_receipt(erased), "other": issued_receipt(other)}
    pseudonymise_organisation(erased, by_user=None)
    yield made
    for receipt in Receipt.objects.all():
        receipt.pdf.storage.delete(receipt.pdf.name)
    for receipt in made.values():
        receipt.pdf.storage.delete(receipt.pdf.name)


def test_a_dry_run_counts_the_receipts_to_make_again_and_changes_nothing(receipts):
    before = list(Receipt.objects.order_by("pk").values_list("pdf", flat=True))

    assert rule("members-pseudonymised-receipts").apply(NOW, True) == 1

    assert list(Receipt.objects.order_by("pk").values_list("pdf", flat=True)) == before
    assert "Les Jardins de Mme Durand" in pdf_text(receipts["erased"].pdf)


def test_the_receipt_of_a_pseudonymised_organisation_is_made_again_without_its_details(
    receipts, django_capture_on_commit_callbacks
):
    erased, other = receipts["erased"], receipts["other"]
    storage = erased.pdf.storage
    issued = re.search(r"émis le \d+ \w+ \d{4}", pdf_text(erased.pdf)).group()

    with django_capture_on_commit_callbacks(execute=True):
        assert rule("members-pseudonymised-receipts").apply(NOW, False) == 1

    fresh = Receipt.objects.get(pk=erased.pk)
    assert fresh.pdf.name != erased.pdf.name
    assert not storage.exists(erased.pdf.name)
    text = pdf_text(fresh.pdf)
    assert "Les Jardins de Mme Durand" not in text
    assert "W442001234" not in text
    assert "Organisation effacée n°" in text
    # What the accounts need stays as issued.
    assert fresh.number in text
    assert issued in text
    assert "Montant reçu 50 €" in text
    assert "3 février 2027" in text
    other_fresh = Receipt.objects.get(pk=other.pk)
    assert other_fresh.pdf.name == other.pdf.name
    assert "La Ressourcerie du Port" in pdf_text(other_fresh.pdf)
    assert rule("members-pseudonymised-receipts").apply(NOW, False) == 0


# --- Failed logins ------------------------------------------------------------------------------

THIRTY_DAYS_AGO = NOW - datetime.timedelta(days=30)
SECOND = datetime.timedelta(seconds=1)


def attempt(username, when):
    made = AccessAttempt.objects.create(
        username=username, ip_address="192.0.2.1", user_agent="Mozilla/5.0", http_accept="*/*",
        path_info="/espace-membre/connexion/", get_data="", post_data="", failures_since_start=3,
    )  # fmt: skip
    return dated(made, attempt_time=when)


def failure_log(username, when):
    made = AccessFailureLog.objects.create(
        username=username, ip_address="192.0.2.1", user_agent="Mozilla/5.0", http_accept="*/*",
        path_info="/espace-membre/connexion/",
    )  # fmt: skip
    return dated(made, attempt_time=when)


@pytest.fixture
def attempts():
    return {
        "old": [
            attempt("old@example.org", THIRTY_DAYS_AGO - SECOND),
            failure_log("old@example.org", THIRTY_DAYS_AGO - SECOND),
        ],
        "kept": [
            attempt("recent@example.org", THIRTY_DAYS_AGO + SECOND),
            failure_log("recent@example.org", THIRTY_DAYS_AGO + SECOND),
        ],
    }


def test_a_dry_run_counts_the_old_failed_logins_and_changes_nothing(attempts):
    assert rule("privacy-failed-logins").apply(NOW, True) == 2

    assert AccessAttempt.objects.count() == 2
    assert AccessFailureLog.objects.count() == 2


def test_failed_logins_are_deleted_after_30_days(attempts):
    assert rule("privacy-failed-logins").apply(NOW, False) == 2

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["recent@example.org"]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == [
        "recent@example.org"
    ]
    assert rule("privacy-failed-logins").apply(NOW, False) == 0


# --- All together -------------------------------------------------------------------------------


def test_the_daily_command_runs_them_in_order_and_a_dry_run_foretells_the_real_one(
    organisations, accounts, attempts
):
    dry = retention.apply_all(NOW, dry_run=True, only=set(SLUGS))
    real = retention.apply_all(NOW, only=set(SLUGS))

    assert [outcome.error for outcome in real] == [""] * len(SLUGS)
    counts = {
        "privacy-failed-logins": 2,
        # The accounts' organisation left at the end of 2018: it goes with the other two.
        "members-departed-organisations": 3,
        # In 2031 all 4 payments of 2017 and 2018 are past their ten years, with 2 receipts;
        # so no receipt is left to make again.
        "members-accounting-records": 6,
        "members-pseudonymised-receipts": 0,
        # The one expired invitation was the departed organisation's: gone with it.
        "members-finished-invitations": 0,
    }
    # A dry run changes nothing, so it still sees that invitation (a run foretells each rule
    # on its own, not what an earlier rule of the same run removes).
    assert {o.rule.slug: o.count for o in dry} == {**counts, "members-finished-invitations": 1}
    assert {o.rule.slug: o.count for o in real} == counts
    assert [o.count for o in retention.apply_all(NOW, only=set(SLUGS))] == [0] * len(SLUGS)


def test_an_organisation_still_using_the_volunteering_or_the_award_waits(site_tree):
    """Left the network 4 years ago, but an open need (or a dossier of an edition not yet over)
    keeps it: the apps above say so through `organisations_in_use`; once done, it goes."""
    from demo.factories.awards import ApplicationFactory, EditionFactory
    from forms.models import BoardNeed

    now = aware(2031, 6, 1, 12)
    with_need = OrganisationFactory(name="Avec un besoin")
    membership(with_need, datetime.date(2027, 12, 31))
    need = BoardNeedFactory(organisation=with_need, status=BoardNeed.Status.OPEN)
    with_dossier = OrganisationFactory(name="Avec un dossier")
    membership(with_dossier, datetime.date(2027, 12, 31))
    # Its edition's results came out in March 2030: the dossier is kept until March 2033.
    edition = EditionFactory(call_opens_at=aware(2030, 1, 1))
    ApplicationFactory(organisation=with_dossier, edition=edition)
    departing = rule("members-departed-organisations")

    assert departing.apply(now, True) == 0
    assert departing.apply(now, False) == 0
    BoardNeed.objects.filter(pk=need.pk).update(status=BoardNeed.Status.CLOSED)
    assert departing.apply(now, False) == 1
    assert Organisation.objects.get(pk=with_need.pk).pseudonymised_at is not None
    assert Organisation.objects.get(pk=with_dossier.pk).pseudonymised_at is None


def test_finished_invitations_go_30_days_after_they_ended():
    now = aware(2031, 6, 1, 12)
    organisation = OrganisationFactory()

    def invitation(email, **fields):
        values = dict(
            status=ContactInvitation.Status.PENDING, expires_at=now + datetime.timedelta(days=3)
        )
        values.update(fields)
        return ContactInvitation.objects.create(
            organisation=organisation, email=email, role=Contact.Role.OTHER, **values
        )

    long_expired = invitation("a@example.org", expires_at=now - datetime.timedelta(days=31))
    just_expired = invitation("b@example.org", expires_at=now - datetime.timedelta(days=29))
    accepted_long_ago = invitation(
        "c@example.org",
        status=ContactInvitation.Status.ACCEPTED,
        accepted_at=now - datetime.timedelta(days=40),
    )
    revoked_lately = invitation(
        "d@example.org",
        status=ContactInvitation.Status.REVOKED,
        expires_at=now - datetime.timedelta(days=60),
        revoked_at=now - datetime.timedelta(days=10),
    )
    pending = invitation("e@example.org")
    finished = rule("members-finished-invitations")
    assert finished.apply(now, True) == 2
    assert ContactInvitation.objects.count() == 5
    assert finished.apply(now, False) == 2
    kept = set(ContactInvitation.objects.values_list("pk", flat=True))
    assert kept == {just_expired.pk, revoked_lately.pk, pending.pk}
    assert long_expired.pk not in kept and accepted_long_ago.pk not in kept
    assert finished.apply(now, False) == 0
