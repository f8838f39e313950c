"""Signed links e-mailed by the volunteer matching.

A link is its own proof: whoever holds it may answer for one side of one match (or confirm one
need), so it is signed with the site's secret and expires. An answer link carries no state: the
answer it leads to is recorded once on the match, and a second use finds it already there and
changes nothing (introductions.answer refuses it).

A need's « still open? » link is single-use: it carries the need's `confirmation_requested_at`
and `confirmed_at` as they were when it was made (just after the request was stamped), and is
refused (LinkUsed) once either has changed, which confirming or closing the need does.
"""

from datetime import UTC, timedelta

from django.core import signing
from django.utils.translation import gettext_lazy as _

ANSWER_SALT = "forms.introductions.answer"
NEED_SALT = "forms.introductions.need-confirmation"

# How long a side may answer an introduction from its e-mail (it can always answer from its
# space afterwards), and how long the « still open? » link of a need stays valid.
ANSWER_LINK_MAX_AGE = timedelta(days=14)
NEED_LINK_MAX_AGE = timedelta(days=30)

ASSOCIATION = "association"
VOLUNTEER = "volunteer"
SIDES = (ASSOCIATION, VOLUNTEER)


class LinkInvalid(Exception):
    """A link that cannot be used: `message` for the person, `status` for the page."""

    def __init__(self, message, status):
        self.message = message
        self.status = status
        super().__init__(str(message))


class LinkExpired(LinkInvalid):
    pass


class LinkUsed(LinkInvalid):
    pass


LINK_USED_MESSAGE = _(
    "Ce lien a déjà servi (ou un lien plus récent l’a remplacé) : il ne peut plus être "
    "utilisé. Pour changer d’avis, écrivez à l’équipe."
)


def _load(token, salt, max_age):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired(
            _(
                "Ce lien a expiré. Vous pouvez toujours répondre depuis votre espace, ou "
                "demander un nouveau lien à l’équipe."
            ),
            410,
        ) from None
    except signing.BadSignature:
        raise LinkInvalid(
            _(
                "Ce lien n’est pas valide. Copiez-le en entier depuis l’e-mail reçu, ou "
                "répondez depuis votre espace."
            ),
            400,
        ) from None


def make_answer_token(match, side):
    """The token of the link by which `side` (« association » or « volunteer ») answers."""
    if side not in SIDES:
        raise ValueError(f"Unknown side: {side!r}")
    return signing.dumps({"m": match.pk, "s": side}, salt=ANSWER_SALT, compress=True)


def read_answer_token(token):
    """(match id, side) from a token; raises LinkExpired after ANSWER_LINK_MAX_AGE, or
    LinkInvalid for a token altered or made elsewhere."""
    payload = _load(token, ANSWER_SALT, ANSWER_LINK_MAX_AGE)
    if not isinstance(payload, dict) or payload.get("s") not in SIDES:
        raise LinkInvalid(_("Ce lien n’est pas valide."), 400)
    try:
        match_id = int(payload.get("m"))
    except (TypeError, ValueError):
        raise LinkInvalid(_("Ce lien n’est pas valide."), 400) from None
    return match_id, payload["s"]


def _stamp(moment):
    """A moment as the same text whatever the time zone it was read in; None → ""."""
    return moment.astimezone(UTC).isoformat() if moment else ""


def need_link_state(need):
    """What a need's « still open? » link must find unchanged to be used."""
    return {"r": _stamp(need.confirmation_requested_at), "c": _stamp(need.confirmed_at)}


def make_need_token(need):
    """The token of the link by which the association confirms its need is still open. Make it
    from the need as saved with its request stamped: it is valid only while both stamps stay."""
    return signing.dumps({"n": need.pk, **need_link_state(need)}, salt=NEED_SALT, compress=True)


def read_need_token(token):
    """(need id, state) from a token; raises LinkExpired after NEED_LINK_MAX_AGE, or
    LinkInvalid. Check the state against the need with check_need_link."""
    payload = _load(token, NEED_SALT, NEED_LINK_MAX_AGE)
    try:
        need_id = int(payload.get("n"))
        state = {"r": str(payload["r"]), "c": str(payload["c"])}
    except (AttributeError, KeyError, TypeError, ValueError):
        raise LinkInvalid(_("Ce lien n’est pas valide."), 400) from None
    return need_id, state


def check_need_link(need, state):
    """Raise LinkUsed if the need moved on since the link was made (confirmed, closed, or asked
    again: the newest request's link is the valid one)."""
    if need_link_state(need) != state:
        raise LinkUsed(LINK_USED_MESSAGE, 410)


# --- The link that confirms a visitor's e-mail (submissions.py) ------------------------------

VERIFICATION_SALT = "forms.submissions.email-verification"
# How long the link e-mailed to a visitor stays valid.
VERIFICATION_MAX_AGE = timedelta(hours=48)


def make_verification_token(verification):
    payload = {"v": verification.pk, "e": verification.email.lower()}
    return signing.dumps(payload, salt=VERIFICATION_SALT, compress=True)
