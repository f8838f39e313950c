from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What keeps the site running in production: the scheduler of the daily commands, the
    worker's and scheduler's heartbeats, /health/, backups, and how the site answers when a
    service it depends on (database, cache, object storage) is down. It imports no other app of
    ours: the jobs it schedules are management commands, called by name."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "operations"
    verbose_name = _("Exploitation")
