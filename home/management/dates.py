"""The `--date AAAA-MM-JJ` option the daily commands share (replaying a given day)."""

import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def command_date(value):
    """The day given on the command line, or a French error naming what was typed."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("Date invalide « %(value)s » : attendu AAAA-MM-JJ.") % {"value": value}
        ) from error
