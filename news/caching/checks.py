"""System checks: the response cache and purges need a cache every process shares
(``LocMemCache`` warns under ``check``, errors under ``check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from news.conf import conf


def _messages(kind, number):
    return [
        kind(
            f"The cache {alias!r} (NEWSDESK_CACHE) is not shared between processes: a "
            "publish in one process does not purge the answers cached in another.",
            hint=f"Point CACHES[{alias!r}] at a cache every process shares: "
            "django_redis.cache.RedisCache, or diskcache's DjangoCache on one host "
            "(docs/reliability.md). Until then entries live NEWSDESK_UNSHARED_CACHE_SECONDS.",
            id=f"newsdesk.{kind.__name__[0]}{number:03d}",
        )
        for alias in sorted({conf.CACHE, conf.TOKEN_CACHE or conf.CACHE})
        if settings.CACHES.get(alias, {}).get("BACKEND", "").endswith("locmem.LocMemCache")
    ]


@register(Tags.caches)
def unshared_cache(app_configs=None, **kwargs):
    """Warns (``check``) when the response cache and purges rely on a per-process cache."""
    return _messages(Warning, 60)


@register(Tags.caches, deploy=True)
def unshared_cache_deploy(app_configs=None, **kwargs):
    """The same, as an error, for ``check --deploy``."""
    return _messages(Error, 61)
