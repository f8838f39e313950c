"""E-mails of the volunteer matching, through the site's one sender (home/emails.py): templates
in forms/templates/forms/email/<name>_subject.txt and <name>_body.txt."""

from home.emails import (
    absolute_reverse,
    absolute_url,
    addresses_of_users_with_permission,
    send_templated_mail,
)

__all__ = ["absolute_reverse", "absolute_url", "send", "staff_recipients"]


def send(template, context, recipients, language=None):
    """Send forms/email/<template> to `recipients` in `language` (French by default); True when
    sent (home.emails' policy: a refusal is logged, never raised)."""
    return send_templated_mail(f"forms/email/{template}", context, recipients, language=language)


def staff_recipients():
    """Addresses of the active users who may change matches (and superusers)."""
    return addresses_of_users_with_permission("forms", "change_match")
