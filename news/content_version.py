"""The content version, and memoisation keyed by it.

One number, the *content version*, changes whenever something every page may show
changes: the site, its languages, redirects, view restrictions, topics, authors, the home
page and the news indexes (news.caching.invalidation bumps it). Every memoised value is
keyed by it, and a bump purges the ``site`` cache key that every cached answer holds, so
such a change makes every older entry unreachable at once, in every worker process and
on every app server. A story's publish does not move it: it purges the cache keys of
what it changes (news.cache_keys).

* The source of truth is one database row (``ContentVersion``), updated in the
  same transaction as the content, so no reader can see the new version with the
  old content. Without Redis each request reads it with one primary-key query.
* With ``REDIS_URL`` the version is mirrored in Redis after each commit (only
  ever moved forward, by a small Lua script) and read from there: no SQL at all
  for a cached answer. The mirror expires after ``NEWSDESK_VERSION_TTL`` seconds,
  which bounds staleness should Redis drop a write.

Each worker process also keeps the entries it used last in its own memory
(``LocalTier``, bounded in bytes), in front of the shared cache.

Hand-written because no maintained package keys a whole cache by one
transactional version row mirrored to Redis (django-cacheops and
django-cachalot invalidate per table, which a publish touches every time).

This module is near the bottom of the news package: it imports only news.cache_keys and
news.conf.
The ``ContentVersion`` model is defined here and exported by ``news.models``.
"""

import contextlib
import contextvars
import logging
import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from news import cache_keys
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
    """The raw Redis client when ``NEWSDESK_CACHE`` is django-redis, else None."""
    if not getattr(settings, "REDIS_URL", None):
        return None
    try:
        from django_redis import get_redis_connection

        return get_redis_connection(conf.CACHE)
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
    key = shared_cache().make_key(VERSION_KEY)
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
            raw = client.get(shared_cache().make_key(VERSION_KEY))
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
    """A small per-process LRU in front of the shared cache, bounded in bytes.

    Only keys that contain the content version go here, and what they hold is checked
    against the cache-key tokens (news.cache_keys) on every read, exactly like the shared
    entries: a purge makes them unreachable in every process at once. Entries also expire
    with their timeout. Values are shared, not copied: store immutable ones.

    Hand-written (a dict and a byte count): cachetools' LRUCache can count bytes but has
    no per-entry expiry nor a lock, and would be the plugin's only use of it.
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        if not self.max_bytes:
            return default
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return default
            value, expires, _size = found
            if expires < time.monotonic():
                self._drop(key)
                return default
            self._entries.move_to_end(key)
            return value

    def set(self, key, value, timeout, size=None):
        size = (size or 0) + len(key) + 200  # the key, the tuple, the dict slot
        if not self.max_bytes or size > self.max_bytes // 2:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (value, time.monotonic() + timeout, size)
            self.size += size
            while self.size > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def delete(self, key):
        with self._lock:
            if key in self._entries:
                self._drop(key)

    def _drop(self, key):
        _value, _expires, size = self._entries.pop(key)
        self.size -= size

    def clear(self):
        with self._lock:
            self._entries.clear()
            self.size = 0


local_tier = LocalTier(conf.LOCAL_CACHE_BYTES)


def shared_cache():
    """The cache that holds answers, memoised values and key tokens (``NEWSDESK_CACHE``)."""
    return caches[conf.CACHE]


def cached(key):
    """The entry under a version-keyed ``key``: this process's memory first, then the cache."""
    value = local_tier.get(key, _MISSING)
    if value is _MISSING:
        value = shared_cache().get(key, _MISSING)
        if value is not _MISSING:
            local_tier.set(key, value, conf.RESPONSE_CACHE_TTL, _size_of(value))
    return value


def cached_many(keys):
    """{key: entry} of the ``keys`` found: this process's memory first, then one read."""
    found = {}
    rest = []
    for key in keys:
        value = local_tier.get(key, _MISSING)
        if value is _MISSING:
            rest.append(key)
        else:
            found[key] = value
    if rest:
        for key, value in shared_cache().get_many(rest).items():
            local_tier.set(key, value, conf.RESPONSE_CACHE_TTL, _size_of(value))
            found[key] = value
    return found


def store(key, value, timeout):
    shared_cache().set(key, value, timeout)
    local_tier.set(key, value, timeout, _size_of(value))


def request_version():
    """The content version pinned for this request (``pinned_version``), else read now."""
    return _request_version.get() or current_version()


def _size_of(value):
    """Bytes of the large parts of an entry (response bodies, nested too); other values
    count a little, so that many small entries still fill the tier."""
    if isinstance(value, bytes | str):
        return len(value)
    if isinstance(value, tuple | list):
        return sum(_size_of(item) for item in value)
    if isinstance(value, dict):
        return 64 + sum(_size_of(key) + _size_of(item) for key, item in value.items())
    return 16


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


def memoize(key, compute, timeout=None, keys=None):
    """``compute()``, cached until the content changes.

    For values that are expensive and only change with content, e.g. the total count of
    a listing: ``memoize(f"news-count:{language}", queryset.count)``. Keyed by the content
    version (site-wide changes) and, with ``keys`` (cache keys, news.cache_keys, or a
    function of the value giving them), valid only until one of them is purged. Inside a
    request that went through the middleware it reuses that request's version read.
    """
    version = _request_version.get() or current_version()
    full_key = f"newsdesk:memo:{version[0]}:{key}"
    entry = cached(full_key)
    if entry is not _MISSING:
        value, tokens = entry
        if not tokens or cache_keys.current_tokens(tokens) == tokens:
            return value
    since = cache_keys.now_ns()
    value = compute()
    tokens = {}
    if keys is not None:
        tokens = cache_keys.tokens_for_store(keys(value) if callable(keys) else keys, since)
        if tokens is None:
            return value  # purged while it was computed: not kept
    store(full_key, (value, tokens), timeout or conf.RESPONSE_CACHE_TTL)
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
    # Cached answers are not keyed by the version: each holds the "site" key instead.
    cache_keys.purge([cache_keys.SITE])
    transaction.on_commit(lambda: cache_keys.purge([cache_keys.SITE]))
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
