"""Cache keys (tags): what an answer shows, collected while it is built.

Every cached thing (news.tagged_cache: whole responses, shared fragments, API items,
memoised values; objects in a CDN such as Varnish) carries the *keys* of what it shows:
the stories (``s-<translation key>``), the listings they were taken from (``l-<language>``,
``l-<language>-<dimension>-<value>`` for an index, a topic, an author…), the topics whose
names it prints (``t-<translation key>``) and the site chrome (``chrome``). The surfaces
register them while an answer is built (``add``): ``news.presentation.decorate`` the
stories and topics it shows, the views the listings they show. A change purges the keys
it affects (news.caching.invalidation), nothing else.

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
# Every response carries it: purging it is "purge everything" (Varnish: xkey.purge site).
SITE = "site"
# Carried by answers that registered no key (surfaces not keyed yet, e.g. Wagtail's API
# v2) and by answers whose content depends on every story (search, sitemaps): purged by
# every change, which is what the single content version used to do for everything.
ANY = "any"
# Memoised listing totals: purged whenever a story enters, leaves or moves in a listing.
LISTINGS = "listings"


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


SOFT_PREFIX = "soft:"


@functools.lru_cache(maxsize=65536)
def public(key):
    """``key`` as readers and a CDN see it (``Surrogate-Key``): opaque, so that a page's
    headers never say which stories, hidden ones included, it links to."""
    secret = settings.SECRET_KEY.encode()[:64]
    return hashlib.blake2b(key.encode(), key=secret, digest_size=8).hexdigest()


def public_tags(tags):
    """``tags`` as a CDN and the webhooks' receivers know them (``public``; ``soft:<key>``
    stays soft), sorted."""
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
