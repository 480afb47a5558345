"""Languages, fallback chains and language-prefixed URLs, in one place."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, override, pgettext, pgettext_lazy

from news.conf import conf


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
    return [language, *conf.FALLBACKS.get(language, [])]


def local_name(language):
    """A language's name as its own speakers write it (``Қазақша``, ``Русский``).

    ``NEWSDESK_LANGUAGE_NAMES_LOCAL`` first, then Django's own table, then the code.
    """
    name = conf.LANGUAGE_NAMES_LOCAL.get(language)
    if name:
        return name
    try:
        return translation.get_language_info(language)["name_local"]
    except KeyError:
        return language


def swap_language_prefix(url, language):
    """``/kk/news/x/`` -> ``/ru/news/x/``; URLs without a language prefix get one.

    An absolute ``http(s)://host/…`` URL keeps its origin. Anything else is a path on
    this site: its query and fragment are kept as they are (a ``://`` there is not a
    scheme), and the result always starts with a single ``/``, never ``//`` or ``/\\``
    (a browser reads those as another host).
    """
    if not url:
        return url
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        origin, path, query, fragment = (
            f"{parts.scheme}://{parts.netloc}",
            parts.path,
            parts.query,
            parts.fragment,
        )
    else:
        origin = ""
        path, _hash, fragment = url.partition("#")
        path, _question, query = path.partition("?")
    path = "/" + path.lstrip("/\\")
    segments = path.split("/", 2)  # ['', 'kk', 'rest']
    if segments[1] and normalize_language(segments[1]) == segments[1]:
        path = f"/{language}/" + (segments[2] if len(segments) > 2 else "")
    else:
        path = f"/{language}{path}"
    return origin + urlunsplit(("", "", path, query, fragment))


# "Only available ___": each language in the phrase a sentence needs, in the reader's
# language: «на казахском языке», «қазақ тілінде», "in Kazakh (Қазақша)". A case, not a
# name pasted between quotation marks. The English catalogue adds the language's own
# name after the English one, so an English reader also knows what to click.
_AVAILABLE_IN_CONTEXT = "fallback notice: the story is available …"
AVAILABLE_IN = {
    "kk": pgettext_lazy(_AVAILABLE_IN_CONTEXT, "in Kazakh"),
    "ru": pgettext_lazy(_AVAILABLE_IN_CONTEXT, "in Russian"),
    "en": pgettext_lazy(_AVAILABLE_IN_CONTEXT, "in English"),
}


def available_in(language):
    """``language`` as "only available ___" needs it, in the active language.

    A language without its own phrase (a site that adds one to ``NEWSDESK_LANGUAGES``)
    gets a neutral construction around Django's translated name («на языке «Deutsch»»).
    """
    phrase = AVAILABLE_IN.get(language)
    if phrase is not None:
        return str(phrase)
    try:
        name = translation.get_language_info(language)["name_translated"]
    except KeyError:
        name = local_name(language)
    return pgettext(_AVAILABLE_IN_CONTEXT, "in %(language)s") % {"language": name}


def join_names(names):
    """``a``, ``a and b``, ``a, b and c`` in the active language (as the HTML notice)."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(names[:-1]), "last": names[-1]}


def fallback_notice(available_languages, requested_language):
    """The plain-text notice shown when content is not in the reader's language.

    ``available_languages`` are the codes the story exists in; the notice is
    written in ``requested_language``, each other language in the case the
    sentence needs, e.g. «Этот текст доступен только на казахском языке.», "This
    story is only available in Kazakh (Қазақша).". It uses the msgids of the HTML
    component (news/templates/news/components/fallback_notice.html), so the site
    and the API say the same words.
    """
    with override(requested_language):
        names = join_names(
            available_in(code) for code in available_languages if code != requested_language
        )
        return gettext("This story is only available %(languages)s.") % {"languages": names}
