"""Shared fragments: a block that many cached answers show, cached once and spliced in.

Every article shows "other news": its curated stories, then the newest stories of its
language. Kept inside each cached article, a new story would make every article of the
language stale at once: with a publish every few seconds, thousands of rebuilds a minute
(issue 19). Instead the newest stories are one *fragment* per language (and scheme and
host, which its URLs are built for), an entry of the tagged cache (news.tagged_cache)
with the keys of what it shows. A cached answer (HTML or the API's) holds a marker, a
random token no text an editor writes can match, in its place; the response cache
middleware splices the fragment's current value in each time it serves the answer. A
publish rebuilds the fragment once, not every article. Outside the response cache (a
preview, a signed-in editor, the cache off) ``use`` returns None: the view renders inline.

Hand-written: Django's cache has no fragments keyed by content, and Varnish's ESI works
at a CDN only, at the cost of a request per fragment.
"""

import hashlib
import secrets
import time
from typing import NamedTuple

from news import cache_keys
from news import tagged_cache as store

PREFIX = "newsdesk:fragment:"


class Fragment(NamedTuple):
    """A built fragment: ``prefix + sep.join(items) + suffix``, or ``empty`` without items."""

    prefix: bytes
    items: tuple  # ((story key, bytes), ...), in the listing's order
    suffix: bytes
    empty: bytes
    sep: bytes
    capacity: int  # items asked for: fewer means the listing has no more
    keys: frozenset  # the cache keys of what it shows
    modified: int  # whole seconds, for Last-Modified


class Use(NamedTuple):
    """Where and how one answer shows a fragment: after its own ``head`` items, leaving out
    ``exclude`` (itself, its curated stories). A fragment holds ``2 × limit + 1`` items,
    enough whatever a use leaves out."""

    key: str
    target: bytes  # the marker's bytes in the answer
    head: tuple  # items the answer shows before the fragment's
    exclude: frozenset  # story keys the answer leaves out
    limit: int  # items in all


def use(name, build, *, limit, head=(), exclude=(), quoted=False):
    """The marker to write where the fragment ``name`` goes, or None: render inline.

    ``build(capacity)`` returns ``(prefix, [(story key, item)], suffix, empty, sep)``
    (bytes) for the first ``capacity`` items, and may add when the newest of them last
    changed (a timestamp, for Last-Modified; else the time it was built). ``quoted``: the
    marker sits in a JSON string, whose quotes the fragment replaces too.
    """
    base, collected = cache_keys.fragment_base(), cache_keys.collecting()
    exclude, capacity = frozenset(exclude), 2 * limit + 1
    if base is None or len(exclude) > limit + 1:
        return None
    key = (
        PREFIX + hashlib.blake2b(f"{base}\n{name}\n{capacity}".encode(), digest_size=12).hexdigest()
    )
    fragment = collected.built.get(key) or _current(key)
    if fragment is None:
        since = store.generation()
        with cache_keys.collect() as shown:
            prefix, items, suffix, empty, sep, *changed = build(capacity)
        keys = frozenset(shown.hard | shown.soft)
        modified = changed[0] if changed and changed[0] is not None else int(time.time())
        fragment = Fragment(prefix, tuple(items), suffix, empty, sep, capacity, keys, modified)
        store.put(key, fragment, keys, since)  # not when purged while built: used once
    collected.built[key] = fragment
    marker = f"@@newsdesk-fragment-{secrets.token_hex(10)}@@"
    target = f'"{marker}"' if quoted else marker
    collected.fragments.append(Use(key, target.encode(), tuple(head), exclude, limit))
    return marker


def _current(key):
    fragment = store.get(key)
    return fragment if isinstance(fragment, Fragment) else None


def splice(content, uses, built=None):
    """``(content, keys, modified)`` with each use's fragment in, or None if one is gone.

    ``keys``: what the fragments show (for ``Surrogate-Key``); ``modified``: the newest
    fragment's time.
    """
    keys, modified = set(), 0
    for one in uses:
        fragment = (built or {}).get(one.key) or _current(one.key)
        if fragment is None:
            return None
        shown = list(one.head[: one.limit])
        for story, item in fragment.items:
            if len(shown) >= one.limit:
                break
            if story not in one.exclude:
                shown.append(item)
        if len(shown) < one.limit and len(fragment.items) >= fragment.capacity:
            return None  # cannot happen with capacity 2 × limit + 1; never show too few
        block = (
            fragment.prefix + fragment.sep.join(shown) + fragment.suffix
            if shown
            else fragment.empty
        )
        content = content.replace(one.target, block)
        keys |= fragment.keys
        modified = max(modified, fragment.modified)
    return content, keys, modified
