"""The dossier de candidature, applicant side: business rules as plain functions.

A draft is started (or found again) once per organisation and edition, saved step by step (what
was typed and is valid is always kept), confirmed by the partner company through a signed link,
then submitted before the call closes. Views, commands and tests call these functions alike.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy import consents

from . import emails
from .emails import send_application_received
from .models import PARTNER_LINK_DAYS, Application
from .processing import PUBLICATION, PUBLICATION_CONSENT_LABEL

STEPS = {
    1: gettext_lazy("Les partenaires"),
    2: gettext_lazy("Le partenariat"),
    3: gettext_lazy("Pièces jointes"),
    4: gettext_lazy("Publication"),
}
LAST_STEP = max(STEPS)

# The fields each step edits; the attachments (step 3) have their own rules (attachments.py).
STEP_FIELDS = {
    1: [
        "company_name", "company_siret", "company_sector", "company_size",
        "company_contact_name", "company_contact_email", "company_contact_phone",
    ],
    2: [
        "title", "summary", "start_date", "territory", "beneficiaries",
        "association_contribution", "company_contribution", "results", "prospects",
    ],
    3: [],
    4: ["publication_consent"],
}  # fmt: skip

# What a dossier needs before it can be submitted (the phone and the prospects are optional).
REQUIRED_FIELDS = [
    "company_name", "company_siret", "company_sector", "company_size",
    "company_contact_name", "company_contact_email",
    "title", "summary", "start_date", "territory", "beneficiaries",
    "association_contribution", "company_contribution", "results",
]  # fmt: skip

# Changing one of these after the company confirmed makes the confirmation void: the company
# confirmed a partnership with a given name, through a given person.
PARTNER_IDENTITY_FIELDS = ("company_name", "company_siret", "company_contact_email")

PARTNER_SALT = "awards.partner_confirmation"
# A new invitation (which voids the previous link) no sooner than this after the last one.
PARTNER_INVITE_INTERVAL = timedelta(minutes=10)


# The decisions staff take, in the order of the award's life.
DECISIONS = (
    Application.Status.ELIGIBLE,
    Application.Status.INELIGIBLE,
    Application.Status.SHORTLISTED,
    Application.Status.LAUREATE,
    Application.Status.NOT_SELECTED,
)
# Decisions the applicant hears about by e-mail.
NOTIFIED = (
    Application.Status.ELIGIBLE,
    Application.Status.INELIGIBLE,
    Application.Status.LAUREATE,
    Application.Status.NOT_SELECTED,
)


class CallClosed(Exception):
    """The edition's call is not open: no new dossier."""


class SubmissionRefused(Exception):
    """The dossier cannot be submitted; `problems` lists why, in French, for the applicant."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(" ".join(str(p) for p in self.problems))


def field_label(name):
    return capfirst(Application._meta.get_field(name).verbose_name)


# --- Drafts ------------------------------------------------------------------------------------


def start_or_resume(organisation, edition, user, now=None):
    """The organisation's dossier for this edition, made if there is none yet (only while the
    call is open). Returns (application, created). Two clicks at once make one dossier: the
    database holds one per organisation and edition."""
    existing = Application.objects.filter(edition=edition, organisation=organisation).first()
    if existing is not None:
        return existing, False
    if not edition.call_is_open(now):
        raise CallClosed(_("L’appel à candidatures de cette édition n’est pas ouvert."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                edition=edition, organisation=organisation, created_by=user
            )
    except IntegrityError:
        return Application.objects.get(edition=edition, organisation=organisation), False
    return application, True


def is_editable(application):
    return application.status == Application.Status.DRAFT


class NotEditable(ValueError):
    """The dossier is no longer a draft (submitted meanwhile, for instance)."""


def save_step(application, step, values, resume_at=None, by=None):
    """Store the given values of one step (only that step's fields; the caller passes the ones
    that are valid, so nothing valid is ever lost) and remember the step to come back to
    (`resume_at`, by default this one).

    The row is reloaded and locked, and only this step's fields are written: an autosave that
    overlaps the partner's confirmation or the submission cannot undo them. Raises NotEditable
    when the dossier is no longer a draft. `application` is refreshed from the saved row.

    Returns True when the partner's confirmation was withdrawn because the company's identity
    (name, SIRET or contact e-mail) changed.

    Ticking or unticking the publication consent is recorded (privacy.consents), as given by
    `by` (the person saving; the dossier's author by default).
    """
    allowed = list(STEP_FIELDS[step])
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not is_editable(locked):
            raise NotEditable("Only a draft can be changed.")
        changed = []
        for name, value in values.items():
            if name not in allowed:
                continue
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                changed.append(name)
        update_fields = [*allowed, "current_step", "updated_at"]
        reset = locked.partner_confirmed_at is not None and any(
            name in PARTNER_IDENTITY_FIELDS for name in changed
        )
        if reset:
            locked.partner_confirmed_at = None
            locked.partner_invited_at = None
            update_fields += ["partner_confirmed_at", "partner_invited_at"]
        locked.current_step = max(1, min(resume_at or step, LAST_STEP))
        locked.save(update_fields=update_fields)
        if "publication_consent" in changed:
            _record_publication_consent(locked, by or locked.created_by)
    for field in Application._meta.concrete_fields:
        setattr(application, field.attname, getattr(locked, field.attname))
    return reset


def _record_publication_consent(application, user):

    if application.publication_consent:
        consents.record(PUBLICATION, PUBLICATION_CONSENT_LABEL, obj=application, user=user)
    else:  # unticked in the draft: nothing was published with it
        consents.withdraw_about(application, PUBLICATION)


def missing_fields(application):
    """The labels of the required fields still empty."""
    missing = []
    for name in REQUIRED_FIELDS:
        value = getattr(application, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(field_label(name))
    return missing


def problems_before_submission(application, now=None):
    """Everything that stands in the way of submission, in French (empty: it can go)."""
    now = now or timezone.now()
    problems = []
    if not is_editable(application):
        problems.append(_("Ce dossier a déjà été déposé."))
        return problems
    edition = application.edition
    if now > edition.call_closes_at:
        closes = date_format(timezone.localtime(edition.call_closes_at), "DATETIME_FORMAT")
        problems.append(
            _(
                "L’appel à candidatures est clos depuis le %(date)s : le dossier ne peut "
                "plus être déposé."
            )
            % {"date": closes}
        )
    elif now < edition.call_opens_at:
        problems.append(_("L’appel à candidatures n’est pas encore ouvert."))
    missing = missing_fields(application)
    if missing:
        problems.append(
            _("Champs obligatoires à remplir : %(fields)s.")
            % {"fields": ", ".join(str(label) for label in missing)}
        )
    if application.partner_confirmed_at is None:
        problems.append(
            _(
                "L’entreprise partenaire n’a pas encore confirmé le partenariat : envoyez-lui "
                "l’invitation depuis l’étape « Les partenaires »."
            )
        )
    return problems


def submit(application, now=None):
    """Submit the dossier, or raise SubmissionRefused listing why not. The row is locked, so a
    double click submits once; the confirmation e-mail leaves after the commit."""

    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("edition")
            .get(pk=application.pk)
        )
        problems = problems_before_submission(locked, now)
        if problems:
            raise SubmissionRefused(problems)
        locked.status = Application.Status.SUBMITTED
        locked.submitted_at = now
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        transaction.on_commit(partial(send_application_received.enqueue, locked.pk))
    application.status = locked.status
    application.submitted_at = locked.submitted_at
    return application


# --- The partner company's confirmation --------------------------------------------------------
#
# The link carries the dossier and the company's name and contact e-mail as they were when it
# was sent: once either changes, the old link no longer confirms anything.


def make_partner_token(application):
    """The signed link's token; call mark_partner_invited first: the link is tied to that
    invitation, and the next one (or a reset of the confirmation) voids it."""
    invited_at = application.partner_invited_at
    payload = {
        "a": application.pk,
        "e": application.company_contact_email.lower(),
        "n": application.company_name,
        "s": application.company_siret,
        "i": invited_at.isoformat() if invited_at else None,
    }
    return signing.dumps(payload, salt=PARTNER_SALT, compress=True)


class PartnerLinkInvalid(Exception):
    def __init__(self, message, status):
        self.message = message
        self.status = status
        super().__init__(message)


def read_partner_token(token):
    """The dossier the link is about; raises PartnerLinkInvalid (expired, altered, or made for
    another company or contact than the dossier's current ones)."""
    try:
        payload = signing.loads(token, salt=PARTNER_SALT, max_age=timedelta(days=PARTNER_LINK_DAYS))
    except signing.SignatureExpired:
        raise PartnerLinkInvalid(
            _(
                "Ce lien a expiré. Demandez à l’association de vous envoyer une nouvelle "
                "invitation."
            ),
            410,
        ) from None
    except signing.BadSignature:
        raise PartnerLinkInvalid(
            _(
                "Ce lien n’est pas valide. Copiez-le en entier depuis l’e-mail reçu, ou "
                "demandez une nouvelle invitation à l’association."
            ),
            400,
        ) from None
    application = (
        Application.objects.select_related("organisation", "edition")
        .filter(pk=payload.get("a"))
        .first()
    )
    if application is None:
        raise PartnerLinkInvalid(_("Ce dossier n’existe plus."), 404)
    if (
        application.company_contact_email.lower() != payload.get("e")
        or application.company_name != payload.get("n")
        or application.company_siret != payload.get("s")
    ):
        raise PartnerLinkInvalid(
            _(
                "L’association a modifié le nom de l’entreprise, son SIRET ou son contact "
                "depuis l’envoi de ce lien : il ne vaut plus. Une nouvelle invitation vous "
                "sera envoyée si besoin."
            ),
            410,
        )
    invited_at = application.partner_invited_at
    if invited_at is None or invited_at.isoformat() != payload.get("i"):
        raise PartnerLinkInvalid(
            _(
                "Ce lien a été remplacé par une invitation plus récente, ou annulé par "
                "l’association : il ne vaut plus. Utilisez le dernier lien reçu, ou demandez "
                "une nouvelle invitation à l’association."
            ),
            410,
        )
    return application


def can_invite_partner(application):
    return is_editable(application) and bool(
        application.company_contact_email and application.company_name
    )


def invited_too_recently(application, now=None):
    """True while the last invitation is less than PARTNER_INVITE_INTERVAL old."""
    invited_at = application.partner_invited_at
    now = now or timezone.now()
    return invited_at is not None and now - invited_at < PARTNER_INVITE_INTERVAL


def mark_partner_invited(application, now=None):
    application.partner_invited_at = now or timezone.now()
    application.save(update_fields=["partner_invited_at", "updated_at"])


def confirm_partner(application, now=None):
    """The company's contact confirms. Returns False when it was already confirmed (the first
    confirmation's date is kept)."""
    now = now or timezone.now()
    updated = Application.objects.filter(
        pk=application.pk, partner_confirmed_at__isnull=True
    ).update(partner_confirmed_at=now, updated_at=now)
    if updated:
        application.partner_confirmed_at = now
    return bool(updated)


# --- Staff's decisions ------------------------------------------------------------------------


@dataclass
class Decided:
    application: Application
    notified: bool  # the applicant was told by e-mail
    not_sent: bool  # an e-mail was due and the mail server refused it (logged)


def decide(application, *, status, ineligibility_reason="", prize=None, deliberation_notes="",
           notify=True):  # fmt: skip
    """Staff's decision on a submitted application: eligible or not (with the reason), shortlisted,
    laureate (with its prize) or not selected. The row is locked, so two staff members deciding at
    once leave the last decision whole. The applicant is told by e-mail when `notify` and the
    decision is one they hear about and a change; the decision stands if the e-mail cannot go."""
    if application.is_draft:
        raise ValueError("A draft has not been submitted: no decision is possible.")
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        previous = app.status
        app.status = status
        app.ineligibility_reason = (
            ineligibility_reason.strip() if status == Application.Status.INELIGIBLE else ""
        )
        app.prize = prize if status == Application.Status.LAUREATE else None
        app.deliberation_notes = deliberation_notes
        app.save(
            update_fields=[
                "status", "ineligibility_reason", "prize", "deliberation_notes", "updated_at",
            ]
        )  # fmt: skip
    due = notify and status in NOTIFIED and status != previous and app.created_by.email
    notified = bool(due) and emails.send(f"decision_{status}", {"application": app},
                                         [app.created_by.email])  # fmt: skip
    return Decided(application=app, notified=notified, not_sent=bool(due) and not notified)
