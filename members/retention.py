"""The members app's retention rules (privacy.retention), enforcing what members/processing.py
states, and the failed-login traces privacy/processing.py states (« privacy-accounts »).

- `members-departed-organisations` (« members-memberships »): an organisation whose last
  membership ended more than 3 years ago (the latest `period_end` of its memberships, whatever
  their status: a cancelled or unpaid bulletin was still a relationship) is pseudonymised with
  members.erasure, as staff do it by hand: contacts and invitations deleted, accounts that
  acted for it alone anonymised, name, address, RNA and SIRET erased, and the
  `organisation_pseudonymised` signal sent so that the apps above erase their part. An
  organisation that never had a membership counts from its creation, but only when no other
  app holds it (an award dossier, a board need, a company's partners): it is then an award
  applicant or a volunteering association, whose data those apps keep and erase by their own
  declarations.
- `members-accounting-records` (« members-accounting »): payments and their receipts 10 years
  after the end of the financial year (the calendar year, local time) of the payment: the day
  the money came in, or the attempt's creation for a payment never received. The receipts'
  PDF files leave the private storage once the deletion commits. The receipt counters stay,
  so that a number is never given twice.
- `members-pseudonymised-receipts` (« members-accounting »): a receipt's PDF still names the
  organisation (name, address, RNA or SIRET) after it was pseudonymised, by this rule or by
  staff. It is made again from the pseudonymised organisation: number, dates, amounts and
  period stay as issued, as the declaration says. The new file's name carries a mark, so that
  a second run finds nothing.
- `privacy-failed-logins` (« privacy-accounts »): django-axes' records of failed logins
  (AccessAttempt, dated by its last failure, and AccessFailureLog) after 30 days. Here because
  the lowest app that may use privacy.retention is this one (home, which runs the login
  lockout, is below privacy); named after its processing, so that moving it keeps its slug.

Payments themselves hold no person's data (no name nor e-mail: a reference, amounts, Stripe's
identifiers), so they need no pseudonymisation of their own.
"""

import datetime

from axes.models import AccessAttempt, AccessFailureLog
from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.retention import (
    RetentionRule,
    delete_counted,
    delete_files_on_commit,
    register_rule,
    years_before,
)

from .erasure import AlreadyPseudonymised, pseudonymise_organisation
from .models import ContactInvitation, Membership, Organisation, Payment, Receipt

DEPARTED_YEARS = 3
ACCOUNTING_YEARS = 10
FAILED_LOGIN_DAYS = 30
FINISHED_INVITATION_DAYS = 30
# In the name of a receipt's file made again after its organisation was pseudonymised.
PSEUDONYMISED_MARK = "-pseudonymise"


# --- Organisations that left --------------------------------------------------------------------


def _held_by_another_app():
    """Whether a row of another app points at the organisation. Read from the relations the
    apps above declare towards Organisation, so this app names none of them."""
    held = Q(pk__in=[])
    for relation in Organisation._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label == Organisation._meta.app_label:
            continue
        rows = model._base_manager.filter(**{relation.field.name: OuterRef("pk")})
        held |= Exists(rows)
    return held


# Sent with `pks` (the organisations about to be pseudonymised as departed) and `now`; each
# receiver returns the pks its app still uses (an open board need, a dossier of an edition not
# yet over): those wait for a later run, so that leaving the network does not erase what an
# organisation is still doing with the award or the volunteering. The apps answer in their
# own retention.py; this app names none of them.
organisations_in_use = Signal()


def _still_used(pks, now):
    used = set()
    for _receiver, answer in organisations_in_use.send(sender=Organisation, pks=pks, now=now):
        used |= set(answer or ())
    return used


def departed_organisations(now):
    """The organisations not yet pseudonymised whose last membership ended before the cut-off
    (more than DEPARTED_YEARS years before `now`'s day), or which never had one, were created
    before it, and no other app holds."""
    today = timezone.localdate(now)
    cutoff = years_before(today, DEPARTED_YEARS)
    created_before = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    # A subquery rather than Max(): the filter stays a plain WHERE, with no GROUP BY.
    last_end = Membership.objects.filter(organisation=OuterRef("pk")).order_by("-period_end")
    organisations = Organisation.objects.filter(pseudonymised_at__isnull=True).annotate(
        last_end=Subquery(last_end.values("period_end")[:1])
    )
    left = Q(last_end__lt=cutoff)
    # Never a member: an award applicant or a volunteering association, whose data the app
    # that holds it keeps and erases by its own declaration; only a bare one goes here.
    never_joined = Q(last_end__isnull=True, created_at__lt=created_before) & ~_held_by_another_app()
    return organisations.filter(left | never_joined).order_by("pk")


def pseudonymise_departed_organisations(now, dry_run):
    organisations = list(departed_organisations(now))
    used = _still_used([organisation.pk for organisation in organisations], now)
    organisations = [organisation for organisation in organisations if organisation.pk not in used]
    if dry_run:
        return len(organisations)
    count = 0
    for organisation in organisations:
        try:
            # No staff member asks for it: the log line names no user (a system action).
            pseudonymise_organisation(organisation, by_user=None)
        except AlreadyPseudonymised:
            continue  # staff did it meanwhile
        count += 1
    return count


# --- Accounting records -------------------------------------------------------------------------


def accounting_cutoff(now):
    """The first moment still kept: 1 January, local time, of the year ACCOUNTING_YEARS years
    before `now`'s. A payment of 2017 is kept through 31 December 2027, deleted from 2028."""
    year = timezone.localdate(now).year - ACCOUNTING_YEARS
    return timezone.make_aware(datetime.datetime(year, 1, 1))


def expired_payments(now):
    return Payment.objects.annotate(dated=Coalesce("received_at", "created_at")).filter(
        dated__lt=accounting_cutoff(now)
    )


def delete_accounting_records(now, dry_run):
    payments = expired_payments(now)
    receipts = Receipt.objects.filter(payment__in=payments.values("pk"))
    count = payments.count() + receipts.count()
    if dry_run or not count:
        return count
    names = [name for name in receipts.values_list("pdf", flat=True) if name]
    # A receipt PROTECTs its payment: it goes first.
    receipts.delete()
    Payment.objects.filter(pk__in=payments.values("pk")).delete()
    delete_files_on_commit(Receipt._meta.get_field("pdf"), names)
    return count


# --- Receipts of pseudonymised organisations ----------------------------------------------------


def receipts_naming_erased_organisations():
    """The receipts of pseudonymised organisations whose file was made before (it names them)."""
    return (
        Receipt.objects.filter(payment__membership__organisation__pseudonymised_at__isnull=False)
        .exclude(pdf="")
        .exclude(pdf__contains=PSEUDONYMISED_MARK)
        .select_related("payment__membership__organisation", "payment__membership__tier")
        .order_by("pk")
    )


def pseudonymise_receipt_files(now, dry_run):
    receipts = receipts_naming_erased_organisations()
    if dry_run:
        return receipts.count()
    from .pdf import render_receipt_pdf  # reportlab on first use (home/pdf.py)

    field = Receipt._meta.get_field("pdf")
    storage = field.storage
    count, replaced = 0, []
    for receipt in receipts:
        previous = receipt.pdf.name
        filename = f"recu-{receipt.number}{PSEUDONYMISED_MARK}.pdf"
        name = storage.save(
            field.generate_filename(receipt, filename), ContentFile(render_receipt_pdf(receipt))
        )
        # Only if the row still has the file read above: another run may have replaced it.
        if Receipt.objects.filter(pk=receipt.pk, pdf=previous).update(pdf=name):
            replaced.append(previous)
            count += 1
        else:
            storage.delete(name)
    # The old files go once the new names are committed: a rolled-back rule keeps its files.
    delete_files_on_commit(field, replaced)
    return count


# --- Failed logins ------------------------------------------------------------------------------


def delete_failed_logins(now, dry_run):
    cutoff = now - datetime.timedelta(days=FAILED_LOGIN_DAYS)
    # AccessAttempt's time is that of its latest failure (axes moves it forward on each one).
    # AccessFailureLog is off here (AXES_ENABLE_ACCESS_FAILURE_LOG), cleaned should it be on.
    # An attempt's expiration row goes with it (CASCADE).
    return delete_counted(
        dry_run,
        AccessAttempt.objects.filter(attempt_time__lt=cutoff),
        AccessFailureLog.objects.filter(attempt_time__lt=cutoff),
    )


register_rule(
    RetentionRule(
        slug="privacy-failed-logins",
        label=_("Traces des échecs de connexion de plus de 30 jours"),
        processing="privacy-accounts",
        apply=delete_failed_logins,
        order=5,
    ),
    RetentionRule(
        slug="members-departed-organisations",
        label=_(
            "Organisations pseudonymisées 3 ans après la fin de leur dernière adhésion "
            "(contacts, invitations et comptes qui n’agissaient que pour elles)"
        ),
        processing="members-memberships",
        apply=pseudonymise_departed_organisations,
        order=10,
    ),
    RetentionRule(
        slug="members-accounting-records",
        label=_(
            "Paiements et reçus (avec leur fichier PDF) 10 ans après la clôture de leur exercice"
        ),
        processing="members-accounting",
        apply=delete_accounting_records,
        order=11,
    ),
    RetentionRule(
        slug="members-pseudonymised-receipts",
        label=_("Reçus des organisations pseudonymisées, refaits sans leurs coordonnées"),
        processing="members-accounting",
        apply=pseudonymise_receipt_files,
        order=12,
    ),
)


# --- Finished invitations -----------------------------------------------------------------------


def finished_invitations(now):
    """Invitations accepted, revoked or expired more than FINISHED_INVITATION_DAYS days before
    `now`: each holds the name, address and phone of a person who may never have joined."""
    ended = Coalesce("accepted_at", "revoked_at", "expires_at")
    cutoff = now - datetime.timedelta(days=FINISHED_INVITATION_DAYS)
    return ContactInvitation.objects.annotate(ended=ended).filter(ended__lt=cutoff)


def delete_finished_invitations(now, dry_run):
    return delete_counted(dry_run, finished_invitations(now))


register_rule(
    RetentionRule(
        "members-finished-invitations",
        _("Invitations de contacts closes depuis plus de 30 jours"),
        "members-memberships",
        delete_finished_invitations,
        order=13,
    )
)
