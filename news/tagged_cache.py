"""The one tagged cache: every cached thing is an ``Entry`` valid while its tags' tokens are.

Cached answers (news.caching.middleware), shared fragments (news.fragments), the API's
list items (news.api.items) and memoised values (``memoize``) all go through ``get`` and
``put``. An entry holds its value and the *token* each of its tags (news.cache_keys) had
when it was built; it is valid while the shared cache (``NEWSDESK_CACHE``) has the same
tokens. docs/reliability.md gives the bound on staleness this keeps.

* **The clock is the shared cache's generation.** A purge increments one counter and
  writes the new number as the token of each purged tag; an entry whose build started at
  generation G is not stored if one of its tokens is newer than G. No wall clock is read.
* **A missing token is a new token** (expired, evicted, Redis flushed or restarted empty),
  and a restarted count starts at a random number. Unreachable: every read is a miss.
* **Purges are durable.** ``purge`` writes the tags to a ``PendingPurge`` row in the
  caller's transaction and applies them once, on commit; one that cannot reach the shared
  cache stays pending, and ``maintain`` (run by the middleware and the task worker)
  re-applies it within ``NEWSDESK_PURGE_RECHECK_SECONDS`` (1 s after a failure).
* This process's memory (``local``) holds the entries it used last, validated like any.
  Entries live until purged or evicted, except in a cache of one process (``LocMemCache``:
  news.caching.checks warns), which keeps them ``NEWSDESK_UNSHARED_CACHE_SECONDS``.

Hand-written (tokens, pending purges): django-cacheops and django-cachalot invalidate per
table (a publish touches every table each time) and Django's cache has no tags.
"""

import hashlib
import logging
import secrets
import threading
import time
from typing import NamedTuple

import cachetools
from django.apps import apps
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.dispatch import Signal

from news import cache_keys
from news.conf import conf

logger = logging.getLogger(__name__)

MISSING = object()
GENERATION = "newsdesk:generation"
_TOKEN = "newsdesk:tag:"  # noqa: S105 - a key prefix


def _pending():
    return apps.get_model("news", "PendingPurge")  # news.models


class Entry(NamedTuple):
    """A cached value and the tokens of its tags when it was built."""

    value: object
    tokens: dict


def shared():
    """The shared cache of entries (``NEWSDESK_CACHE``)."""
    return caches[conf.CACHE]


def tokens_cache():
    """The cache of tokens and the generation (``NEWSDESK_TOKEN_CACHE``, else the entries'):
    one of their own, so that entries culled for room never take them along."""
    return caches[conf.TOKEN_CACHE or conf.CACHE]


def _ttl(timeout=None):
    """An entry's lifetime in seconds, or None: until purged or evicted by size (a cache
    of one process: ``NEWSDESK_UNSHARED_CACHE_SECONDS`` at most, its bound on staleness)."""
    timeout = timeout or conf.RESPONSE_CACHE_TTL or None
    if not isinstance(shared(), LocMemCache):
        return timeout
    return min(timeout or conf.UNSHARED_CACHE_SECONDS, conf.UNSHARED_CACHE_SECONDS)


def _token_ttl():
    """Tokens outlive every entry (one evicted is a new token: a miss, never a stale hit)."""
    ttl = _ttl()
    return max(ttl, 60) * 4 if ttl else None


def _sizeof(entry):
    value = entry.value if isinstance(entry, Entry) else entry
    if isinstance(value, bytes | str):
        return len(value) + 200
    if isinstance(value, tuple | list):
        return 200 + sum(_sizeof(item) for item in value)
    return 200


class _Local:
    """This process's memory tier: a size-bounded (TTL) LRU behind a lock, with a lifetime
    only where the shared cache's entries have one."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        with self.lock:
            size, ttl = max(conf.LOCAL_CACHE_BYTES, 1), _ttl()
            self.lru = (
                cachetools.TTLCache(size, ttl=ttl, getsizeof=_sizeof)
                if ttl
                else cachetools.LRUCache(size, getsizeof=_sizeof)
            )

    def get(self, key):
        if conf.LOCAL_CACHE_BYTES:
            with self.lock:
                return self.lru.get(key)
        return None

    def set(self, key, entry):
        if conf.LOCAL_CACHE_BYTES and _sizeof(entry) <= conf.LOCAL_CACHE_BYTES // 2:
            with self.lock:
                self.lru[key] = entry


local = _Local()


# --- Reading and writing -------------------------------------------------------------


def generation():
    """The shared cache's purge count (read before a build), or None: unreachable."""
    return _tokens(())[1]


def _tokens(tags, cache=None):
    """({tag: token or None}, generation) in one read."""
    cache = cache or tokens_cache()
    found = cache.get_many([*(_TOKEN + tag for tag in tags), GENERATION])
    number = found.get(GENERATION)
    if number is None:
        # Empty or flushed: a random start. Unreachable: re-apply pending purges soon.
        if cache.add(GENERATION, _seed(), None):
            number = cache.get(GENERATION)
        else:
            _checked["suspect"] = True
    return {tag: found.get(_TOKEN + tag) for tag in tags}, number


def get(key):
    """The value under ``key`` while none of its tags was purged since it was built."""
    return get_many([key]).get(key, MISSING)


def get_many(keys):
    """{key: value} of the valid entries among ``keys``: one read of tokens, one of entries."""
    if getattr(_state, "batch", None) is not None:
        _flush()
    entries, rest = {}, []
    for key in keys:
        entry = local.get(key)
        if entry is None:
            rest.append(key)
        else:
            entries[key] = entry
    for key, entry in shared().get_many(rest).items() if rest else ():
        if isinstance(entry, Entry):
            entries[key] = entry
            local.set(key, entry)
    if not entries:
        return {}
    current, _generation = _tokens({tag for entry in entries.values() for tag in entry.tokens})
    return {
        key: entry.value
        for key, entry in entries.items()
        if all(current[tag] == token for tag, token in entry.tokens.items())
    }


def put(key, value, tags, since, timeout=None):
    """Store ``value`` under ``key`` with ``tags`` (and ``site``) unless one was purged after
    generation ``since``, read before the value's data was; returns whether it was stored."""
    if since is None:
        return False
    cache = tokens_cache()
    tokens, now = _tokens(set(tags) | {cache_keys.SITE}, cache)
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
    entry = Entry(value, tokens)
    shared().set(key, entry, _ttl(timeout))
    local.set(key, entry)
    return True


def memoize(key, compute, timeout=None, keys=None):
    """``compute()``, kept until one of ``keys`` (tags, or a function of the value giving
    them) or ``site`` is purged."""
    full_key = f"newsdesk:memo:{key}"
    value = get(full_key)
    if value is MISSING:
        since = generation()
        value = compute()
        put(full_key, value, (keys(value) if callable(keys) else keys) or (), since, timeout)
    return value


def memoized_count(queryset, key):
    """``queryset.count()`` (``queryset`` may be a function building it), kept until a story
    enters, leaves or moves in a listing (``cache_keys.LISTINGS``); ``key`` names it, else
    its SQL does. A count visits every matching story: listings pay it once per change."""
    if key is None:
        try:
            key = hashlib.sha256(str(queryset.query).encode()).hexdigest()[:32]
        except EmptyResultSet:
            return 0  # the ORM knows without asking the database (e.g. ``pk__in=[]``)
    count = lambda: _built(queryset).count()  # noqa: E731
    return memoize(f"count:{key}", count, keys=[cache_keys.LISTINGS])


def memoized_ids(queryset, offset, size, key):
    """The ids of ``queryset[offset:offset + size]`` (a listing page), kept like the count."""

    def page():
        return list(_built(queryset).values_list("pk", flat=True)[offset : offset + size])

    return memoize(f"ids:{key}:{offset}:{size}", page, keys=[cache_keys.LISTINGS])


def _built(queryset):
    return queryset() if callable(queryset) else queryset


# --- Purging ---------------------------------------------------------------------------

purged = Signal()  # sent once per committed transaction that purged, with ``tags``
_state = threading.local()
_checked = {"at": None, "suspect": False}


class _Batch:
    """The purges of one transaction; called on commit."""

    def __init__(self, sids=()):
        self.ids, self.tags, self.marks, self.sids = set(), set(), set(), set(sids)
        self.deferred = []  # functions giving more tags, called at commit
        self.done = False

    def __call__(self):
        _commit(self)


def _in_transaction(connection):
    """In a transaction of the caller's (one a test case opened around a test is not)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _held(connection):
    """The batches ``connection`` runs on commit (a savepoint rolled back dropped its own)."""
    return [func for _sids, func, _robust in connection.run_on_commit if isinstance(func, _Batch)]


def batch():
    """The purges of the transaction being run (``marks``: what its callers noted), or a
    fresh batch outside a transaction."""
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
    """Purge ``tags``: recorded in this transaction, applied once when it commits.

    ``deferred``: a function giving more tags, called at commit (what depends on the
    transaction's last writes).
    """
    tags = set(tags)
    if not tags:
        return
    current = batch()
    current.ids.add(_pending().objects.create(tags=" ".join(sorted(tags))).pk)
    current.tags |= tags
    if deferred is not None:
        current.deferred.append(deferred)
    if not _in_transaction(transaction.get_connection()):
        _commit(current)


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


def _commit(batch):
    if batch.done or not batch.tags:
        return
    batch.done = True
    known = set(batch.tags)
    for deferred in batch.deferred:
        batch.tags |= deferred()
    if apply(batch.tags):
        _pending().objects.filter(pk__in=batch.ids).delete()
    elif batch.tags - known:  # pending too, with the tags found at commit
        _pending().objects.create(tags=" ".join(sorted(batch.tags - known)))
    _state.last = frozenset(batch.tags)
    purged.send(sender=_pending(), tags=_state.last)


def when_purged(callback):
    """``callback(tags)`` with the tags this transaction purges (deferred ones included),
    on commit; outside a transaction at once, with those of this thread's last purge."""
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
    except Exception:  # noqa: BLE001 - unreachable: the purge stays pending
        number = None
    if isinstance(number, int):
        cache.set_many({_TOKEN + tag: number for tag in tags}, _token_ttl())
        if cache.get(_TOKEN + next(iter(tags))) == number:
            return True
    _checked["suspect"] = True
    return False


def _seed():
    # Below 2**53: django-redis increments through Lua, whose numbers are doubles.
    return secrets.randbits(32) << 16


def maintain():
    """Re-apply pending purges when due (see the module docstring): one query when due."""
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
