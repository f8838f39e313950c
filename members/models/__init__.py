"""The members app's tables, one module a subject: `organisations` (organisations, sectors,
contacts, invitations) and `dues` (the fee grid, memberships, payments, receipts, reminders and
the membership settings). Django finds them here; the rest of the code imports them from here."""

from .dues import (
    FeeGrid,
    FeeTier,
    Membership,
    MembershipReminder,
    MembershipSettings,
    Payment,
    Receipt,
    ReceiptSequence,
    StripeEvent,
    parse_offsets,
    validate_offsets,
)
from .organisations import (
    BudgetBracket,
    Contact,
    ContactInvitation,
    ContactInvitationQuerySet,
    LegalForm,
    Organisation,
    Sector,
)

__all__ = [
    "BudgetBracket",
    "Contact",
    "ContactInvitation",
    "ContactInvitationQuerySet",
    "FeeGrid",
    "FeeTier",
    "LegalForm",
    "Membership",
    "MembershipReminder",
    "MembershipSettings",
    "Organisation",
    "Payment",
    "Receipt",
    "ReceiptSequence",
    "Sector",
    "StripeEvent",
    "parse_offsets",
    "validate_offsets",
]
