from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = _("Données personnelles")

    def import_models(self):
        # The legal page types are models too, kept in `pages` with what serves them: Django
        # registers them with the others, without `models` importing a module above it.
        super().import_models()
        import_module(f"{self.name}.pages")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import signals

        # Each app declares what it does with personal data in its own `processing.py`
        # (members, awards, forms, search…): the register is whatever they declare.
        autodiscover_modules("processing")
        # …and the rules that enforce its retention periods in `retention.py`.
        autodiscover_modules("retention")
        # …and what they hold about one person, to download or erase, in `personal_data.py`.
        autodiscover_modules("personal_data")
        signals.connect_cache_invalidation()
