"""The volunteering's and the form pages' retention rules (privacy.retention), enforcing what
forms/processing.py states.

- `forms-unverified-submissions`: the submissions waiting for their e-mail address to be
  confirmed (EmailVerification: the typed data, kept apart until the link is clicked) sent more
  than 30 days ago. The link only lives 48 hours and submissions.purge_verifications() deletes
  them after that; this rule is the declared outer bound, which holds even if that purge never
  runs. Verifications already used go too: their need or offer exists, the payload is only a
  stale copy of it.
- `forms-closed-needs` / `forms-withdrawn-offers`: board needs filled or closed (an expired need
  is closed: there is no status of its own) and offers withdrawn, whose last activity is more
  than 2 years old, with their matches (CASCADE) and skills. The last activity is the latest of
  every date the row carries (filed, modified, confirmed, asked to confirm, closed, consent) and
  of every date of its matches (proposed, introduced, answered, accepted, declined, ended,
  reminded): an exchange still going on about a closed need keeps it.
- `forms-form-submissions`: the answers to the editors' form pages (Wagtail's FormSubmission)
  sent more than 2 years ago.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.models import FormSubmission

from members import retention as members_retention
from privacy.retention import RetentionRule, delete_counted, register_rule, years_before

from .models import BoardNeed, EmailVerification, Match, VolunteerOffer
from .pages import FormPage

UNVERIFIED_DAYS = 30
CLOSED_YEARS = 2
FORM_SUBMISSION_YEARS = 2

CLOSED_NEED_STATUSES = (BoardNeed.Status.FILLED, BoardNeed.Status.CLOSED)
CLOSED_OFFER_STATUSES = (VolunteerOffer.Status.WITHDRAWN,)

NEED_DATES = (
    "created_at",
    "updated_at",
    "confirmed_at",
    "confirmation_requested_at",
    "closed_at",
    "consent_at",
)
OFFER_DATES = ("created_at", "updated_at", "consent_at")
MATCH_DATES = (
    "created_at",
    "introduced_at",
    "association_answered_at",
    "volunteer_answered_at",
    "accepted_at",
    "declined_at",
    "ended_at",
    "reminder_sent_at",
)


def _all_before(cutoff, fields):
    """Every one of these dates that is set is before `cutoff`."""
    condition = Q()
    for field in fields:
        condition &= Q(**{f"{field}__lt": cutoff}) | Q(**{f"{field}__isnull": True})
    return condition


def _any_since(cutoff, fields):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__gte": cutoff})
    return condition


def _inactive(model, statuses, dates, side, cutoff):
    """The rows of `model` in a closed status, no date of theirs nor of their matches since
    `cutoff`. `side`: the Match key pointing to `model`."""
    recent_match = Match.objects.filter(_any_since(cutoff, MATCH_DATES), **{side: OuterRef("pk")})
    return model.objects.filter(_all_before(cutoff, dates), status__in=statuses).filter(
        ~Exists(recent_match)
    )


def delete_unverified_submissions(now, dry_run):
    limit = now - timedelta(days=UNVERIFIED_DAYS)
    return delete_counted(dry_run, EmailVerification.objects.filter(created_at__lt=limit))


def delete_closed_needs(now, dry_run):
    cutoff = years_before(now, CLOSED_YEARS)
    needs = _inactive(BoardNeed, CLOSED_NEED_STATUSES, NEED_DATES, "need", cutoff)
    return delete_counted(dry_run, needs)  # matches and skills go by CASCADE


def delete_withdrawn_offers(now, dry_run):
    cutoff = years_before(now, CLOSED_YEARS)
    offers = _inactive(VolunteerOffer, CLOSED_OFFER_STATUSES, OFFER_DATES, "offer", cutoff)
    return delete_counted(dry_run, offers)  # matches, skills and sectors go by CASCADE


def delete_old_form_submissions(now, dry_run):
    cutoff = years_before(now, FORM_SUBMISSION_YEARS)
    submissions = FormSubmission.objects.filter(
        page__in=FormPage.objects.values("pk"), submit_time__lt=cutoff
    )
    return delete_counted(dry_run, submissions)


register_rule(
    RetentionRule(
        slug="forms-unverified-submissions",
        label=_("Offres et besoins en attente de confirmation de l’e-mail depuis plus de 30 jours"),
        processing="forms-volunteering",
        apply=delete_unverified_submissions,
        order=30,
    ),
    RetentionRule(
        slug="forms-closed-needs",
        label=_(
            "Besoins d’administrateurs pourvus ou fermés, sans activité depuis 2 ans, avec "
            "leurs mises en relation"
        ),
        processing="forms-volunteering",
        apply=delete_closed_needs,
        order=31,
    ),
    RetentionRule(
        slug="forms-withdrawn-offers",
        label=_(
            "Offres de bénévolat retirées, sans activité depuis 2 ans, avec leurs mises en relation"
        ),
        processing="forms-volunteering",
        apply=delete_withdrawn_offers,
        order=32,
    ),
    RetentionRule(
        slug="forms-form-submissions",
        label=_("Réponses aux formulaires du site envoyées il y a plus de 2 ans"),
        processing="forms-form-pages",
        apply=delete_old_form_submissions,
        order=33,
    ),
)


def organisations_in_use(sender, pks, now, **kwargs):
    """An organisation with a need still open or « en cours » is still looking for (or
    welcoming) a volunteer: it is not pseudonymised as a departed member meanwhile."""
    active = BoardNeed.objects.filter(
        organisation_id__in=pks,
        status__in=(BoardNeed.Status.OPEN, BoardNeed.Status.IN_PROGRESS),
    )
    return set(active.values_list("organisation_id", flat=True))


members_retention.organisations_in_use.connect(
    organisations_in_use, dispatch_uid="forms-organisations-in-use"
)
