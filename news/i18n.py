"""Languages, fallback chains and language-prefixed URLs, in one place."""

from django.conf import settings
from django.utils import translation


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def normalize_language(code):
    """A configured language code for ``code`` (``ru-RU`` -> ``ru``), or None."""
    if not code:
        return None
    code = code.lower()
    codes = language_codes()
    if code in codes:
        return code
    base = code.split("-")[0].split("_")[0]
    return base if base in codes else None


def active_language():
    return normalize_language(translation.get_language()) or settings.LANGUAGE_CODE


def fallback_chain(language):
    """The requested language followed by its fallbacks, best first."""
    return [language, *settings.NEWSDESK_FALLBACKS.get(language, [])]


def local_name(language):
    """A language's name as its own speakers write it (``Қазақша``, ``Русский``)."""
    return settings.NEWSDESK_LANGUAGE_NAMES_LOCAL.get(language, language)


def swap_language_prefix(url, language):
    """``/kk/news/x/`` -> ``/ru/news/x/``; URLs without a language prefix get one."""
    if not url:
        return url
    scheme_host = ""
    path = url
    if "://" in url:
        scheme, rest = url.split("://", 1)
        host, _sep, path = rest.partition("/")
        scheme_host = f"{scheme}://{host}"
        path = "/" + path
    parts = path.split("/", 2)  # ['', 'kk', 'rest']
    if len(parts) >= 2 and normalize_language(parts[1]) == parts[1] and parts[1]:
        rest = parts[2] if len(parts) > 2 else ""
        return f"{scheme_host}/{language}/{rest}"
    return f"{scheme_host}/{language}{path}"
