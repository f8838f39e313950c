"""The life of a match: proposed, introduced to both sides, answered by each, ended.

    PROPOSED ──introduce──▶ INTRODUCED ──both accept──▶ ACCEPTED ──end──▶ ENDED
        │                        │ one declines
        └────────end────────▶ ENDED  └──────────▶ DECLINED

Every change locks the match (select_for_update) and checks its status inside the transaction,
so two clicks, or staff and a volunteer at the same moment, cannot both move it. E-mails leave
after the commit (forms/emails.py, whose sending never raises): the change
stands even when the e-mail cannot be sent.

Privacy: an association sees an anonymous volunteer's name, e-mail and phone only once both
sides have accepted (or if the volunteer chose not to be anonymous). disclosure.py is that
rule, written once, used by the pages and the e-mails.

When both accept, the need becomes « en cours », not « pourvu »: the volunteer still has to be
elected by the association's general assembly or its board. Staff mark the need filled when
that happens. The offer becomes « engagé·e » (no new proposals, introductions nor acceptances:
its other pending matches stay for staff to end), and available again when its last accepted
match ends. A need has at most one accepted match; when it ends, an « en cours » need is open
again.

Conflicts of interest (conflict_of_interest): a volunteer is never put in touch with an
association they are a contact of, nor with one their company partners. The suggestions leave
these pairs out (matching_data); propose, introduce and an acceptance refuse them.
"""

from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from members.models import Contact

from .emails import (
    send_accepted,
    send_declined,
    send_interest_to_staff,
    send_introduction,
)
from .models import BoardNeed, Company, Match, VolunteerOffer
from .tokens import ASSOCIATION, SIDES, VOLUNTEER

__all__ = [
    "ASSOCIATION",
    "VOLUNTEER",
    "SIDES",
    "MatchError",
    "propose",
    "introduce",
    "answer",
    "end",
    "conflict_of_interest",
]

# A need can still be introduced or accepted in these states (not once filled or closed).
ACTIVE_NEED_STATUSES = (BoardNeed.Status.OPEN, BoardNeed.Status.IN_PROGRESS)


def _engaged_message():
    return _(
        "Cette personne bénévole est déjà engagée dans un mandat : la mise en relation n’est "
        "plus possible."
    )


class MatchError(Exception):
    """A change the match's state does not allow; `message` is for the person (French)."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def _score(need, offer):
    # Here, not at the top: the matching's numpy (some 80 modules, about 10 MB a worker) loads
    # only in a process that scores a pair, not in every web worker at start.
    from .matching import score_pair

    return Decimal(str(round(float(score_pair(need, offer)), 1)))


def _locked(match):
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related("need__organisation", "offer__user")
        .get(pk=match.pk)
    )


def _append_note(match, text, now):
    line = f"{formats.date_format(timezone.localtime(now), 'SHORT_DATETIME_FORMAT')} — {text}"
    match.notes = f"{match.notes.rstrip()}\n{line}" if match.notes.strip() else line


def _who(user):
    return (user.get_full_name() or user.email or user.get_username()) if user else ""


def conflict_of_interest(need, offer):
    """Why `offer`'s volunteer may not be put in touch with `need`'s association (French), or
    None: they are one of its contacts, or their company partners it. The one rule for the
    pages and the services (the suggestions apply it in bulk in matching_data)."""

    organisation_id = need.organisation_id
    if Contact.objects.filter(organisation_id=organisation_id, user_id=offer.user_id).exists():
        return _(
            "La personne bénévole est contact de cette association : la mise en relation "
            "n’est pas possible (conflit d’intérêts)."
        )
    if (
        offer.company_id
        and Company.partner_organisations.through.objects.filter(
            company_id=offer.company_id, organisation_id=organisation_id
        ).exists()
    ):
        return _(
            "L’entreprise de la personne bénévole est partenaire de cette association : la mise "
            "en relation n’est pas possible (conflit d’intérêts)."
        )
    return None


def _check_active(need, offer):
    if need.status not in ACTIVE_NEED_STATUSES:
        raise MatchError(
            _("Ce besoin n’est plus ouvert (%(status)s) : la mise en relation n’est plus possible.")
            % {"status": need.get_status_display()}
        )
    if offer.status == VolunteerOffer.Status.WITHDRAWN:
        raise MatchError(
            _("Cette offre de bénévolat a été retirée : la mise en relation n’est plus possible.")
        )
    if offer.status == VolunteerOffer.Status.ENGAGED:
        raise MatchError(_engaged_message())
    reason = conflict_of_interest(need, offer)
    if reason:
        raise MatchError(reason)


def _on_commit(task, match_id, *args):
    transaction.on_commit(partial(task.enqueue, match_id, *args))


def propose(need, offer, *, by=None, origin=Match.Origin.STAFF, message=""):
    """The match between `need` and `offer`, created (status PROPOSED) if it does not exist.

    Calling it again returns the same match and changes nothing. A new match from the
    volunteer's interest tells staff, after the commit. Refused (MatchError) for a need that
    is filled or closed, an offer withdrawn or engaged, or a conflict of interest.
    """
    existing = Match.objects.filter(need=need, offer=offer).first()
    if existing is not None:
        return existing
    _check_active(need, offer)
    score = _score(need, offer)
    try:
        # Its own savepoint: a concurrent call that created the pair first makes this insert
        # fail on the unique constraint without breaking the caller's transaction.
        with transaction.atomic():
            match = Match.objects.create(
                need=need,
                offer=offer,
                score=score,
                origin=origin,
                interest_message=message or "",
                proposed_by=by,
            )
    except IntegrityError:
        return Match.objects.get(need=need, offer=offer)
    if origin == Match.Origin.INTEREST:
        _on_commit(send_interest_to_staff, match.pk)
    return match


def introduce(match, *, by=None, now=None):
    """Send the introduction to both sides: the association's contacts and the volunteer each
    get an e-mail with their own signed links to accept or decline. Only from PROPOSED, and
    refused like propose (need no longer open, offer withdrawn or engaged, conflict)."""
    now = now or timezone.now()
    with transaction.atomic():
        match = _locked(match)
        if match.status != Match.Status.PROPOSED:
            raise MatchError(
                _(
                    "Cette mise en relation est déjà « %(status)s » : elle ne peut plus être "
                    "envoyée."
                )
                % {"status": match.get_status_display()}
            )
        _check_active(match.need, match.offer)
        match.status = Match.Status.INTRODUCED
        match.introduced_at = now
        if by is not None:
            _append_note(match, _("mise en relation envoyée par %(who)s") % {"who": _who(by)}, now)
        match.save(update_fields=["status", "introduced_at", "notes"])

        _on_commit(send_introduction, match.pk)
    return match


def answer(match, side, accepted, *, now=None):
    """Record `side`'s answer (« association » or « volunteer »), once.

    A decline ends the introduction (DECLINED) and tells the other side, without naming an
    anonymous volunteer. When both have accepted: ACCEPTED, the need « en cours », the offer
    « engagé·e », and both get each other's contact details. An acceptance is refused
    (MatchError) when the need is no longer open, the offer is withdrawn or already engaged
    (by another accepted match), the need already has an accepted match, or the pair is a
    conflict of interest; declining stays possible.
    """
    if side not in SIDES:
        raise ValueError(f"Unknown side: {side!r}")
    now = now or timezone.now()
    with transaction.atomic():
        match = _locked(match)
        if getattr(match, f"{side}_answer"):
            raise MatchError(
                _(
                    "Vous avez déjà répondu à cette mise en relation : votre réponse est "
                    "enregistrée."
                )
            )
        if match.status != Match.Status.INTRODUCED:
            raise MatchError(
                _("Cette mise en relation est « %(status)s » : elle n’attend plus de réponse.")
                % {"status": match.get_status_display()}
            )
        if accepted:
            # Locked in this order (need, then offer) everywhere: two acceptances at once of
            # matches sharing the need or the offer wait for each other, and the second sees
            # the first.
            need = BoardNeed.objects.select_for_update().get(pk=match.need_id)
            offer = VolunteerOffer.objects.select_for_update().get(pk=match.offer_id)
            match.need, match.offer = need, offer
            # Accepting a seat on a board that is no longer sought would revive a closed need.
            _check_active(need, offer)
            accepted_elsewhere = Match.objects.filter(status=Match.Status.ACCEPTED).exclude(
                pk=match.pk
            )
            if accepted_elsewhere.filter(need_id=need.pk).exists():
                raise MatchError(
                    _(
                        "Ce besoin a déjà une mise en relation acceptée : celle-ci ne peut plus "
                        "être acceptée."
                    )
                )
            if accepted_elsewhere.filter(offer_id=offer.pk).exists():
                # Staff may have set the offer back to available by hand: the match decides.
                raise MatchError(_engaged_message())
        setattr(
            match, f"{side}_answer", Match.Answer.ACCEPTED if accepted else Match.Answer.DECLINED
        )
        setattr(match, f"{side}_answered_at", now)
        fields = [f"{side}_answer", f"{side}_answered_at", "status"]

        if not accepted:
            match.status = Match.Status.DECLINED
            match.declined_at = now
            fields.append("declined_at")
            _on_commit(send_declined, match.pk, side)
        elif match.identities_revealed:
            match.status = Match.Status.ACCEPTED
            match.accepted_at = now
            fields.append("accepted_at")
            need, offer = match.need, match.offer  # locked above
            if need.status == BoardNeed.Status.OPEN:
                need.status = BoardNeed.Status.IN_PROGRESS
                need.save(update_fields=["status", "updated_at"])
            if offer.status == VolunteerOffer.Status.AVAILABLE:
                offer.status = VolunteerOffer.Status.ENGAGED
                offer.save(update_fields=["status", "updated_at"])
            # The offer's other pending matches stay as they are: staff decide; none of them
            # can be accepted any more (the offer is engaged).
            _on_commit(send_accepted, match.pk)
        match.save(update_fields=fields)
    return match


def end(match, *, by=None, note="", now=None):
    """Close the follow-up of a match (PROPOSED, INTRODUCED or ACCEPTED → ENDED); `note` is
    added to its notes. Ending an ACCEPTED match: the offer is available again if no other
    accepted match engages it, and a need still « en cours » whose only accepted match this was
    is open again (confirmed_at = now: listed and suggested for another period). A need staff
    marked filled or closed keeps its status."""
    now = now or timezone.now()
    endable = (Match.Status.PROPOSED, Match.Status.INTRODUCED, Match.Status.ACCEPTED)
    with transaction.atomic():
        match = _locked(match)
        if match.status not in endable:
            raise MatchError(
                _("Cette mise en relation est « %(status)s » : elle ne peut pas être terminée.")
                % {"status": match.get_status_display()}
            )
        was_accepted = match.status == Match.Status.ACCEPTED
        match.status = Match.Status.ENDED
        match.ended_at = now
        text = _("terminée par %(who)s") % {"who": _who(by)} if by else _("terminée")
        if note.strip():
            text = f"{text} : {note.strip()}"
        _append_note(match, text, now)
        match.save(update_fields=["status", "ended_at", "notes"])
        # Need, then offer: the order answer() locks them in.
        need = BoardNeed.objects.select_for_update().get(pk=match.need_id)
        offer = VolunteerOffer.objects.select_for_update().get(pk=match.offer_id)
        accepted = Match.objects.filter(status=Match.Status.ACCEPTED).exclude(pk=match.pk)
        if (
            was_accepted
            and need.status == BoardNeed.Status.IN_PROGRESS
            and not accepted.filter(need=need).exists()
        ):
            # Nobody is on the way to the seat any more: the need is sought again.
            need.status = BoardNeed.Status.OPEN
            need.confirmed_at = now
            need.save(update_fields=["status", "confirmed_at", "updated_at"])
        if (
            offer.status == VolunteerOffer.Status.ENGAGED
            and not accepted.filter(offer=offer).exists()
        ):
            offer.status = VolunteerOffer.Status.AVAILABLE
            offer.save(update_fields=["status", "updated_at"])
        match.need = need
        match.offer = offer
    return match
