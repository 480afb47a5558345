"""The breaking banner's purge: a story that starts or stops showing in it.

A new entry is a publish of its story, which purges the story's key
(news.caching.invalidation): its pages, API answers and the listing pages and banners
that show it. A story that *joins* the banner is shown by no cached home page yet, so
the banner's own key (``news.live.BANNER``, held by every page that shows the banner)
is purged when a story's banner state changes: flagged or unflagged, ended, published
or unpublished. Nothing else is purged by it.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from news import tagged_cache
from news.live import BANNER
from news.models import NewsPage

_STATE_FIELDS = ("breaking", "live_status", "live")
_before = {}


def _state(values):
    breaking, status, live = values
    return bool(breaking and live and status != "ended")


@receiver(pre_save, sender=NewsPage)
def remember_banner_state(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (update_fields and not set(_STATE_FIELDS) & set(update_fields)):
        return
    row = NewsPage.objects.filter(pk=instance.pk).values_list(*_STATE_FIELDS).first()
    _before[instance.pk] = _state(row) if row else False
    while len(_before) > 500:
        _before.pop(next(iter(_before)))


@receiver(post_save, sender=NewsPage)
def purge_banner(sender, instance, created=False, update_fields=None, **kwargs):
    if update_fields and not set(_STATE_FIELDS) & set(update_fields):
        return
    before = _before.pop(instance.pk, False)
    after = _state([getattr(instance, name) for name in _STATE_FIELDS])
    if before != after:
        tagged_cache.purge({BANNER})


@receiver(post_delete, sender=NewsPage)
def purge_banner_on_delete(sender, instance, **kwargs):
    if _state([getattr(instance, name) for name in _STATE_FIELDS]):
        tagged_cache.purge({BANNER})
