"""Consents as records: what was accepted (the text, by its hash), by whom, about what, when;
and its withdrawal, whose effect the app that asked for the consent carries out.

The apps declare the kinds of consent they ask for (`register_kind`, in their `processing.py`),
record one when a person ticks the box (`record`), and listen to `consent_withdrawn` to undo
what the consent allowed (a laureate page unpublished, an offer withdrawn…): this module knows
none of them.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone, translation

from .models import Consent, ConsentText

# Sent inside the withdrawal's transaction, with `consent` (its kind, object_model, object_id).
consent_withdrawn = Signal()


@dataclass(frozen=True)
class ConsentKind:
    slug: str
    label: str  # what the person agreed to, as their space lists it
    processing: str  # the register's processing it is the legal basis of
    withdrawable: bool = True
    # What a withdrawal does, said to the person before they confirm it.
    effect: str = ""


_KINDS: dict[str, ConsentKind] = {}


def register_kind(*kinds):
    for kind in kinds:
        if kind.slug in _KINDS:
            raise ImproperlyConfigured(f"Consent kind {kind.slug!r} is declared twice.")
        _KINDS[kind.slug] = kind


def kind(slug):
    return _KINDS[slug]


def kinds():
    return list(_KINDS.values())


def known_kinds():
    return set(_KINDS)


def object_key(obj):
    """("app_label.model", "pk") naming `obj` in a consent row."""
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def text_version(kind_slug, text, language=None):
    """The stored version of `text` (made on its first acceptance)."""
    text = str(text)
    version, _created = ConsentText.objects.get_or_create(
        kind=kind_slug,
        sha256=ConsentText.digest(text),
        defaults={"text": text, "language": language or translation.get_language() or ""},
    )
    return version


def record(kind_slug, text, *, obj=None, user=None, email="", at=None, language=None):
    """Record that `user` (or the person at `email`) accepted `text` about `obj`. Accepting the
    same text again about the same thing while the consent stands records nothing new."""
    kind(kind_slug)  # an undeclared kind is a programming error
    version = text_version(kind_slug, text, language)
    model, pk = object_key(obj)
    who = Q(user=user) if user is not None else Q(user=None, email__iexact=email)
    standing = Consent.objects.filter(
        who, kind=kind_slug, object_model=model, object_id=pk, withdrawn_at=None
    ).first()
    if standing is not None and standing.text_id == version.pk:
        return standing
    if standing is not None:  # a new version of the text replaces the one accepted before
        standing.withdrawn_at = at or timezone.now()
        standing.save(update_fields=["withdrawn_at"])
    return Consent.objects.create(
        kind=kind_slug,
        text=version,
        user=user,
        email=email or (user.email if user is not None else ""),
        object_model=model,
        object_id=pk,
        given_at=at or timezone.now(),
    )


def standing_for(obj, kind_slug):
    model, pk = object_key(obj)
    return Consent.objects.filter(
        kind=kind_slug, object_model=model, object_id=pk, withdrawn_at=None
    )


def withdraw(consent, *, at=None):
    """Withdraw a consent and have its app carry out the effect, in one transaction. Returns
    False when it was already withdrawn (a second click changes nothing)."""
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            return False
        locked.withdrawn_at = at or timezone.now()
        locked.save(update_fields=["withdrawn_at"])
        consent_withdrawn.send(sender=Consent, consent=locked)
    consent.withdrawn_at = locked.withdrawn_at
    return True


def withdraw_about(obj, kind_slug, *, at=None):
    """The person unticked the box (a draft's consent step): every standing consent of this
    kind about `obj` is withdrawn, without the effect signal (nothing was done with it yet
    that the app does not undo itself)."""
    return standing_for(obj, kind_slug).update(withdrawn_at=at or timezone.now())


def belongs_to(consent, user):
    """Whether `consent` is one `user` gave (see consents_of)."""
    if consent.user_id is not None:
        return consent.user_id == user.pk
    return bool(user.email) and consent.email.lower() == user.email.lower()


def consents_of(user):
    """The consents a signed-in person gave: with their account, or with its verified address
    before they had one (a volunteer's offer confirmed by e-mail)."""
    mine = Q(user=user)
    if user.email:
        mine |= Q(user=None, email__iexact=user.email)
    return Consent.objects.filter(mine).select_related("text")
