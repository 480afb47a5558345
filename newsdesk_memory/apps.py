from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsdeskMemoryConfig(AppConfig):
    name = "newsdesk_memory"
    label = "newsdesk_memory"
    verbose_name = _("Translation memory and glossary")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsdesk_memory import signals

        signals.connect()
