"""The social-utility tables, one module a subject: `framework` (dimensions, indicators,
breakdowns), `campaigns` (a year's call for reports) and `reports` (what a member answers, and
its review). Django finds the models here; the rest of the code imports them from here."""

from .campaigns import Campaign, CampaignIndicator
from .framework import Breakdown, BreakdownCategory, Dimension, Indicator
from .reports import Answer, AnswerPart, Report

__all__ = [
    "Answer",
    "AnswerPart",
    "Breakdown",
    "BreakdownCategory",
    "Campaign",
    "CampaignIndicator",
    "Dimension",
    "Indicator",
    "Report",
]
