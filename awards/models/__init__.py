"""The « La part des autres » award's tables, one module a subject: `editions` (an edition, its
prizes and its grid), `applications` (the dossiers and their files) and `jury` (jurors, their
assignments, reminders and scores). Rules that must hold whatever the entry point are database
constraints. Django finds the models here; the rest of the code imports them from here."""

from .applications import PARTNER_LINK_DAYS, Application, Attachment
from .editions import AwardEdition, EvaluationCriterion, Prize
from .jury import Juror, JuryAssignment, JuryReminder, Score, juror_workload

__all__ = [
    "PARTNER_LINK_DAYS",
    "Application",
    "Attachment",
    "AwardEdition",
    "EvaluationCriterion",
    "Juror",
    "JuryAssignment",
    "JuryReminder",
    "Prize",
    "Score",
    "juror_workload",
]

# Wagtail pages of this app, in their own module.
from ..pages import AwardPage, LaureatePage  # noqa: E402,F401
