from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Wiring, once the app registry is ready (Django's pattern for signal handlers).
        from django.db.models.signals import pre_save

        from news import checks  # noqa: F401 - registers the system checks
        from news.caching import checks as cache_checks  # noqa: F401 - the cache's checks
        from news.caching import (
            frontend,  # noqa: F401 - enqueues the CDN purge after commits
            invalidation,  # noqa: F401 - connects its receivers
        )
        from news.desk.localize import (
            keep_unicode_slugs,
            only_complete_translations_published,
            slug_follows_translated_title,
        )
        from news.sanitize import clean_news_body_before_save

        pre_save.connect(
            clean_news_body_before_save,
            sender=self.get_model("NewsPage"),
            dispatch_uid="newsdesk_clean_news_body",
        )
        keep_unicode_slugs()
        slug_follows_translated_title()
        only_complete_translations_published()
