"""Shared fragments: blocks many cached answers show ("other news"), cached once and
spliced in as each answer is served (docs/reliability.md). Hand-written: Django's cache
has no such fragments; Varnish's ESI works at a CDN only, a request per fragment."""

import hashlib
import heapq
import secrets
import time
from operator import itemgetter
from typing import NamedTuple

from news import cache_keys
from news import tagged_cache as store

PREFIX = "newsdesk:fragment:v3:"


class Fragment(NamedTuple):
    """A built fragment: ``prefix + sep.join(items) + suffix``, or ``empty`` without items;
    ``items``: ``(story key, bytes, order)``, highest order first; ``keys``: what it shows."""

    prefix: bytes
    items: tuple
    suffix: bytes
    empty: bytes
    sep: bytes
    keys: frozenset
    modified: int  # whole seconds, for Last-Modified


class Use(NamedTuple):
    """One answer's use of fragments, at ``target`` (the marker's bytes): its ``head``, then
    the items of the fragments ``merged`` (by order, each story once) and, while they are
    fewer than ``2 × limit + 1``, those of ``rest``; without the stories ``exclude`` names,
    ``limit`` items in all (a fragment holds ``2 × limit + 1``: enough in every case)."""

    merged: tuple
    rest: str
    target: bytes
    head: tuple
    exclude: frozenset
    limit: int


def use(sources, rest, *, limit, head=(), exclude=(), quoted=False):
    """The marker to write where the fragments go, or None: render inline.

    ``sources`` and ``rest``: ``(name, build)``; ``build(capacity)`` gives ``(prefix,
    [(story key, item, order)], suffix, empty, sep)`` in bytes, and optionally the newest
    item's change time (Last-Modified). ``quoted``: the marker sits in a JSON string, whose
    quotes the fragments replace too.
    """
    collected = cache_keys.collecting()
    base = getattr(collected, "base", None)
    exclude, capacity = frozenset(exclude), 2 * limit + 1
    if base is None or len(exclude) > limit + 1:
        return None

    def fragment(name, build):
        digest = hashlib.blake2b(f"{base}\n{name}\n{capacity}".encode(), digest_size=12)
        key = PREFIX + digest.hexdigest()
        found = collected.built.get(key) or store.get_many([key]).get(key)
        if found is None:
            since = store.generation()
            with cache_keys.collect() as shown:
                prefix, items, suffix, empty, sep, *changed = build(capacity)
            keys = frozenset(shown.hard | shown.soft)
            modified = changed[0] if changed and changed[0] is not None else int(time.time())
            found = Fragment(prefix, tuple(items), suffix, empty, sep, keys, modified)
            store.put(key, found, keys, since)  # not when purged while built: used once
        collected.built[key] = found
        return key

    merged, rest = tuple(fragment(*source) for source in sources), fragment(*rest)
    marker = f"@@newsdesk-fragment-{secrets.token_hex(10)}@@"
    target = f'"{marker}"' if quoted else marker
    collected.fragments.append(Use(merged, rest, target.encode(), tuple(head), exclude, limit))
    return marker


def splice(content, uses, built=None):
    """``(content, keys, modified)``: each use's fragments in, the keys of what they show
    and the newest one's time; or None if one is gone."""
    built = built or {}
    wanted = {key for use_ in uses for key in (*use_.merged, use_.rest)} - built.keys()
    current = {**store.get_many(wanted), **built}  # one read of the shared cache
    keys, modified = set(), 0
    for use_ in uses:
        found, items = [current.get(key) for key in use_.merged], {}
        merged = heapq.merge(*(one.items for one in found if one), key=itemgetter(2), reverse=True)
        for story, item, _rank in merged:
            items.setdefault(story, item)  # each story once, where it ranks highest
        if len(items) < 2 * use_.limit + 1:  # every story sharing a topic is in: the newest
            found.append(current.get(use_.rest))
            for story, item, _rank in getattr(found[-1], "items", ()):
                items.setdefault(story, item)
        if None in found:
            return None
        others = [item for story, item in items.items() if story not in use_.exclude]
        shown = [*use_.head, *others][: use_.limit]
        outer = next((one for one in found if one.items), found[0])
        block = outer.prefix + outer.sep.join(shown) + outer.suffix if shown else outer.empty
        content = content.replace(use_.target, block)
        keys.update(*(one.keys for one in found))
        modified = max(modified, *(one.modified for one in found))
    return content, keys, modified
