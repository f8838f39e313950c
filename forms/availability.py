"""Whether a need or an offer is still there for the matching, at its owner's word: the
association confirms its need still open or closes it (the « still open? » link of the 90-day
reminder), and a withdrawn consent withdraws the offer or closes the need, the introductions
still waiting ending with it (introductions.end).

Each change locks the need or offer (select_for_update) and checks its status inside the
transaction; a refusal is a MatchError, as for the match's own changes.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .introductions import ACTIVE_NEED_STATUSES, MatchError, end
from .models import BoardNeed, Match, VolunteerOffer
from .tokens import LinkUsed, check_need_link


def _check_link(need, link):
    """`link`: the state read from the « still open? » link (tokens.read_need_token), or None
    when the call does not come from a link. A used link is refused on the locked row, so two
    clicks at once cannot both act."""
    if link is None:
        return

    try:
        check_need_link(need, link)
    except LinkUsed as used:
        raise MatchError(used.message) from None


def confirm_need_open(need, *, now=None, link=None):
    """The association says its need is still open: it stays listed for another period. With
    `link` (see _check_link), refused once that link has served."""
    now = now or timezone.now()
    with transaction.atomic():
        need = BoardNeed.objects.select_for_update().get(pk=need.pk)
        _check_link(need, link)
        if need.status not in ACTIVE_NEED_STATUSES:
            raise MatchError(
                _("Ce besoin est « %(status)s » : il n’y a plus rien à confirmer.")
                % {"status": need.get_status_display()}
            )
        need.confirmed_at = now
        need.confirmation_requested_at = None
        need.save(update_fields=["confirmed_at", "confirmation_requested_at", "updated_at"])
    return need


def close_need(need, *, now=None, link=None):
    """The association closes its open need: it leaves the listing and the suggestions. Only
    from OPEN: a need « en cours » has an accepted volunteer on the way to the board, and a
    filled one is done; staff follow those. With `link`, refused once that link has served."""
    now = now or timezone.now()
    with transaction.atomic():
        need = BoardNeed.objects.select_for_update().get(pk=need.pk)
        _check_link(need, link)
        if need.status == BoardNeed.Status.CLOSED:
            raise MatchError(_("Ce besoin est déjà fermé."))
        if need.status != BoardNeed.Status.OPEN:
            raise MatchError(
                _(
                    "Ce besoin est « %(status)s » : il ne peut pas être fermé depuis ce lien. "
                    "Une personne bénévole a accepté de vous rejoindre ; écrivez à l’équipe si "
                    "vous n’en avez plus besoin."
                )
                % {"status": need.get_status_display()}
            )
        need.status = BoardNeed.Status.CLOSED
        need.closed_at = now
        need.confirmation_requested_at = None
        need.save(update_fields=["status", "closed_at", "confirmation_requested_at", "updated_at"])
    return need


def _end_pending(matches, note):
    for match in matches.filter(status__in=(Match.Status.PROPOSED, Match.Status.INTRODUCED)):
        end(match, note=note)


def withdraw_offer(offer_id, *, now=None):
    """The volunteer withdrew their consent: the offer is withdrawn (no longer listed, matched
    or suggested) and the introductions still waiting end. An accepted match is left to the
    people in it and to staff."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = VolunteerOffer.objects.select_for_update().filter(pk=offer_id).first()
        if offer is None:
            return None
        _end_pending(offer.matches.all(), str(_("consentement retiré par la personne bénévole")))
        offer.refresh_from_db()
        offer.status = VolunteerOffer.Status.WITHDRAWN
        offer.save(update_fields=["status", "updated_at"])
    return offer


def withdraw_need(need_id, *, now=None):
    """The association withdrew its consent: an open need is closed, and the introductions
    still waiting end. A need « en cours » keeps its accepted volunteer; staff follow it."""
    now = now or timezone.now()
    with transaction.atomic():
        need = BoardNeed.objects.select_for_update().filter(pk=need_id).first()
        if need is None:
            return None
        _end_pending(need.matches.all(), str(_("consentement retiré par l’association")))
        need.refresh_from_db()
        if need.status == BoardNeed.Status.OPEN:
            need.status = BoardNeed.Status.CLOSED
            need.closed_at = now
            need.confirmation_requested_at = None
            need.save(
                update_fields=["status", "closed_at", "confirmation_requested_at", "updated_at"]
            )
    return need
