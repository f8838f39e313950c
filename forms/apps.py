from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "forms"
    verbose_name = _("Bénévolat de gouvernance")

    def import_models(self):
        # The form page types are models too, kept in `pages` with what serves them: Django
        # registers them with the others, without `models` importing a module above it.
        super().import_models()
        import_module(f"{self.name}.pages")

    def ready(self):
        from .erasure import connect_erasure

        connect_erasure()
