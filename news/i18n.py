"""Languages, fallback chains and language-prefixed URLs, in one place."""

from dataclasses import dataclass
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


def chain_rank(code, language):
    """Where ``code`` stands along ``language``'s fallback chain: 0 for ``language`` itself,
    1 for its first fallback…, the chain's length for a language outside it."""
    chain = fallback_chain(language)
    return chain.index(code) if code in chain else len(chain)


def best_version(versions, language, *, code=None):
    """The one best-version rule: the version readers of ``language`` get, or None.

    ``versions`` is ``{language code: version}``, or versions whose language ``code(v)``
    gives (default: ``v.locale.language_code``). The first along ``language``'s fallback
    chain wins; a version outside the chain is never chosen. In SQL the same rule is
    ``news.querysets.in_best_language`` (a filter, so listings count and page exactly).
    """
    if isinstance(versions, dict):
        items = versions.items()
    else:
        code = code or (lambda version: version.locale.language_code)
        items = ((code(version), version) for version in versions)
    limit = len(fallback_chain(language))
    best = min(
        ((chain_rank(c, language), position, v) for position, (c, v) in enumerate(items)),
        default=None,
        key=lambda ranked: ranked[:2],
    )
    return best[2] if best is not None and best[0] < limit else None


@dataclass(frozen=True)
class Localized:
    """What a reader of ``requested`` gets, and the language it is really in.

    ``value`` is a page, a snippet or any content; ``language`` its content language
    (None when nothing in the chain exists). Surfaces mark objects with
    :func:`mark` (``content_language``, ``is_fallback``) from this one value.
    """

    value: object
    language: str | None
    requested: str

    @property
    def is_fallback(self):
        return self.language != self.requested

    def url(self, url):
        """``url`` as this reader follows it: a fallback is served under their prefix."""
        return swap_language_prefix(url, self.requested) if self.is_fallback else url


_ITS_LOCALE = object()


def localized(value, language, content_language=_ITS_LOCALE):
    """:class:`Localized` for ``value`` (in ``content_language``, default its locale's)."""
    if content_language is _ITS_LOCALE:
        content_language = value.locale.language_code
    return Localized(value, content_language, language)


def mark(value, language, content_language=_ITS_LOCALE):
    """Set ``content_language`` and ``is_fallback`` on ``value``: the one place they are set.

    Returns the :class:`Localized` it was marked from.
    """
    found = localized(value, language, content_language)
    value.content_language = found.language
    value.is_fallback = found.is_fallback
    return found


def language_links(language, url_for):
    """The language switcher, built once: one link per configured language.

    ``url_for(code)`` says where a reader of ``code`` goes: ``(url, is_translation)``,
    ``is_translation`` False when that URL serves a fallback.
    """
    links = []
    for code in language_codes():
        url, is_translation = url_for(code)
        links.append(
            {
                "code": code,
                "name": local_name(code),
                "url": url,
                "is_current": code == language,
                "is_translation": is_translation,
            }
        )
    return links


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
