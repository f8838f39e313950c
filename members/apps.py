from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"
    verbose_name = _("Adhérents")

    def ready(self):
        from . import checks  # noqa: F401 (checks register themselves)
        from .signals import connect_cache_invalidation

        connect_cache_invalidation()
