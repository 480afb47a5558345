"""Every value the settings read from the environment goes through here.

A malformed value fails loudly with ``ImproperlyConfigured`` instead of silently
turning into a default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}")


def env_int(name, default, minimum=None):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_fallbacks(name, languages, default):
    """Parse ``ru:kk,en;en:kk,ru`` into ``{"ru": ["kk", "en"], "en": ["kk", "ru"]}``.

    Every language named must be one of ``languages``; a language missing from
    the variable gets the other languages in their configured order.
    """
    raw = os.environ.get(name)
    chains = {}
    if raw:
        for part in raw.split(";"):
            if not part.strip():
                continue
            code, sep, rest = part.partition(":")
            code = code.strip()
            chain = [c.strip() for c in rest.split(",") if c.strip()]
            if not sep or code not in languages or any(c not in languages for c in chain):
                raise ImproperlyConfigured(
                    f"{name}: {part!r} is not 'lang:fallback,fallback' with languages "
                    f"from {', '.join(languages)}"
                )
            chains[code] = [c for c in chain if c != code]
    else:
        chains = {k: list(v) for k, v in default.items() if k in languages}
    for code in languages:
        chain = [c for c in chains.get(code, []) if c in languages and c != code]
        chain += [c for c in languages if c != code and c not in chain]
        chains[code] = chain
    return chains
