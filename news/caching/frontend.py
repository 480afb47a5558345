"""Purging a CDN by cache key: Varnish with the xkey vmod, through Wagtail's frontend cache.

Backends are configured as ``wagtail.contrib.frontend_cache`` configures them
(``WAGTAILFRONTENDCACHE``) and built by its ``get_backends``. Its shipped backends
(HTTP/Varnish ``PURGE <url>``, Cloudflare, CloudFront, Azure) purge *URLs*: they fit a
page's own URLs (``wagtail.contrib.frontend_cache``'s app purges those on publish when
installed), not "every page that shows this story". Purging by key needs a backend
that can: ``XkeyBackend`` (hand-written, an ``HTTPBackend`` that also sends
``PURGE /`` with ``xkey-purge`` and ``xkey-softpurge`` headers, which
deploy/varnish/newsdesk.vcl hands to ``xkey.purge`` and ``xkey.softpurge``). Backends
without ``purge_keys`` are left to their URL purges.
"""

import logging
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

from wagtail import __version__
from wagtail.contrib.frontend_cache.backends import HTTPBackend, PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends

logger = logging.getLogger(__name__)

# Keys a page holds softly go out as "soft:<key>" (news.caching.middleware.SOFT_PREFIX).
SOFT_PREFIX = "soft:"
# Keys per purge request: keeps its headers well under Varnish's 8 KB header limit.
BATCH = 100


class XkeyBackend(HTTPBackend):
    """``HTTPBackend`` plus purging by key (Varnish's xkey vmod).

    ``WAGTAILFRONTENDCACHE = {"varnish": {"BACKEND": "news.caching.frontend.XkeyBackend",
    "LOCATION": "http://127.0.0.1:6081"}}``. Each key is purged (``xkey.purge``) where a
    page holds it, and soft-purged (``xkey.softpurge``: served within its grace while
    refetched) where a page holds it softly.
    """

    timeout = 5

    def purge_keys(self, keys, strict=False):
        """Purge ``keys``; soft holders are soft-purged, or purged too when ``strict``."""
        keys = sorted(keys)
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            soft = [SOFT_PREFIX + key for key in chunk]
            request = PurgeRequest(
                url=f"{self.cache_scheme}://{self.cache_netloc}/",
                headers={
                    "xkey-purge": " ".join(chunk + soft if strict else chunk),
                    "xkey-softpurge": "" if strict else " ".join(soft),
                    "User-Agent": "Wagtail-frontendcache/" + __version__,
                },
            )
            try:
                # The scheme and host are the configured LOCATION's, as in HTTPBackend.
                with urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    response.read()
            except HTTPError as error:
                logger.error("Couldn't purge keys from %s: HTTP %d", self.cache_netloc, error.code)
            except URLError as error:
                logger.error("Couldn't purge keys from %s: %s", self.cache_netloc, error.reason)


def purge_keys(keys, strict=False):
    """Purge ``keys`` from every configured frontend cache that purges by key."""
    if not keys:
        return
    for backend in get_backends().values():
        if hasattr(backend, "purge_keys"):
            backend.purge_keys(keys, strict)
