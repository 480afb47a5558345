"""Shared fragments: a block many cached answers show ("other news"), cached once and
spliced in as each answer is served (docs/reliability.md). Hand-written: Django's cache
has no such fragments; Varnish's ESI works at a CDN only, a request per fragment.
"""

import hashlib
import secrets
import time
from typing import NamedTuple

from news import cache_keys
from news import tagged_cache as store

PREFIX = "newsdesk:fragment:v2:"


class Fragment(NamedTuple):
    """A built fragment: ``prefix + sep.join(items) + suffix``, or ``empty`` without items;
    ``items``: ``(story key, bytes)`` in the listing's order; ``keys``: what it shows."""

    prefix: bytes
    items: tuple
    suffix: bytes
    empty: bytes
    sep: bytes
    keys: frozenset
    modified: int  # whole seconds, for Last-Modified


class Use(NamedTuple):
    """One answer's use of a fragment, at ``target`` (the marker's bytes): its ``limit``
    items after the answer's own ``head``, leaving out the stories ``exclude`` names (a
    fragment holds ``2 × limit + 1``: enough in every case)."""

    key: str
    target: bytes
    head: tuple
    exclude: frozenset
    limit: int


def use(name, build, *, limit, head=(), exclude=(), quoted=False):
    """The marker to write where the fragment ``name`` goes, or None: render inline.

    ``build(capacity)``: ``(prefix, [(story key, item)], suffix, empty, sep)`` in bytes, and
    optionally the newest item's change time (Last-Modified). ``quoted``: the marker sits in
    a JSON string, whose quotes the fragment replaces too.
    """
    collected = cache_keys.collecting()
    base = getattr(collected, "base", None)
    exclude, capacity = frozenset(exclude), 2 * limit + 1
    if base is None or len(exclude) > limit + 1:
        return None
    digest = hashlib.blake2b(f"{base}\n{name}\n{capacity}".encode(), digest_size=12)
    key = PREFIX + digest.hexdigest()
    fragment = collected.built.get(key) or _current(key)
    if fragment is None:
        since = store.generation()
        with cache_keys.collect() as shown:
            prefix, items, suffix, empty, sep, *changed = build(capacity)
        keys = frozenset(shown.hard | shown.soft)
        modified = changed[0] if changed and changed[0] is not None else int(time.time())
        fragment = Fragment(prefix, tuple(items), suffix, empty, sep, keys, modified)
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
    """``(content, keys, modified)``: each use's fragment in, the keys of what they show and
    the newest one's time; or None if one is gone."""
    keys, modified = set(), 0
    for one in uses:
        fragment = (built or {}).get(one.key) or _current(one.key)
        if fragment is None:
            return None
        others = [item for story, item in fragment.items if story not in one.exclude]
        shown = [*one.head, *others][: one.limit]
        block = (
            fragment.prefix + fragment.sep.join(shown) + fragment.suffix
            if shown
            else fragment.empty
        )
        content = content.replace(one.target, block)
        keys |= fragment.keys
        modified = max(modified, fragment.modified)
    return content, keys, modified
