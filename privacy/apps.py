from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = _("Données personnelles")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import signals

        # Each app declares what it does with personal data in its own `processing.py`
        # (members, awards, forms, search…): the register is whatever they declare.
        autodiscover_modules("processing")
        signals.connect_cache_invalidation()
