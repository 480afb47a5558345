"""Purging a CDN by cache key (Varnish's xkey) through Wagtail's ``WAGTAILFRONTENDCACHE``:
one retried ``purge_cdn`` task per committed transaction that purged. Hand-written:
Wagtail's backends purge URLs, not "every page showing this story"."""

import logging
import time
from urllib.request import urlopen

from django.dispatch import receiver
from django_tasks import task
from wagtail import __version__
from wagtail.contrib.frontend_cache.backends import HTTPBackend, PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends

from news import cache_keys
from news import tagged_cache as store
from news.cache_keys import SOFT_PREFIX

logger = logging.getLogger(__name__)

RETRIES = 3
# Keys per purge request: keeps its headers well under Varnish's 8 KB header limit.
BATCH = 100


class XkeyBackend(HTTPBackend):
    """``HTTPBackend`` plus purging by key (Varnish's xkey vmod): ``WAGTAILFRONTENDCACHE =
    {"varnish": {"BACKEND": "news.caching.frontend.XkeyBackend", "LOCATION": <Varnish>}}``."""

    timeout = 5

    def purge_keys(self, keys):
        """Purge ``keys`` (opaque, ``soft:<key>`` too; a plain key's soft holders are
        soft-purged); raises OSError when the CDN cannot be reached or refuses."""
        keys = sorted(keys)
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            soft = [SOFT_PREFIX + key for key in chunk if SOFT_PREFIX + key not in keys]
            request = PurgeRequest(
                url=f"{self.cache_scheme}://{self.cache_netloc}/",
                headers={
                    "xkey-purge": " ".join(chunk),
                    "xkey-softpurge": " ".join(soft),
                    "User-Agent": "Wagtail-frontendcache/" + __version__,
                },
            )
            # The scheme and host are the configured LOCATION's, as in HTTPBackend.
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()


def backends():
    return [backend for backend in get_backends().values() if hasattr(backend, "purge_keys")]


@task()
def purge_cdn(tags, pause=1.0):
    """Purge ``tags`` at every CDN that purges by key, retried ``RETRIES`` times."""
    for backend in backends():
        for attempt in range(RETRIES):
            try:
                backend.purge_keys(cache_keys.public_tags(tags))
                break
            except OSError:
                logger.warning("CDN purge failed (attempt %d)", attempt + 1, exc_info=True)
                if attempt + 1 == RETRIES:
                    raise
                time.sleep(pause * 2**attempt)


@receiver(store.purged)
def enqueue(sender, tags, **kwargs):
    """One CDN purge task per committed transaction that purged (none without a CDN)."""
    if backends():
        try:
            purge_cdn.enqueue(sorted(tags))
        except Exception:  # noqa: BLE001 - a queue that is down must not fail a publish
            logger.warning("CDN purge not enqueued", exc_info=True)
