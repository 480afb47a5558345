"""Reference data (restricted paths, topics) that queries read by name, knowing nothing of
caching: ``news.apps`` plugs the tagged cache in as ``reader``; without it each read loads.
"""

reader = None  # ``reader(name, load)``: set once, at start-up


def read(name, load):
    """``load()``, or what the plugged-in reader keeps of it under ``name``."""
    return load() if reader is None else reader(name, load)
