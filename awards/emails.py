"""E-mails of the award, through the site's one sender (home/emails.py): templates in
awards/templates/awards/email/<name>_subject.txt and <name>_body.txt."""

from home.emails import absolute_url, addresses_of_users_with_permission, send_templated_mail

__all__ = ["absolute_url", "send", "staff_recipients"]


def send(template, context, recipients, language=None):
    """Send awards/email/<template> to `recipients`; True when sent (home.emails' policy)."""
    return send_templated_mail(f"awards/email/{template}", context, recipients, language=language)


def staff_recipients():
    """Addresses of the active users who may change applications (and superusers)."""
    return addresses_of_users_with_permission("awards", "change_application")
