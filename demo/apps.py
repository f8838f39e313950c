from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    # No model: the demo fills the other apps' tables, through the same factories as the tests.
    name = "demo"
    verbose_name = _("Démonstration")
