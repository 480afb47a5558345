"""The one tagged cache: every cached thing is an ``Entry`` valid while its tags' tokens are.

Cached answers (news.caching.middleware), shared fragments (news.fragments), the API's
list items (news.api.items) and memoised values (``memoize``) all go through ``get`` and
``put``. An entry holds its value and the *token* of each tag (news.cache_keys: a story,
a listing, ``site``…) as it was when the entry was built; it is valid while every token
in the shared cache (``NEWSDESK_CACHE``: Redis, or the on-disk default) is unchanged.

* **The clock is the shared cache's generation.** A purge increments one counter (INCR)
  and writes the new number as the token of each purged tag. An entry built from a read
  that started at generation G is not stored if one of its tokens is newer than G (it
  was purged while the entry was built). No wall clock is compared anywhere.
* **A missing token is a new token.** Tokens that are missing (expired, Redis flushed or
  restarted empty) never match a stored one, and a restarted count starts at a random
  number, so an empty cache, or this process's memory tier, can never validate an entry
  built before. The shared cache unreachable: every read is a miss, the page is built
  from the database, nothing is stored.
* **Purges are durable.** ``purge`` writes the tags to a ``PendingPurge`` row in the
  caller's transaction and applies them once, on commit (one token write and one CDN
  purge task per transaction: ``transaction.on_commit``). A purge that cannot reach the
  shared cache stays pending; every process re-applies pending purges at most
  ``NEWSDESK_PURGE_RECHECK_SECONDS`` after its previous check, and at once after it
  found the shared cache empty or unreachable (``maintain``, run by the middleware and
  the task worker). Hence the bound in docs/reliability.md.
* **This process's memory** (``local``, cachetools' size-bounded TTL LRU) holds the
  entries it used last, in front of the shared cache; they are validated against the
  shared tokens like any other, so one hit costs one ``get_many`` of its tokens.
* **Entries live as long as they are true**: purges are exact, so the shared cache keeps
  an entry until a purge makes it invalid or eviction by size removes it
  (``NEWSDESK_RESPONSE_CACHE_TTL`` = 0; a number of seconds sets a lifetime again).
* **A per-process shared cache** (``LocMemCache``: a purge in one process does not reach
  another) keeps entries only ``NEWSDESK_UNSHARED_CACHE_SECONDS``; news.caching.checks
  warns about it.

Hand-written core (tokens, pending purges): django-cacheops and django-cachalot
invalidate per table (a publish touches every table each time) and Django's cache has
no tags. The memory tier is cachetools'.
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
from django.core.paginator import Paginator
from django.db import transaction
from django.dispatch import Signal
from django.utils.functional import cached_property

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
    """The shared cache of tokens and the generation (``NEWSDESK_TOKEN_CACHE``, else the
    entries'): one of their own, so that answers culled for room never take them along."""
    return caches[conf.TOKEN_CACHE or conf.CACHE]


def is_shared(cache=None):
    """False for a cache that lives in one process (purges would not reach the others)."""
    return not isinstance(cache or shared(), LocMemCache)


def _ttl(timeout=None):
    """An entry's lifetime in seconds, or None: until purged or evicted by size.

    Purges are exact, so a shared cache keeps entries as long as they are true
    (``NEWSDESK_RESPONSE_CACHE_TTL`` = 0, the default); a cache of one process keeps them
    ``NEWSDESK_UNSHARED_CACHE_SECONDS`` at most, its bound on staleness.
    """
    timeout = timeout or conf.RESPONSE_CACHE_TTL or None
    if is_shared():
        return timeout
    return min(timeout or conf.UNSHARED_CACHE_SECONDS, conf.UNSHARED_CACHE_SECONDS)


def _sizeof(entry):
    value = entry.value if isinstance(entry, Entry) else entry
    if isinstance(value, bytes | str):
        return len(value) + 200
    if isinstance(value, tuple | list):
        return 200 + sum(_sizeof(item) for item in value)
    return 200


class _Local:
    """This process's memory tier: a size-bounded TTL LRU (cachetools) behind a lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        with self.lock:
            size = max(conf.LOCAL_CACHE_BYTES, 1)
            ttl = _ttl()
            # Validated against the shared tokens on every read: a lifetime only where the
            # cache of entries has one (by size alone otherwise).
            self.lru = (
                cachetools.TTLCache(size, ttl=ttl, getsizeof=_sizeof)
                if ttl
                else cachetools.LRUCache(size, getsizeof=_sizeof)
            )

    def get(self, key):
        if not conf.LOCAL_CACHE_BYTES:
            return None
        with self.lock:
            return self.lru.get(key)

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
    names = [_TOKEN + tag for tag in tags]
    cache = cache or tokens_cache()
    found = cache.get_many([*names, GENERATION])
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
    if getattr(_state, "open", None):
        _flush()
    cache = shared()
    entries, rest = {}, []
    for key in keys:
        entry = local.get(key)
        if entry is None:
            rest.append(key)
        else:
            entries[key] = entry
    if rest:
        for key, entry in cache.get_many(rest).items():
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
    """Store ``value`` under ``key`` with ``tags`` if none was purged after generation ``since``.

    ``since``: ``generation()`` read before the value's data was read. Returns whether it
    was stored (not when the shared cache is unreachable, or a tag was purged meanwhile).
    """
    if since is None:
        return False
    cache = tokens_cache()
    tags = set(tags) | {cache_keys.SITE}
    tokens, now = _tokens(tags, cache)
    if now is None or now < since:
        return False  # unreachable, or restarted while the value was built
    missing = [tag for tag, token in tokens.items() if token is None]
    if missing:
        # A tag never purged (or whose token was lost): today's generation, which a purge
        # after ``since`` has already exceeded.
        for tag in missing:
            cache.add(_TOKEN + tag, now, _token_ttl())
        again, _now = _tokens(missing, cache)
        tokens.update(again)
    if any(token is None or token > since for token in tokens.values()):
        return False
    entry = Entry(value, tokens)
    shared().set(key, entry, _ttl(timeout))
    local.set(key, entry)
    return True


def memoize(key, compute, timeout=None, keys=None):
    """``compute()``, kept until one of ``keys`` (or ``site``) is purged.

    ``keys``: tags, or a function of the value giving them.
    """
    full_key = f"newsdesk:memo:{key}"
    value = get(full_key)
    if value is not MISSING:
        return value
    since = generation()
    value = compute()
    tags = (keys(value) if callable(keys) else keys) or ()
    put(full_key, value, tags, since, timeout)
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
    count = lambda: (queryset() if callable(queryset) else queryset).count()  # noqa: E731
    return memoize(f"count:{key}", count, keys=[cache_keys.LISTINGS])


def memoized_ids(queryset, offset, size, key):
    """The ids of ``queryset[offset:offset + size]`` (a listing page), kept like the count."""

    def page():
        rows = queryset() if callable(queryset) else queryset
        return list(rows.values_list("pk", flat=True)[offset : offset + size])

    return memoize(f"ids:{key}:{offset}:{size}", page, keys=[cache_keys.LISTINGS])


class MemoizedCountPaginator(Paginator):
    """Django's paginator, with the total from ``memoized_count``."""

    @cached_property
    def count(self):
        return memoized_count(self.object_list, None)


def _token_ttl():
    """Tokens outlive every entry: kept as long as entries are (a token evicted for room
    is a new token: a miss, never a stale hit)."""
    ttl = _ttl()
    return max(ttl, 60) * 4 if ttl else None


# --- Purging ---------------------------------------------------------------------------

purged = Signal()  # sent once per committed transaction that purged, with ``tags``
_state = threading.local()


class _Batch:
    def __init__(self):
        self.ids, self.tags, self.marks, self.sids = set(), set(), set(), set()
        self.deferred = []  # functions giving more tags, called at commit
        self.callback = lambda: _commit(self)


def _in_transaction(connection):
    """In a transaction of the caller's (one a test case opened around a test is not)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def batch():
    """The purges of the transaction being run (``marks``: what its callers noted), or a
    fresh batch outside a transaction."""
    connection = transaction.get_connection()
    if not _in_transaction(connection):
        return _Batch()
    batches = _state.__dict__.setdefault("open", [])
    registered = {id(func) for _sids, func, _robust in connection.run_on_commit}
    # Still registered, and registered in this transaction (its savepoints are still open).
    if (
        batches
        and id(batches[-1].callback) in registered
        and batches[-1].sids <= set(connection.savepoint_ids)
    ):
        return batches[-1]
    current = _Batch()
    current.sids = set(connection.savepoint_ids)
    batches.append(current)
    transaction.on_commit(current.callback)
    return current


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
    """Batches whose transaction ended without ``on_commit``: run (test case) or drop."""
    connection = transaction.get_connection()
    if _in_transaction(connection) or getattr(_state, "flushing", False):
        return
    _state.flushing = True  # a deferred function reads the cache: no flush inside a flush
    try:
        _flush_batches(connection)
    finally:
        _state.flushing = False


def _flush_batches(connection):
    registered = {id(func) for _sids, func, _robust in connection.run_on_commit}
    for batch in _state.open[:]:
        if batch not in _state.open:
            continue  # committed meanwhile (a deferred function read the cache)
        _state.open.remove(batch)
        if id(batch.callback) in registered:  # held by a test case's transaction
            _commit(batch)


def _commit(batch):
    if batch in getattr(_state, "open", ()):
        _state.open.remove(batch)
    if not batch.tags:
        return
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
    """``callback(tags)`` with the tags this transaction purges (``purge``'s own, deferred
    ones included), once known: on commit, after the purge; outside a transaction at once,
    with those of this thread's last purge."""
    if not _in_transaction(transaction.get_connection()):
        callback(getattr(_state, "last", frozenset()))
        return
    current = batch()
    transaction.on_commit(lambda: callback(frozenset(current.tags)))


def apply(tags):
    """Give ``tags`` new tokens in the shared cache; False if it could not be reached."""
    cache = tokens_cache()
    try:
        number = cache.incr(GENERATION)
    except ValueError:  # none yet (or flushed): a random start no old token can meet
        cache.add(GENERATION, _seed(), None)
        try:
            number = cache.incr(GENERATION)
        except ValueError:
            number = None
    except Exception:  # noqa: BLE001 - unreachable: the purge stays pending
        number = None
    if not isinstance(number, int):
        _checked["suspect"] = True
        return False
    cache.set_many({_TOKEN + tag: number for tag in tags}, _token_ttl())
    if cache.get(_TOKEN + next(iter(tags))) != number:
        _checked["suspect"] = True
        return False
    return True


def _seed():
    # Below 2**53: django-redis increments through Lua, whose numbers are doubles.
    return secrets.randbits(32) << 16


_checked = {"at": None, "suspect": False}


def maintain(now=None):
    """Re-apply pending purges when due (see the module docstring): one query when due."""
    if getattr(_state, "open", None):
        _flush()
    now = time.monotonic() if now is None else now
    last = _checked["at"]
    wait = 1.0 if _checked["suspect"] else conf.PURGE_RECHECK_SECONDS
    if last is not None and now - last < wait:
        return
    _checked["at"] = now
    try:
        pending = list(_pending().objects.values_list("pk", "tags")[:1000])
    except Exception:  # noqa: BLE001 - no table yet (before migrate): nothing to do
        logger.debug("pending purges: not readable", exc_info=True)
        return
    if not pending:
        _checked["suspect"] = False
        return
    if apply({tag for _pk, text in pending for tag in text.split()}):
        _checked["suspect"] = False
        _pending().objects.filter(pk__in=[pk for pk, _tags in pending]).delete()
        logger.info("re-applied %d pending cache purges", len(pending))
