"""The public submissions: an association's board need, a volunteer's offer.

Someone logged in is who they say they are: their need or offer is created at once. A visitor
without an account only proves an e-mail address by clicking the link sent to it, so what they
typed waits in an EmailVerification (plain JSON) and nothing real exists until they confirm:
a stranger's address never gets an account, an organisation or a published need it did not ask
for. The link is signed and dated (48 hours), and its verification is used once.

Every function takes and returns model objects or plain data, never a request. E-mails leave
after the commit, from background tasks; one that cannot leave never undoes the submission.
"""

from datetime import datetime, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from members import contacts
from members.models import Organisation, Sector
from privacy import consents

from .emails import (
    notify_staff_of_submission,
    send_need_received,
    send_offer_received,
    send_verification,
)
from .forms.needs import KNOWN_ORGANISATION, NeedForm
from .forms.offers import OfferForm
from .models import (
    BoardNeed,
    Company,
    EmailVerification,
    NeedSkill,
    OfferSkill,
    Skill,
    VolunteerOffer,
)
from .processing import NEED, OFFER
from .tokens import VERIFICATION_MAX_AGE, VERIFICATION_SALT


class VerificationInvalid(Exception):
    """A verification link that cannot be used: `message` for the person, `status` for the
    page."""

    def __init__(self, message, status):
        self.message = message
        self.status = status
        super().__init__(str(message))


def organisations_of_contact(user):
    """The organisations `user` is a contact of (erased ones apart): the only ones they may
    submit a need for."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(contacts__user=user, pseudonymised_at__isnull=True)
        .distinct()
        .order_by("name")
    )


# --- Created at once (logged in) ---------------------------------------------------------------

# The same submission received again within this time is the first one (nothing new is made).
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=10)


def _lock(user):
    """Serialise one user's submissions (PostgreSQL), so a double click sees the first."""
    if user is not None and user.pk:
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _skills(pairs):
    """[[skill id, grade], …] from a payload, keeping the skills that still exist and the
    grades in range (the payload may have waited two days in the database)."""
    grades = {int(pk): int(grade) for pk, grade in pairs if 1 <= int(grade) <= 3}
    existing = set(Skill.objects.filter(pk__in=grades).values_list("pk", flat=True))
    return [(pk, grade) for pk, grade in grades.items() if pk in existing]


def _consent_at(data, now):
    """When the form's consent was given: when it was sent, kept in the payload while the
    e-mail address waited for its verification (see _start), or now."""
    sent = data.get("consent_at")
    return datetime.fromisoformat(sent) if sent else now


def _record_consent(what, item, user, language):
    """The form's consent, as a record: the box's label in the language it was shown in, when
    it was ticked (consent_at), by whom (privacy.consents)."""

    form, kind = (NeedForm, NEED) if what == "need" else (OfferForm, OFFER)
    with translation.override(language):
        label = str(form.base_fields["consent"].label)
    consents.record(kind, label, obj=item, user=user, at=item.consent_at, language=language)


def create_need(organisation, data, user, language="fr"):
    """The need `data` (NeedForm.payload()) for `organisation`, open and confirmed now, with
    its skills; its sender and the staff are e-mailed after the commit."""

    now = timezone.now()
    with transaction.atomic():
        _lock(user)
        twin = BoardNeed.objects.filter(
            organisation=organisation,
            created_by=user,
            role=data["role"],
            description=data["description"],
            created_at__gte=now - DOUBLE_SUBMIT_WINDOW,
        ).first()
        if twin is not None:  # the same form sent twice (a double click, a reload)
            return twin
        need = BoardNeed.objects.create(
            organisation=organisation,
            created_by=user,
            role=data["role"],
            hours_per_month=data["hours_per_month"],
            mandate_months=data["mandate_months"],
            departement=data["departement"],
            commune=data.get("commune", ""),
            description=data["description"],
            visibility=data["visibility"],
            status=BoardNeed.Status.OPEN,
            confirmed_at=now,
            consent_at=_consent_at(data, now),
        )
        NeedSkill.objects.bulk_create(
            NeedSkill(need=need, skill_id=pk, importance=grade)
            for pk, grade in _skills(data["skills"])
        )
        _record_consent("need", need, user, language)
        transaction.on_commit(partial(send_need_received.enqueue, need.pk, language))
        transaction.on_commit(partial(notify_staff_of_submission.enqueue, "need", need.pk))
    return need


def create_offer(user, data, language="fr"):
    """The offer `data` (OfferForm.payload()) of `user`, available now, with its skills and
    sectors; its sender and the staff are e-mailed after the commit."""

    company_id = data.get("company")
    company = Company.objects.filter(pk=company_id).first() if company_id else None
    with transaction.atomic():
        _lock(user)
        twin = VolunteerOffer.objects.filter(
            user=user,
            motivation=data["motivation"],
            created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
        ).first()
        if twin is not None:  # the same form sent twice (a double click, a reload)
            return twin
        offer = VolunteerOffer.objects.create(
            user=user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data.get("phone", ""),
            company=company,
            job_title=data.get("job_title", ""),
            hours_per_month=data["hours_per_month"],
            departements=list(data["departements"]),
            motivation=data["motivation"],
            anonymous=bool(data.get("anonymous", True)),
            status=VolunteerOffer.Status.AVAILABLE,
            consent_at=_consent_at(data, timezone.now()),
        )
        OfferSkill.objects.bulk_create(
            OfferSkill(offer=offer, skill_id=pk, level=grade)
            for pk, grade in _skills(data["skills"])
        )
        _record_consent("offer", offer, user, language)
        offer.preferred_sectors.set(Sector.objects.filter(pk__in=data.get("sectors") or []))
        # An account without a name (made from an e-mail alone) takes the one just typed.
        if not (user.first_name or user.last_name):
            user.first_name, user.last_name = data["first_name"], data["last_name"]
            user.save(update_fields=["first_name", "last_name"])
        transaction.on_commit(partial(send_offer_received.enqueue, offer.pk, language))
        transaction.on_commit(partial(notify_staff_of_submission.enqueue, "offer", offer.pk))
    return offer


def create_organisation_and_need(user, organisation_data, contact_data, need_data, language="fr"):
    """A logged-in user without an organisation: their organisation, with them as its primary
    contact, and its need. Raises VerificationInvalid if the organisation became known."""
    if not contacts.may_be_invited(user):
        # Staff accounts are never attached to an organisation (its erasure would touch them),
        # and an inactive account cannot log in.
        raise VerificationInvalid(
            _("Cette adresse ne peut pas être utilisée ici : écrivez à l’équipe du réseau."), 403
        )
    with transaction.atomic():
        organisation = _create_organisation(organisation_data)
        contacts.attach(
            organisation, user, role=contact_data["role"], phone=contact_data.get("phone", "")
        )
        return create_need(organisation, need_data, user, language)


def _known_organisation(data):
    lookup = Q()
    if data.get("rna"):
        lookup |= Q(rna=data["rna"])
    if data.get("siret"):
        lookup |= Q(siret=data["siret"])
    return bool(lookup) and Organisation.objects.filter(lookup).exists()


def _known_organisation_error():

    return VerificationInvalid(KNOWN_ORGANISATION, 409)


def _create_organisation(data):
    """Within the caller's transaction; the identifiers were free when typed, but another
    submission may have taken them since."""
    if _known_organisation(data):
        raise _known_organisation_error()
    fields = {k: v for k, v in data.items() if k != "sectors"}
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(**fields)
    except IntegrityError:
        raise _known_organisation_error() from None
    organisation.sectors.set(Sector.objects.filter(pk__in=data.get("sectors") or []))
    return organisation


# --- Waiting for the e-mail (anonymous) --------------------------------------------------------


def start_need_submission(data, language="fr"):
    """Keep an anonymous visitor's need until they confirm their e-mail; send them the link.

    `data`: {"organisation": NeedOrganisationForm.payload(), "contact":
    NeedContactForm.payload(), "need": NeedForm.payload()}."""
    return _start(EmailVerification.Kind.NEED, data["contact"]["email"], data, language)


def start_offer_submission(data, language="fr"):
    """Keep an anonymous visitor's offer (OfferForm.payload(), with "email") until they
    confirm their e-mail; send them the link."""
    return _start(EmailVerification.Kind.OFFER, data["email"], data, language)


def _start(kind, email, data, language):

    # The consent is given now, with the form; the need or offer is made at the verification.
    sent = timezone.now().isoformat()
    if kind == EmailVerification.Kind.NEED:
        data = {**data, "need": {**data["need"], "consent_at": sent}}
    else:
        data = {**data, "consent_at": sent}
    with transaction.atomic():
        verification = EmailVerification.objects.create(
            kind=kind, email=email, payload=data, language=language or "fr"
        )
        transaction.on_commit(partial(send_verification.enqueue, verification.pk))
    return verification


def read_verification_token(token):
    """The EmailVerification the link is about, not used yet; raises VerificationInvalid
    (altered, expired, already used)."""
    try:
        payload = signing.loads(token, salt=VERIFICATION_SALT, max_age=VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        raise VerificationInvalid(
            _(
                "Ce lien a expiré : il n’est valable que 48 heures. Rien n’a été enregistré ; "
                "remplissez de nouveau le formulaire pour recevoir un nouveau lien."
            ),
            410,
        ) from None
    except signing.BadSignature:
        raise VerificationInvalid(
            _("Ce lien n’est pas valide. Copiez-le en entier depuis l’e-mail reçu."), 400
        ) from None
    verification = EmailVerification.objects.filter(pk=payload.get("v")).first()
    if verification is None or verification.email.lower() != payload.get("e"):
        raise VerificationInvalid(_("Cette demande n’existe plus."), 404)
    if verification.used_at is not None:
        raise _already_used(verification)
    return verification


def _already_used(verification):
    return VerificationInvalid(
        _(
            "Ce lien a déjà servi le %(date)s : votre envoi est bien enregistré, il n’y a rien "
            "d’autre à faire."
        )
        % {"date": date_format(timezone.localtime(verification.used_at), "SHORT_DATETIME_FORMAT")},
        410,
    )


def account_for_email(email, first_name="", last_name=""):
    """The account of `email` (whatever its case), or a new one named after it (lower-cased)
    with no usable password: its owner sets one with « mot de passe oublié »."""
    users = get_user_model()._default_manager
    user = users.filter(email__iexact=email).order_by("pk").first()
    if user is not None:
        return user
    username = email.lower()
    if users.filter(username__iexact=username).exists():
        # A login equal to this address but with another e-mail: not ours to reuse.
        raise VerificationInvalid(
            _("Cette adresse ne peut pas être utilisée ici : écrivez à l’équipe du réseau."), 409
        )
    return users.create_user(
        username=username, email=email, first_name=first_name, last_name=last_name
    )


def confirm_verification(verification):
    """Create what the verified visitor submitted, once: the organisation, the account, the
    contact and the need; or the account and the offer. Returns the BoardNeed or the
    VolunteerOffer; raises VerificationInvalid (already used, organisation known since…),
    in which case nothing is created."""
    with transaction.atomic():
        locked = EmailVerification.objects.select_for_update().get(pk=verification.pk)
        if locked.used_at is not None:
            raise _already_used(locked)
        data = locked.payload
        if locked.kind == EmailVerification.Kind.NEED:
            created = _confirm_need(data, locked.language)
        else:
            created = _confirm_offer(data, locked.language)
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
    verification.used_at = locked.used_at
    return created


def _confirm_need(data, language):
    contact = data["contact"]
    user = account_for_email(contact["email"], contact["first_name"], contact["last_name"])
    return create_organisation_and_need(user, data["organisation"], contact, data["need"], language)


def _confirm_offer(data, language):
    user = account_for_email(data["email"], data["first_name"], data["last_name"])
    if not user.is_active:
        raise VerificationInvalid(
            _("Cette adresse ne peut pas être utilisée ici : écrivez à l’équipe du réseau."), 403
        )
    return create_offer(user, data, language)


def purge_verifications(now=None):
    """Delete the verifications whose link has expired (used or not): what a visitor typed is
    not kept beyond the link's life. Returns how many were deleted."""
    limit = (now or timezone.now()) - VERIFICATION_MAX_AGE
    deleted, _per_model = EmailVerification.objects.filter(created_at__lt=limit).delete()
    return deleted
