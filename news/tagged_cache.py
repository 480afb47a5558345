"""The one tagged cache: an ``Entry`` (answers, fragments, API items, memoised values) is
valid while its tags' tokens are; a purge gives them new ones. docs/reliability.md ("The
cache under faults"). Hand-written: django-cacheops and django-cachalot invalidate per
table (a publish touches every table) and Django's cache has no tags."""

import logging
import math
import os
import secrets
import threading
import time
from typing import NamedTuple

import cachetools
from django.apps import apps
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.dispatch import Signal

from news import cache_keys
from news.conf import conf

logger = logging.getLogger(__name__)

MISSING = object()
GENERATION = "newsdesk:generation"
APPLIED = "newsdesk:applied"  # purges whose tokens are written: one read validates a hit
_TOKEN = "newsdesk:tag:"  # noqa: S105 - a key prefix


def _pending():
    return apps.get_model("news", "PendingPurge")  # news.models


class Entry(NamedTuple):
    """A cached value, the tokens of its tags when it was built, and when it expires."""

    value: object
    tokens: dict
    expires: float | None = None  # a time.time(), for answers that change at a known time
    applied: int | None = None  # APPLIED, read before the tokens: valid while it has not moved


def shared():
    """The shared cache of entries (``NEWSDESK_CACHE``)."""
    return caches[conf.CACHE]


def tokens_cache():
    """The cache of tokens and the generation (``NEWSDESK_TOKEN_CACHE``, else the entries')."""
    return caches[conf.TOKEN_CACHE or conf.CACHE]


def _ttl(timeout=None):
    """An entry's lifetime, or None: until purged or evicted (``LocMemCache``: a bound)."""
    unshared = isinstance(shared(), LocMemCache) and conf.UNSHARED_CACHE_SECONDS
    return min(filter(None, (timeout, conf.RESPONSE_CACHE_TTL, unshared)), default=None)


def _token_ttl():
    """Tokens outlive every entry (one evicted is a new token: a miss, never a stale hit)."""
    return max(ttl, 60) * 4 if (ttl := _ttl()) else None


def _sizeof(value):
    value = value.value if isinstance(value, Entry) else value
    inner = value if isinstance(value, tuple | list) else ()
    return 200 + (len(value) if isinstance(value, bytes | str) else sum(map(_sizeof, inner)))


class _Local:
    """This process's memory tier: a size-bounded LRU (with the entries' lifetime, if any)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        size, ttl = max(conf.LOCAL_CACHE_BYTES, 1), _ttl()
        with self.lock:
            self.lru = cachetools.TTLCache(size, ttl or math.inf, getsizeof=lambda s: _sizeof(s[0]))

    def get(self, key):
        """``[entry, the APPLIED count it was last found valid at]``, or None."""
        with self.lock:
            return self.lru.get(key) if conf.LOCAL_CACHE_BYTES else None

    def set(self, key, entry):
        slot = [entry, entry.applied]
        if conf.LOCAL_CACHE_BYTES and _sizeof(entry) <= conf.LOCAL_CACHE_BYTES // 2:
            with self.lock:
                self.lru[key] = slot
        return slot


local = _Local()


class _Tracked:
    """``APPLIED`` kept by Redis client tracking (docs/reliability.md, "No round trip with
    Redis"); None: not Redis, or failed. Hand-written: redis-py's client-side cache needs
    Redis 7.4 (Debian 12 has 7.0), and django-redis does not expose it."""

    lock, connection, pid, pool, value, read_at, off_until = threading.Lock(), *[None] * 4, 0, 0

    def get(self, cache):
        tracked = conf.REDIS_TRACKING and hasattr(cache, "_client_cls")  # django-redis
        if tracked and time.monotonic() > self.off_until:
            with self.lock:
                try:
                    return self._get(cache, cache.client.get_client(write=False).connection_pool)
                except Exception:  # noqa: BLE001 - no RESP3, Redis down: the plain read
                    logger.debug("Redis client tracking failed", exc_info=True)
                    self.close()
                    self.off_until = time.monotonic() + 30
        return None

    def _get(self, cache, pool):
        now, connection = time.monotonic(), self.connection
        if connection is None or (self.pid, self.pool) != (os.getpid(), pool):
            self.close()
            connection = pool.connection_class(**{**pool.connection_kwargs, "protocol": 3})
            connection.connect()
            connection.send_command("CLIENT", "TRACKING", "ON")
            if connection.read_response() not in (b"OK", "OK"):
                raise ConnectionError("CLIENT TRACKING ON was refused")
            self.connection, self.pid, self.pool = connection, os.getpid(), pool
        elif self.value is not None and now - self.read_at < 1 and not connection.can_read(0):
            return self.value
        while connection.can_read(0):  # invalidations (an error is raised here)
            connection.read_response(push_request=True)
        connection.send_command("GET", cache.make_key(APPLIED))
        # A push that arrives before the reply is about a change the reply already shows.
        raw = connection.read_response(disable_decoding=True)
        self.value, self.read_at = (None if raw is None else int(raw)), now
        return self.value

    def close(self):
        connection, self.connection, self.value = self.connection, None, None
        if connection is not None and self.pid == os.getpid():
            connection.disconnect()


_tracked = _Tracked()


def generation():
    """The shared cache's purge count (read before a build), or None: unreachable."""
    return _tokens(())[1]


def _tokens(tags, cache=None):
    """({tag: token or None}, generation, ``APPLIED`` as read before them) in one read."""
    cache = cache or tokens_cache()
    found = cache.get_many([APPLIED, *(_TOKEN + tag for tag in tags), GENERATION])
    number = _count(cache, GENERATION, found.get(GENERATION))
    return {tag: found.get(_TOKEN + tag) for tag in tags}, number, found.get(APPLIED)


def _count(cache, name, value):
    """``value`` (the count ``name`` as read), or a random start for a count lost (empty or
    flushed); None: unreachable (pending purges are then re-applied within a second)."""
    if value is None and not cache.add(name, _seed(), None):
        _checked["suspect"] = True
    return cache.get(name) if value is None else value


def get(key):
    """The value under ``key`` while none of its tags was purged since it was built."""
    return get_many([key]).get(key, MISSING)


def get_many(keys):
    """{key: value} of the valid entries among ``keys``: one read (``APPLIED``) while no
    purge was applied since this process compared their tokens."""
    if getattr(_state, "batch", None) is not None:
        _flush()
    slots = {key: slot for key in keys if (slot := local.get(key)) is not None}
    rest = [key for key in keys if key not in slots]
    for key, entry in shared().get_many(rest).items() if rest else ():
        if isinstance(entry, Entry):
            slots[key] = local.set(key, entry)
    if not slots:
        return {}
    cache = tokens_cache()
    applied = _tracked.get(cache) or _count(cache, APPLIED, cache.get(APPLIED))
    unchecked = [slot for slot in slots.values() if applied is None or slot[1] != applied]
    if unchecked:
        current, *_rest = _tokens({tag for slot in unchecked for tag in slot[0].tokens}, cache)
        for slot in unchecked:
            valid = all(current[tag] == token for tag, token in slot[0].tokens.items())
            slot[1] = applied if valid else None
    now = time.time()
    return {
        key: entry.value
        for key, (entry, checked) in slots.items()
        if checked is not None and checked == applied and (entry.expires or math.inf) > now
    }


def put(key, value, tags, since, timeout=None):
    """Store ``value`` with ``tags`` (and ``site``), expiring after ``timeout`` seconds if
    given, unless one was purged after generation ``since``; True if stored."""
    if since is None:
        return False
    cache = tokens_cache()
    tokens, now, applied = _tokens(set(tags) | {cache_keys.SITE}, cache)
    if now is None or now < since:
        return False  # unreachable, or restarted while the value was built
    missing = [tag for tag, token in tokens.items() if token is None]
    if missing:
        # Never purged (or lost): today's generation, which a purge after ``since`` exceeded.
        for tag in missing:
            cache.add(_TOKEN + tag, now, _token_ttl())
        tokens.update(_tokens(missing, cache)[0])
    if any(token is None or token > since for token in tokens.values()):
        return False
    entry = Entry(value, tokens, time.time() + timeout if timeout else None, applied)
    shared().set(key, entry, _ttl(timeout))
    local.set(key, entry)
    return True


def memoize(key, compute, keys=None):
    """``compute()``, kept until ``site`` or one of ``keys`` (or ``keys(value)``) is purged."""
    full_key = f"newsdesk:memo:{key}"
    value = get(full_key)
    if value is MISSING:
        since = generation()
        value = compute()
        put(full_key, value, (keys(value) if callable(keys) else keys) or (), since)
    return value


purged = Signal()  # sent once per committed transaction that purged, with ``tags``
_state = threading.local()
_checked = {"at": None, "suspect": False}


class _Batch:
    """The purges of one transaction; called on commit."""

    def __init__(self, sids=()):
        self.ids, self.tags, self.marks, self.sids = set(), set(), set(), set(sids)
        self.deferred, self.done = [], False  # functions giving more tags, called at commit

    def __call__(self):
        if self.done or not self.tags:
            return
        self.done = True
        known = set(self.tags)
        for deferred in self.deferred:
            self.tags |= deferred()
        if apply(self.tags):
            _pending().objects.filter(pk__in=self.ids).delete()
        elif self.tags - known:  # pending too, with the tags found at commit
            _pending().objects.create(tags=" ".join(sorted(self.tags - known)))
        _state.last = frozenset(self.tags)
        purged.send(sender=_pending(), tags=_state.last)


def _in_transaction(connection):
    """In a transaction of the caller's (one a test case opened around a test is not)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _held(connection):
    """The batches ``connection`` runs on commit (a savepoint rolled back dropped its own)."""
    return [func for _sids, func, _robust in connection.run_on_commit if isinstance(func, _Batch)]


def batch():
    """The purges of the transaction being run (``marks``: what its callers noted)."""
    connection = transaction.get_connection()
    if not _in_transaction(connection):
        return _Batch()
    last = getattr(_state, "batch", None)
    # Reused while held, not run yet, and of this transaction (its savepoints still open).
    held = last is not None and not last.done and last in _held(connection)
    if not (held and last.sids <= set(connection.savepoint_ids)):
        last = _state.batch = _Batch(connection.savepoint_ids)
        transaction.on_commit(last)
    return last


def purge(tags, deferred=None):
    """Purge ``tags`` (and ``deferred()``'s, called at commit) once this transaction commits."""
    tags = set(tags)
    if not tags:
        return
    current = batch()
    current.ids.add(_pending().objects.create(tags=" ".join(sorted(tags))).pk)
    current.tags |= tags
    if deferred is not None:
        current.deferred.append(deferred)
    if not _in_transaction(transaction.get_connection()):
        current()


def _flush():
    """Run the batches a test case's transaction holds: theirs ended without ``on_commit``."""
    connection = transaction.get_connection()
    if _in_transaction(connection) or getattr(_state, "flushing", False):
        return
    _state.flushing, _state.batch = True, None  # a deferred function may read the cache
    try:
        for held in _held(connection):
            held()
    finally:
        _state.flushing = False


def when_purged(callback):
    """``callback(tags)`` on commit with the tags this transaction purged (outside one: at
    once, with this thread's last purge's)."""
    if not _in_transaction(transaction.get_connection()):
        callback(getattr(_state, "last", frozenset()))
        return
    current = batch()
    transaction.on_commit(lambda: callback(frozenset(current.tags)))


def apply(tags):
    """Give ``tags`` new tokens in the shared cache; False if it could not be reached."""
    cache = tokens_cache()
    try:
        cache.add(GENERATION, _seed(), None)  # none yet (or flushed): a random start
        number = cache.incr(GENERATION)
        if isinstance(number, int):
            cache.set_many({_TOKEN + tag: number for tag in tags}, _token_ttl())
        if isinstance(number, int) and cache.get(_TOKEN + next(iter(tags))) == number:
            # After the tokens: a process that compared an entry before them compares again.
            # The last read answers once Redis sent the invalidations (``_Tracked``).
            cache.add(APPLIED, _seed(), None)
            if isinstance(cache.incr(APPLIED), int) and cache.get(APPLIED) is not None:
                return True
    except Exception:  # noqa: BLE001 - unreachable: the purge stays pending
        logger.debug("purge not applied", exc_info=True)
    _checked["suspect"] = True
    return False


def _seed():
    return secrets.randbits(32) << 16  # below 2**53: django-redis's Lua counts in doubles


def maintain():
    """Re-apply pending purges when due (``NEWSDESK_PURGE_RECHECK_SECONDS``; 1 s if suspect)."""
    if getattr(_state, "batch", None) is not None:
        _flush()
    now = time.monotonic()
    wait = 1.0 if _checked["suspect"] else conf.PURGE_RECHECK_SECONDS
    if _checked["at"] is not None and now - _checked["at"] < wait:
        return
    _checked["at"] = now
    try:
        pending = list(_pending().objects.values_list("pk", "tags")[:1000])
    except Exception:  # noqa: BLE001 - no table yet (before migrate): nothing to do
        logger.debug("pending purges: not readable", exc_info=True)
        return
    if not pending:
        _checked["suspect"] = False
    elif apply({tag for _pk, text in pending for tag in text.split()}):
        _checked["suspect"] = False
        _pending().objects.filter(pk__in=[pk for pk, _tags in pending]).delete()
        logger.info("re-applied %d pending cache purges", len(pending))
