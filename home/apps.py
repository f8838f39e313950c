from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = _("Site public")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from . import checks, ratelimit, signals  # noqa: F401 (checks register themselves)

        signals.connect_cache_invalidation()
        user_login_failed.connect(
            ratelimit.count_failed_login, dispatch_uid="ratelimit-failed-login"
        )
