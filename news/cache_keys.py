"""Cache keys (tags): what an answer shows, registered while it is built (``add`` inside
``collect``; ``soft()`` for what it shows only a little of). docs/reliability.md lists them."""

import contextlib
import contextvars
import functools
import hashlib

from django.conf import settings

CHROME = "chrome"
SITE = "site"  # every entry: purging it purges everything
ANY = "any"  # answers that declared no key or show every story: any story change
LISTINGS = "listings"  # memoised listing totals and ids
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
    """The keys of ``language``'s listing narrowed by ``dimensions`` (index, topic, author)."""
    items = dimensions.items()
    narrowed = [listing(language, name, value.translation_key) for name, value in items if value]
    return narrowed or [listing(language)]


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
    """``tags`` as a CDN and the webhooks' receivers know them (``soft:`` kept), sorted."""
    split = (tag.rpartition(SOFT_PREFIX)[1:] for tag in tags)  # ("soft:" or "", key)
    return sorted(soft + public(key) for soft, key in split)


def _hex(value):
    return getattr(value, "hex", None) or str(value)


class Collected:
    """What one answer registered: hard and soft keys, the shared fragments it uses
    (news.fragments) and those built for it, and the scheme and host they are built for."""

    def __init__(self, base=None):
        self.hard, self.soft, self.fragments, self.built, self.base = set(), set(), [], {}, base


_collected = contextvars.ContextVar("newsdesk_cache_keys", default=None)
_soft_for = contextvars.ContextVar("newsdesk_cache_keys_soft", default=None)  # a Collected


@contextlib.contextmanager
def _set(variable, value):
    token = variable.set(value)
    try:
        yield value
    finally:
        variable.reset(token)


def collect(fragment_base=None):
    """Collect the keys registered inside the block, for it alone; ``fragment_base``: the
    scheme and host shared fragments inside are built for (else the outer block's)."""
    return _set(_collected, Collected(fragment_base or getattr(_collected.get(), "base", None)))


def collecting():
    """The keys being collected for the answer being built, or None."""
    return _collected.get()


def soft():
    """Keys the answer being built registers inside the block are soft (``soft:<key>``)."""
    return _set(_soft_for, _collected.get())


def add(*keys):
    """Register keys of what the answer being built shows (no-op outside ``collect``)."""
    collected = _collected.get()
    if collected is not None:
        target = collected.soft if _soft_for.get() is collected else collected.hard
        target.update(key for key in keys if key)
