"""Cache keys (tags): what an answer shows, collected while it is built.

Every cached thing (news.tagged_cache; objects in a CDN such as Varnish) carries the
*keys* of what it shows: the stories (``s-<translation key>``), the listings they were
taken from (``l-<language>``, ``l-<language>-<dimension>-<value>`` for an index, a topic,
an author…), the topics whose names it prints (``t-<translation key>``) and the site
chrome (``chrome``). The surfaces register them while an answer is built (``add``); a
change purges the keys it affects (news.caching.invalidation), nothing else.

*Soft* keys (registered inside ``with soft():``) are what a page shows only a little of:
the app treats them as any other key; a CDN is told ``soft:<key>`` and soft-purges them
(Varnish's ``xkey.softpurge``: served within its grace while refetched).
"""

import contextlib
import contextvars
import functools
import hashlib

from django.conf import settings

CHROME = "chrome"
# Every entry carries it: purging it is "purge everything" (Varnish: xkey.purge site).
SITE = "site"
# Carried by answers that registered no key (e.g. Wagtail's API v2) and by those that
# depend on every story (search, sitemaps): purged by every change to a story.
ANY = "any"
# Memoised listing totals: purged whenever a story enters, leaves or moves in a listing.
LISTINGS = "listings"
SOFT_PREFIX = "soft:"


def story(translation_key):
    """The key of a story: every language version of it (its pages show each other)."""
    return f"s-{_hex(translation_key)}"


def topic(translation_key):
    return f"t-{_hex(translation_key)}"


def listing(language, dimension=None, value=None):
    """The key of a listing: ``l-kk``, or ``l-kk-index-<key>``, ``l-kk-topic-<key>``…"""
    return f"l-{language}" if dimension is None else f"l-{language}-{dimension}-{_hex(value)}"


def listing_keys(language, **dimensions):
    """The keys of a listing of ``language`` narrowed by ``dimensions`` (index, topic,
    author: translatable objects, keyed by their translation key; None: not narrowed)."""
    narrowed = [(name, value) for name, value in dimensions.items() if value is not None]
    if not narrowed:
        return [listing(language)]
    return [listing(language, name, value.translation_key) for name, value in narrowed]


def route(slug):
    """Memoised routes that end in ``slug`` (a page published under it may change them)."""
    return "r-" + hashlib.blake2b(str(slug).encode(), digest_size=8).hexdigest()


@functools.lru_cache(maxsize=65536)
def public(key):
    """``key`` as readers and a CDN see it (``Surrogate-Key``): opaque, so that a page's
    headers never say which stories, hidden ones included, it links to."""
    secret = settings.SECRET_KEY.encode()[:64]
    return hashlib.blake2b(key.encode(), key=secret, digest_size=8).hexdigest()


def public_tags(tags):
    """``tags`` as a CDN and the webhooks' receivers know them (``soft:<key>`` stays soft),
    sorted."""
    return sorted(
        SOFT_PREFIX + public(tag.removeprefix(SOFT_PREFIX))
        if tag.startswith(SOFT_PREFIX)
        else public(tag)
        for tag in tags
    )


def _hex(value):
    return getattr(value, "hex", None) or str(value)


# --- Collecting the keys of what is being built ------------------------------------


class Collected:
    """The hard and soft keys registered while one answer was built; ``fragments``: the
    shared fragments it shows (news.fragments), one use each, ``built`` those built for it
    ({cache key: fragment}, spliced in even when not stored), ``base``: the scheme and host
    they are built for."""

    def __init__(self, base=None):
        self.hard, self.soft, self.fragments, self.built, self.base = set(), set(), [], {}, base


_collected = contextvars.ContextVar("newsdesk_cache_keys", default=None)
_soft_mode = contextvars.ContextVar("newsdesk_cache_keys_soft", default=False)


@contextlib.contextmanager
def collect(fragment_base=None):
    """Collect the keys registered inside the block, for it alone (a shared fragment built
    inside an answer holds its own keys).

    ``fragment_base``: answers built inside may show shared fragments (news.fragments),
    built for this scheme and host (else the outer block's); the response cache
    middleware splices them in.
    """
    outer = _collected.get()
    collected = Collected(fragment_base or (outer.base if outer is not None else None))
    token, soft_token = _collected.set(collected), _soft_mode.set(False)
    try:
        yield collected
    finally:
        _collected.reset(token)
        _soft_mode.reset(soft_token)


def collecting():
    """The keys being collected for the answer being built, or None."""
    return _collected.get()


def fragment_base():
    """The scheme and host shared fragments are built for, or None (render inline)."""
    collected = _collected.get()
    return collected.base if collected is not None else None


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
    if collected is not None:
        (collected.soft if _soft_mode.get() else collected.hard).update(k for k in keys if k)
