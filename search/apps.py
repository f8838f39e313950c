from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = _("Recherche")

    def ready(self):
        # The Elasticsearch index follows the site's changes (a no-op without ELASTICSEARCH_URL).
        from .signals import connect_signals

        connect_signals()
