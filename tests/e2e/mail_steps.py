"""The links the site e-mails, opened as a person opens them: on the live server."""

import re
from urllib.parse import urlsplit

from django.core import mail


def email_link(base_url, pattern, to=None):
    """The newest e-mailed link whose path matches `pattern` (optionally in a message sent to
    `to`), moved onto the live server."""
    for message in reversed(mail.outbox):
        if to and to not in message.to:
            continue
        bodies = [message.body] + [
            content for content, mimetype in getattr(message, "alternatives", [])
        ]
        for body in bodies:
            for url in re.findall(r"https?://[^\s\"'<>]+", body):
                parts = urlsplit(url)
                if re.search(pattern, parts.path):
                    return base_url + parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no e-mailed link matching {pattern!r}")
