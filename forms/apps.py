from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "forms"
    verbose_name = _("Bénévolat de gouvernance")

    def ready(self):
        from .erasure import connect_erasure

        connect_erasure()
