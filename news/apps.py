from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")
    default_auto_field = "django.db.models.BigAutoField"

    def __init__(self, app_name, app_module):
        # While the registry creates the apps, before any model import: a host's own
        # `search` package hiding Newsdesk's stops here, named (news/checks.py).
        from news.checks import raise_on_search_clash

        raise_on_search_clash()
        super().__init__(app_name, app_module)

    def ready(self):
        # Wiring, once the app registry is ready (Django's pattern for signal handlers).
        from django.db.models.signals import pre_save

        from news import checks  # noqa: F401 - registers the system checks
        from news.caching import (
            frontend,  # noqa: F401 - enqueues the CDN purge after commits
            invalidation,  # noqa: F401 - connects its receivers
        )
        from news.compat import apply_patches  # (and registers its system check)
        from news.sanitize import clean_news_body_before_save

        pre_save.connect(
            clean_news_body_before_save,
            sender=self.get_model("NewsPage"),
            dispatch_uid="newsdesk_clean_news_body",
        )
        from news.notes import record_note_changes

        pre_save.connect(
            record_note_changes,
            sender=self.get_model("NewsPage"),
            dispatch_uid="newsdesk_record_note_changes",
        )
        apply_patches()  # every runtime change to wagtail-localize (news/compat.py)

        from news.outbox import events as outbox_events

        outbox_events.connect()  # notifications of published stories (news.outbox)

        from news import reference, tagged_cache
        from news.live import signals as live_signals  # noqa: F401 - the banner's purge

        # Reference data (news.reference) kept by the tagged cache until a site-wide change.
        reference.reader = lambda name, load: tagged_cache.memoize(f"reference:{name}", load)

        from news.tasks import connect_schedule_wakeups

        connect_schedule_wakeups()  # saving a go-live or expiry time wakes the worker then

        from django.db.models.signals import post_delete, post_save

        from news.image_rights import ImageRights

        def rights_changed(sender, instance, raw=False, **kwargs):
            if not raw:  # an image's credit or licence: the stories that show it
                invalidation.image_changed(instance.image)

        for signal, uid in ((post_save, "newsdesk_rights"), (post_delete, "newsdesk_rights_d")):
            # A local function: held strongly, or it is collected when ready() returns.
            signal.connect(rights_changed, sender=ImageRights, weak=False, dispatch_uid=uid)
