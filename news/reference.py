"""Reference data: small tables that nearly every query reads (restricted paths, topics).

Queries and querysets read them by name with the function that loads them
(``read("topic-versions", load)``) and know nothing of caching. The layer that caches
plugs itself in as ``reader`` (``news.apps`` wires ``news.tagged_cache.memoize``: kept
until a site-wide change); without it each read loads.
"""

reader = None  # ``reader(name, load)``: set once, at start-up


def read(name, load):
    """``load()``, or what the plugged-in reader keeps of it under ``name``."""
    return load() if reader is None else reader(name, load)
