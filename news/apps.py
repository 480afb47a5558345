from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from news import signals  # noqa: F401
        from news.sanitize import connect as connect_sanitizer

        connect_sanitizer()
        from news.translation import keep_unicode_slugs

        keep_unicode_slugs()
