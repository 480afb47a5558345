"""Reference data: small tables that nearly every query reads (restricted paths, topics).

Queries and querysets read them by name with the function that loads them
(``read("topic-versions", load)``) and know nothing of caching. The layer that caches
plugs itself in (``news.apps`` wires ``news.tagged_cache.memoize``: kept until a
site-wide change); without it each read loads.
"""

_reader = None


def read(name, load):
    """``load()``, or what the plugged-in reader keeps of it under ``name``."""
    return load() if _reader is None else _reader(name, load)


def use(reader):
    """Read reference data through ``reader(name, load)`` (None: load each time)."""
    global _reader  # noqa: PLW0603 - one reader per process, set once at start-up
    _reader = reader
