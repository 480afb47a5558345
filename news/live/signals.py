"""The breaking banner's purge: a story that joins the banner.

A new entry is a publish of its story, which purges the story's key
(news.caching.invalidation): its pages, API answers and the listing pages and banners
that show it (the banner registers the keys of the stories it shows). So a story that
*leaves* the banner (unflagged, ended, unpublished, deleted) is purged from every cached
banner by its own key. A story that *joins* it is shown by no cached page yet: every save
of a story in the banner state purges the banner's own key (``news.live.BANNER``, held by
the pages that show the banner). No query: the state is the saved row's.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from news import tagged_cache
from news.live import BANNER
from news.live_blocks import ENDED
from news.models import NewsPage

_STATE_FIELDS = {"breaking", "live_status", "live"}


@receiver(post_save, sender=NewsPage)
def purge_banner(sender, instance, update_fields=None, **kwargs):
    if update_fields and not _STATE_FIELDS & set(update_fields):
        return
    if instance.breaking and instance.live and instance.live_status != ENDED:
        tagged_cache.purge({BANNER})
