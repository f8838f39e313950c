from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "impact"
    verbose_name = _("Utilité sociale")

    def import_models(self):
        # The Wagtail page type is a model too, kept in `pages` with what serves it: Django
        # registers it with the others, without `models` importing a module above it.
        super().import_models()
        import_module(f"{self.name}.pages")

    def ready(self):
        from .erasure import connect_erasure
        from .signals import connect_cache_invalidation

        connect_cache_invalidation()
        connect_erasure()
