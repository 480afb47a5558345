"""The content version, and memoisation keyed by it.

One number, the *content version*, changes whenever anything a reader can see
changes (news.caching.invalidation bumps it). Every cached response, memoised
value and ETag is keyed by it, so a publish makes every older entry unreachable
at once, in every worker process and on every app server:

* The source of truth is one database row (``ContentVersion``), updated in the
  same transaction as the content, so no reader can see the new version with the
  old content. Without Redis each request reads it with one primary-key query.
* With ``REDIS_URL`` the version is mirrored in Redis after each commit (only
  ever moved forward, by a small Lua script) and read from there: no SQL at all
  for a cached answer. The mirror expires after ``NEWSDESK_VERSION_TTL`` seconds,
  which bounds staleness should Redis drop a write.

Each worker process also keeps the entries it used last in its own memory
(``LocalTier``), in front of the cache: with Redis a hit then costs one Redis
read, the version, instead of two; with the local default it skips unpickling.

Hand-written because no maintained package keys a whole cache by one
transactional version row mirrored to Redis (django-cacheops and
django-cachalot invalidate per table, which a publish touches every time).

This module is at the bottom of the news package: it imports nothing from it but news.conf.
The ``ContentVersion`` model is defined here and exported by ``news.models``.
"""

import contextlib
import contextvars
import logging
import threading
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from news.conf import conf

logger = logging.getLogger(__name__)

VERSION_KEY = "newsdesk:content-version"
RESPONSE_KEY_PREFIX = "newsdesk:response"

_SET_IF_NEWER = """
local current = redis.call('GET', KEYS[1])
if current then
  local v = tonumber(string.match(current, '^(%d+)'))
  if v and v >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2], 'EX', ARGV[3])
return 1
"""


class ContentVersion(models.Model):
    """One row: a counter bumped on every change readers can see.

    Every worker reads it (one indexed query, or Redis when configured) to key
    and validate cached responses, so a publish is visible at once everywhere.
    """

    version = models.BigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "news"
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self):
        return f"v{self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


# --- The content version --------------------------------------------------------


def _redis():
    """The raw Redis client when the default cache is django-redis, else None."""
    if not getattr(settings, "REDIS_URL", None):
        return None
    try:
        from django_redis import get_redis_connection

        return get_redis_connection("default")
    except Exception:  # noqa: BLE001 - any misconfiguration means "no Redis"
        return None


_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_MISSING = object()
_VERSION_SQL = None


def _db_version():
    """One primary-key read, in raw SQL: it runs on every request without Redis."""
    global _VERSION_SQL

    if _VERSION_SQL is None:
        table = connection.ops.quote_name(ContentVersion._meta.db_table)
        _VERSION_SQL = f"SELECT version, changed_at FROM {table} WHERE id = 1"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    if row is None:
        return 0, _EPOCH
    version, changed_at = row
    if isinstance(changed_at, str):
        changed_at = parse_datetime(changed_at)
    if changed_at is None:
        return version, _EPOCH
    if timezone.is_naive(changed_at):
        changed_at = changed_at.replace(tzinfo=UTC)
    return version, changed_at


def _mirror_to_redis(client, version, changed_at):
    key = cache.make_key(VERSION_KEY)
    client.eval(
        _SET_IF_NEWER,
        1,
        key,
        version,
        int(changed_at.timestamp()),
        conf.VERSION_TTL,
    )


def current_version():
    """``(version, changed_at)``: Redis when configured and reachable, else one SQL query."""
    client = _redis()
    if client is not None:
        try:
            raw = client.get(cache.make_key(VERSION_KEY))
            if raw:
                version, _sep, stamp = raw.decode().partition(":")
                return int(version), datetime.fromtimestamp(int(stamp), tz=UTC)
        except Exception:  # noqa: BLE001 - Redis down: the database still knows
            logger.warning("content version: Redis read failed", exc_info=True)
            return _db_version()
    version, changed_at = _db_version()
    if client is not None:
        try:
            _mirror_to_redis(client, version, changed_at)
        except Exception:  # noqa: BLE001
            logger.warning("content version: Redis write failed", exc_info=True)
    return version, changed_at


class LocalTier:
    """A small per-process LRU in front of the shared cache, for version-keyed entries.

    Only keys that contain the content version go here: a publish makes them
    unreachable in every process at once, exactly like the shared entries, and the
    LRU bound retires them. Values are shared, not copied: store immutable ones.
    """

    def __init__(self, size):
        self.size = size
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        if not self.size:
            return default
        with self._lock:
            try:
                self._entries.move_to_end(key)
            except KeyError:
                return default
            return self._entries[key]

    def set(self, key, value):
        if not self.size:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()


local_tier = LocalTier(conf.LOCAL_CACHE_ENTRIES)


def cached(key):
    """The entry under a version-keyed ``key``: this process's memory first, then the cache."""
    value = local_tier.get(key, _MISSING)
    if value is _MISSING:
        value = cache.get(key, _MISSING)
        if value is not _MISSING:
            local_tier.set(key, value)
    return value


def store(key, value, timeout):
    cache.set(key, value, timeout)
    local_tier.set(key, value)


_request_version = contextvars.ContextVar("newsdesk_request_content_version", default=None)


@contextlib.contextmanager
def pinned_version(version=None):
    """Within the block, ``memoize`` uses one version read instead of one per call.

    The middleware pins the version it read for the whole request; code that runs
    outside a request (a management command, a view called directly) can do the same.
    """
    token = _request_version.set(version or current_version())
    try:
        yield
    finally:
        _request_version.reset(token)


def memoize(key, compute, timeout=None):
    """``compute()``, cached until the content changes (keyed by the content version).

    For values that are expensive and only change with content, e.g. the total count of
    a listing: ``memoize(f"news-count:{language}", queryset.count)``. Inside a request
    that went through the middleware it reuses that request's version read (no query).
    """
    version = _request_version.get() or current_version()
    full_key = f"newsdesk:memo:{version[0]}:{key}"
    value = cached(full_key)
    if value is _MISSING:
        value = compute()
        store(full_key, value, timeout or conf.RESPONSE_CACHE_TTL)
    return value


def bump_version():
    """Move the content version forward (in the caller's transaction).

    ``changed_at`` is whole seconds and strictly increasing, so Last-Modified /
    If-Modified-Since (second resolution) can never confuse two versions.
    """

    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        row = ContentVersion.objects.select_for_update().filter(pk=1).first()
        if row is None:
            row, _created = ContentVersion.objects.get_or_create(
                pk=1, defaults={"version": 1, "changed_at": now}
            )
        else:
            row.version += 1
            row.changed_at = max(now, row.changed_at.replace(microsecond=0) + timedelta(seconds=1))
            row.save(update_fields=["version", "changed_at"])
    if _redis() is not None:
        transaction.on_commit(_publish_version)
    return row.version


def _publish_version():
    client = _redis()
    if client is None:
        return
    try:
        version, changed_at = _db_version()
        _mirror_to_redis(client, version, changed_at)
    except Exception:  # noqa: BLE001 - the TTL bounds what a lost write can cost
        logger.warning("content version: Redis publish failed", exc_info=True)
