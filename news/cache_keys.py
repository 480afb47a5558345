"""Cache keys: what a response shows, and purging exactly what changed.

Every cached answer (whole responses in news.caching.middleware, memoised values in
news.content_version, objects in a CDN such as Varnish) carries the *keys* of what it
shows: the stories (``s-<translation key>``), the listings they were taken from
(``l-<language>``, ``l-<language>-<dimension>-<value>`` for an index, a topic, an
author…), the topics whose names it prints (``t-<translation key>``) and the site chrome
(``chrome``). The delivery rules register them while a page is built (``add``), in one
place per rule: ``news.queries.news_for_locale`` registers the listing it queries,
``news.presentation.decorate`` the stories and topics it shows. A publish purges the keys
it affects (news.caching.invalidation), nothing else.

*Soft* keys: what a page shows only a little of is registered inside ``with soft():``.
Purging a soft key does not evict the page at once: it is served until it is
``NEWSDESK_SOFT_PURGE_SECONDS`` old, then rebuilt (Varnish: ``xkey.softpurge`` with the
same grace). A hard key evicts at once. An article's "other news" block is a shared
fragment (news.fragments) with hard keys of its own, spliced into the cached article;
the article carries them as soft keys for a CDN, which keeps it whole.

How a purge reaches every worker and app server: each key has a *token* in the shared
cache (``NEWSDESK_CACHE``; Redis across app servers, the on-disk default across the
workers of one host). An entry stores the tokens of its keys when it is stored and is
valid only while they are unchanged: a purge writes a new token, which makes every entry
that shows the key unreachable everywhere at once. At most one ``get_many`` per read,
and none while the purge generation (or its log) shows the entry's keys untouched; tokens are
a few dozen bytes and expire, and a lost token only ever causes a miss (a missing token
never matches a stored one, see ``tokens_for_store``).

Hand-written: django-cacheops and django-cachalot invalidate per table (a publish
touches every table every time); Django's cache has no tags. The token scheme is the one
of "generational" cache keys, kept to at most one round trip per read.
"""

import contextlib
import contextvars
import hashlib
import secrets
import time

from django.core.cache import caches

from news import redis_tracking
from news.conf import conf

CHROME = "chrome"
# Every response carries it: purging it is "purge everything" (Varnish: xkey.purge site).
SITE = "site"
# Carried by answers that registered no key (surfaces not keyed yet, e.g. Wagtail's API
# v2) and by answers whose content depends on every story (search, sitemaps): purged by
# every change, which is what the single content version used to do for everything.
ANY = "any"
# Memoised listing totals: purged whenever a story enters, leaves or moves in a listing.
LISTINGS = "listings"

_KEY_PREFIX = "newsdesk:key:"
GENERATION_KEY = "newsdesk:purge-generation"
_LOG_PREFIX = "newsdesk:purged:"
_MISSING = object()


def story(translation_key):
    """The key of a story: every language version of it (its pages show each other)."""
    return f"s-{_hex(translation_key)}"


def topic(translation_key):
    return f"t-{_hex(translation_key)}"


def listing(language, dimension=None, value=None):
    """The key of a listing: ``l-kk``, or ``l-kk-index-<key>``, ``l-kk-topic-<key>``…"""
    if dimension is None:
        return f"l-{language}"
    return f"l-{language}-{dimension}-{_hex(value)}"


def route(slug):
    """Memoised routes that end in ``slug`` (a page published under it may change them)."""
    return "r-" + hashlib.blake2b(str(slug).encode(), digest_size=8).hexdigest()


def _hex(value):
    return getattr(value, "hex", None) or str(value)


# --- Collecting the keys of what is being built ------------------------------------


class Collected:
    """The hard and soft keys registered while one answer was built.

    ``fragments``: the shared fragments the answer shows (news.fragments), one use each,
    and ``built`` the fragments built for it ({cache key: fragment}), spliced in as the
    answer leaves even when they could not be stored.
    """

    def __init__(self):
        self.hard = set()
        self.soft = set()
        self.fragments = []
        self.built = {}

    @property
    def only_soft(self):
        return self.soft - self.hard


_collected = contextvars.ContextVar("newsdesk_cache_keys", default=None)
_soft_mode = contextvars.ContextVar("newsdesk_cache_keys_soft", default=False)
# What shared fragments built during this answer are keyed by (the scheme and host their
# URLs are built for), or None: the answer is not cached, fragments are rendered inline.
_fragment_base = contextvars.ContextVar("newsdesk_fragment_base", default=None)


@contextlib.contextmanager
def collect(isolated=False, fragment_base=None):
    """Collect the keys registered inside the block (nested blocks also feed the outer).

    ``isolated``: the keys stay out of the outer block (a shared fragment holds its own).
    ``fragment_base``: answers built inside may show shared fragments (news.fragments),
    built for this scheme and host; the response cache middleware splices them in.
    """
    outer = _collected.get()
    collected = Collected()
    token = _collected.set(collected)
    base_token = _fragment_base.set(fragment_base) if fragment_base is not None else None
    soft_token = _soft_mode.set(False) if isolated else None
    try:
        yield collected
    finally:
        _collected.reset(token)
        if base_token is not None:
            _fragment_base.reset(base_token)
        if soft_token is not None:
            _soft_mode.reset(soft_token)
        if outer is not None and not isolated:
            outer.hard |= collected.hard
            outer.soft |= collected.soft


def collecting():
    """The keys being collected for the answer being built, or None."""
    return _collected.get()


def fragment_base():
    """The scheme and host shared fragments are built for, or None (render inline)."""
    return _fragment_base.get() if _collected.get() is not None else None


@contextlib.contextmanager
def soft():
    """Keys registered inside the block are soft (see the module docstring)."""
    token = _soft_mode.set(True)
    try:
        yield
    finally:
        _soft_mode.reset(token)


def add(*keys):
    """Register keys of what the answer being built shows (no-op outside ``collect``)."""
    collected = _collected.get()
    if collected is None:
        return
    target = collected.soft if _soft_mode.get() else collected.hard
    target.update(key for key in keys if key)


# --- Tokens --------------------------------------------------------------------------


def _cache():
    return caches[conf.CACHE]


def _token_ttl():
    # Longer than any entry lives; a token that expires anyway only causes misses.
    return max(conf.RESPONSE_CACHE_TTL, 60) * 4


def current_tokens(keys):
    """{key: token or None} for ``keys``: one ``get_many`` on the shared cache."""
    keys = list(keys)
    if not keys:
        return {}
    found = _cache().get_many([_KEY_PREFIX + key for key in keys])
    return {key: found.get(_KEY_PREFIX + key) for key in keys}


def tokens_for_store(keys, since_ns):
    """The tokens to store with an entry built from ``since_ns`` on, or None if it is stale.

    A key without a token gets one (``add``, which never overwrites a purge), so that a
    stored token is never "missing": a token lost later makes a miss, not a stale hit.
    None when a key was purged after ``since_ns`` (while the entry was being built).
    """
    tokens = current_tokens(keys)
    missing = [key for key, token in tokens.items() if token is None]
    if missing:
        cache = _cache()
        for key in missing:
            cache.add(_KEY_PREFIX + key, f"c{secrets.token_hex(6)}", _token_ttl())
        tokens.update(current_tokens(missing))
    for token in tokens.values():
        if token is None:
            return None  # the shared cache is down: store nothing
        if token[0] in "ph" and int(token[1:].split(".")[0], 16) >= since_ns:
            return None
    return tokens


def purge(keys, strict=False):
    """Give ``keys`` new tokens: every entry that shows one is gone, everywhere.

    ``strict``: entries that hold a key softly are gone too, at once (a story that readers
    may no longer see must leave every "other news" block now, not within the bound).
    """
    keys = set(keys)
    if not keys:
        return
    token = f"{'h' if strict else 'p'}{time.time_ns():x}.{secrets.token_hex(3)}"
    cache = _cache()
    cache.set_many({_KEY_PREFIX + key: token for key in keys}, _token_ttl())
    # After the tokens: a reader that sees the new generation sees the new tokens. The
    # purge log says which keys this generation purged (written after the count moved: a
    # reader that finds no log entry reads the tokens instead).
    try:
        number = cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet
        generation()
        number = cache.incr(GENERATION_KEY)
    # Also what makes a read after this purge fresh in every process: Redis answers this
    # command only after it has sent the generation's invalidation (news.redis_tracking).
    cache.set(f"{_LOG_PREFIX}{number}", frozenset(keys), _token_ttl())


def generation():
    """A number that moves with every purge anywhere (None if unknown): one read.

    A process that found an entry valid under generation G knows it is still valid
    while the generation is G, without reading anything more; when it moved, the purge
    log (the keys each generation purged, read once per process) tells whether the
    entry's keys were among them. A shared cache that has no generation yet gets one,
    started at a random number, so that a restarted count never meets a number a
    process remembers from before.
    """
    cache = _cache()
    value = _read_number(cache, GENERATION_KEY)
    if value is None:
        # Below 2**53: django-redis increments through Lua, whose numbers are doubles.
        cache.add(GENERATION_KEY, secrets.randbits(32) << 16, None)
        value = cache.get(GENERATION_KEY)
    return value


def _read_number(cache, key):
    """``cache.get(key)`` of a number; with django-redis, straight from Redis.

    Every cached answer reads the generation. With django-redis it is kept in this
    process and re-read only when Redis says it changed (news.redis_tracking); failing
    that, read from django-redis's client (its own ``get``, with key making, decoding
    and retries, was a fifth of a cached answer's time). Integers are stored as plain
    digits, so the raw value is the number. Redis down: None, as ``get`` says with
    ``IGNORE_EXCEPTIONS``.
    """
    client = getattr(cache, "client", None)
    get_client = getattr(client, "get_client", None)
    if get_client is None:
        return cache.get(key)
    try:
        tracked = _tracked(cache, key, get_client)
        try:
            raw = tracked.get() if tracked is not None else None
        except Exception:  # noqa: BLE001 - no tracking (old Redis, a proxy): the plain read
            tracked = None
        if tracked is None:
            raw = get_client(write=False).get(cache.make_key(key))
        return None if raw is None else int(raw)
    except Exception:  # noqa: BLE001 - a vanished Redis means "unknown", never a 500
        return None


# {(id of a connection pool, raw key): TrackedKey or None (not a plain connection pool)};
# each TrackedKey holds its pool, so no other pool can take that id while it is here.
_TRACKED = {}


def _tracked(cache, key, get_client):
    pool = getattr(get_client(write=False), "connection_pool", None)
    raw_key = cache.make_key(key)
    found = _TRACKED.get((id(pool), raw_key), _MISSING)
    if found is _MISSING:
        usable = pool is not None and hasattr(pool, "connection_class")
        found = redis_tracking.TrackedKey(pool, raw_key) if usable else None
        _TRACKED[(id(pool), raw_key)] = found
    return found


# {(entry key, stored at): purge generation under which this process found it valid}.
_validated = {}
_MAX_VALIDATED = 50_000
# {generation: keys it purged}, read from the purge log; {(from, to): keys purged between}.
_purge_log = {}
_purged_between = {}
# Farther apart than this, the log is not read: the tokens are.
_MAX_LOG_SPAN = 200


def _purged_since(since, generation):
    """The keys purged after generation ``since`` up to ``generation``, or None if unknown."""
    if not isinstance(since, int) or not isinstance(generation, int):
        return None
    if not 0 < generation - since <= _MAX_LOG_SPAN:
        return None
    known = _purged_between.get((since, generation))
    if known is not None:
        return known
    numbers = range(since + 1, generation + 1)
    wanted = [number for number in numbers if number not in _purge_log]
    if wanted:
        found = _cache().get_many([f"{_LOG_PREFIX}{number}" for number in wanted])
        for number in wanted:
            keys = found.get(f"{_LOG_PREFIX}{number}")
            if keys is None:
                return None  # not written yet, or expired: unknown
            _purge_log[number] = keys
        if len(_purge_log) > 4 * _MAX_LOG_SPAN:
            for number in sorted(_purge_log)[: -2 * _MAX_LOG_SPAN]:
                del _purge_log[number]
    purged = frozenset().union(*(_purge_log[number] for number in numbers))
    if len(_purged_between) > 10_000:
        _purged_between.clear()
    _purged_between[(since, generation)] = purged
    return purged


def known_valid(seen, tokens, generation):
    """True when this process knows the entry is valid under ``generation`` (no token read)."""
    if generation is None:
        return False
    since = _validated.get(seen)
    if since == generation:
        return True
    purged = _purged_since(since, generation)
    if purged is not None and purged.isdisjoint(tokens):
        _validated[seen] = generation
        return True
    return False


def changed_keys(seen, tokens, generation, current=None):
    """The keys of an entry stored with ``tokens`` that were purged since ([]: valid).

    ``seen`` names the stored entry (its cache key and when it was stored). No read when
    this process found it valid under an earlier generation and the purge log shows none
    of its keys purged since (``generation`` is the one the caller just read); else one
    read of its tokens, or none when the caller read them (``current``, for many entries
    at once).
    """
    if known_valid(seen, tokens, generation):
        return []
    if current is None:
        current = current_tokens(tokens)
    changed = [key for key, token in tokens.items() if current.get(key) != token]
    if not changed and generation is not None:
        if len(_validated) >= _MAX_VALIDATED:
            _validated.clear()
        _validated[seen] = generation
    return changed


def changed_keys_many(entries, generation):
    """``{seen: changed keys}`` for many entries (``{seen: tokens}``), in at most one read."""
    unknown = {
        seen for seen, tokens in entries.items() if not known_valid(seen, tokens, generation)
    }
    current = current_tokens({key for seen in unknown for key in entries[seen]}) if unknown else {}
    return {
        seen: [] if seen not in unknown else changed_keys(seen, entries[seen], generation, current)
        for seen in entries
    }


def now_ns():
    return time.time_ns()
