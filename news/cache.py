"""Whole-response caching for anonymous readers, with exact invalidation and ETags.

One number, the *content version*, changes whenever anything a reader can see
changes (news/signals.py bumps it). Every cached response and every ETag is
keyed by it, so a publish makes every older entry unreachable at once, in every
worker process and on every app server:

* The source of truth is one database row (``news.ContentVersion``), updated in
  the same transaction as the content, so no reader can see the new version
  with the old content. Without Redis each request reads it with one primary-key
  query: the local cache (LocMemCache) is per process, and only the database is
  shared by all gunicorn workers.
* With ``REDIS_URL`` the version is mirrored in Redis after each commit (only
  ever moved forward, by a small Lua script) and read from there: no SQL at all
  for a cached answer. The mirror expires after ``NEWSDESK_VERSION_TTL``
  seconds, which bounds staleness should Redis drop a write.

Each worker process also keeps the entries it used last in its own memory
(``LocalTier``), in front of the cache: with Redis a hit then costs one Redis
read, the version, instead of two; with the local default it skips unpickling.
Those entries are keyed by the version too, so they retire with it.

A conditional request (``If-None-Match`` / ``If-Modified-Since``) is answered
304 before the view runs. Signed-in users (a session cookie), previews, the
admin and non-GET requests always bypass.
"""

import contextlib
import contextvars
import hashlib
import logging
import threading
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.dateparse import parse_datetime

logger = logging.getLogger(__name__)

VERSION_KEY = "newsdesk:content-version"
RESPONSE_KEY_PREFIX = "newsdesk:response"

# Never cached, never given a cache ETag.
BYPASS_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/documents/",
    "/static/",
    "/media/",
    "/healthz",
    "/readyz",
)
# Cookies that mean "this reader is not anonymous" or "this page shows something personal".
BYPASS_COOKIES = ("messages",)
# Headers a response must not carry to be shared between readers.
_PRIVATE_CACHE_CONTROL = ("private", "no-store")

_SET_IF_NEWER = """
local current = redis.call('GET', KEYS[1])
if current then
  local v = tonumber(string.match(current, '^(%d+)'))
  if v and v >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2], 'EX', ARGV[3])
return 1
"""


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
    from news.models import ContentVersion

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
        settings.NEWSDESK_VERSION_TTL,
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


local_tier = LocalTier(settings.NEWSDESK_LOCAL_CACHE_ENTRIES)


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
        store(full_key, value, timeout or settings.NEWSDESK_RESPONSE_CACHE_TTL)
    return value


def bump_version():
    """Move the content version forward (in the caller's transaction).

    ``changed_at`` is whole seconds and strictly increasing, so Last-Modified /
    If-Modified-Since (second resolution) can never confuse two versions.
    """
    from news.models import ContentVersion

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


# --- Which requests are cached ----------------------------------------------------


def _language_prefixed(path):
    return any(path.startswith(f"/{code}/") for code, _name in settings.LANGUAGES)


def bypasses(request):
    """True when this request must not be answered from (or stored in) the cache."""
    if request.method not in ("GET", "HEAD"):
        return True
    path = request.path_info
    if path.startswith(BYPASS_PREFIXES) or "/preview" in path:
        return True
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or any(name in cookies for name in BYPASS_COOKIES):
        return True
    return "HTTP_AUTHORIZATION" in request.META


def variant(request):
    """Everything besides the version that can change the answer to this request."""
    meta = request.META
    path = request.path_info
    parts = [
        "https" if request.is_secure() else "http",
        meta.get("HTTP_HOST", ""),
        request.get_full_path(),
    ]
    if path.startswith("/api/"):
        # The API may choose its locale (and DRF its renderer) from these headers.
        parts.append(meta.get("HTTP_ACCEPT_LANGUAGE", "").strip().lower())
        parts.append(meta.get("HTTP_ACCEPT", "").strip().lower())
    elif not _language_prefixed(path):
        # Unprefixed paths ("/", sitemaps): LocaleMiddleware picks the language.
        parts.append(meta.get("HTTP_ACCEPT_LANGUAGE", "").strip().lower())
        parts.append(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""))
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=12).hexdigest()


def make_etag(version, digest):
    return f'W/"{version}-{digest}"'


def max_age_for(path):
    """API answers, feeds and sitemaps may be kept longer than HTML pages."""
    if path.startswith("/api/") or "/feed" in path or path.endswith(".xml"):
        return settings.NEWSDESK_API_MAX_AGE
    return settings.NEWSDESK_HTML_MAX_AGE


def _etag_matches(header, etag):
    if not header:
        return False
    # Weak comparison (RFC 9110 8.8.3.2): W/ prefixes do not matter.
    wanted = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == wanted for candidate in header.split(","))


def _not_modified_since(header, changed_at):
    if not header:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    if since is None:
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return changed_at <= since


def shareable(response):
    """A 200 that says nothing about who asked: sets no cookie, is not private."""
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    if response.cookies:
        return False
    # Vary: Cookie is fine: only requests without a session cookie get here, and
    # a page that used its CSRF token sets a cookie (refused above).
    if "*" in response.get("Vary", ""):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in _PRIVATE_CACHE_CONTROL)


class ResponseCacheMiddleware:
    """ETag/Last-Modified/304 and a shared whole-response cache for anonymous readers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if bypasses(request):
            return self.get_response(request)

        version, changed_at = current_version()
        digest = variant(request)
        etag = make_etag(version, digest)
        last_modified = format_datetime(changed_at.astimezone(UTC), usegmt=True)
        path = request.path_info
        max_age = max_age_for(path)
        meta = request.META

        if_none_match = meta.get("HTTP_IF_NONE_MATCH")
        if _etag_matches(if_none_match, etag):
            return self._not_modified(etag, last_modified, max_age)

        use_cache = settings.NEWSDESK_RESPONSE_CACHE
        key = f"{RESPONSE_KEY_PREFIX}:{version}:{digest}"
        if use_cache:
            stored = cached(key)
            if stored is not _MISSING:
                response = _rebuild(stored)
                response["X-Cache"] = "hit"
                if not if_none_match and _not_modified_since(
                    meta.get("HTTP_IF_MODIFIED_SINCE"), changed_at
                ):
                    return self._not_modified(etag, last_modified, max_age, response)
                return response

        with pinned_version((version, changed_at)):
            response = self.get_response(request)
        if not shareable(response):
            return response

        response["ETag"] = etag
        response["Last-Modified"] = last_modified
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = _cache_control(max_age)

        if use_cache and request.method == "GET":
            content = response.content
            if len(content) <= settings.NEWSDESK_RESPONSE_CACHE_MAX_BYTES:
                store(
                    key,
                    (response.status_code, tuple(response.items()), content),
                    settings.NEWSDESK_RESPONSE_CACHE_TTL,
                )
            response["X-Cache"] = "miss"

        if not if_none_match and _not_modified_since(
            meta.get("HTTP_IF_MODIFIED_SINCE"), changed_at
        ):
            return self._not_modified(etag, last_modified, max_age, response)
        return response

    @staticmethod
    def _not_modified(etag, last_modified, max_age, full=None):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Last-Modified"] = last_modified
        response["Cache-Control"] = (
            full["Cache-Control"]
            if full is not None and full.has_header("Cache-Control")
            else _cache_control(max_age)
        )
        if full is not None and full.has_header("Vary"):
            response["Vary"] = full["Vary"]
        return response


def _cache_control(max_age):
    if max_age:
        return f"public, max-age={max_age}"
    return "public, max-age=0, must-revalidate"


def _rebuild(stored):
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response
