"""Corporate-volunteer matching's tables, one module a subject: `needs` (the shared skills and
associations' board needs), `volunteers` (volunteers' offers and partner companies), `matches`
(the matches between them) and `verifications` (public submissions waiting for their e-mail to
be proven). Rules that must hold whatever the entry point are database constraints. Django finds
the models here; the rest of the code imports them from here."""

from .matches import Match
from .needs import BoardNeed, BoardRole, NeedSkill, Skill
from .verifications import EmailVerification
from .volunteers import Company, OfferSkill, VolunteerOffer

__all__ = [
    "BoardNeed",
    "BoardRole",
    "Company",
    "EmailVerification",
    "Match",
    "NeedSkill",
    "OfferSkill",
    "Skill",
    "VolunteerOffer",
]
