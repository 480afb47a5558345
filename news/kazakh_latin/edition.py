"""The Latin edition (``kk-Latn``): every Kazakh answer again, in Latin letters.

Derived, not translated (docs/kazakh-latin.md, "The edition"). ``kk-Latn`` is not a
language of ``LANGUAGES`` nor a wagtail-localize ``Locale``: Wagtail, wagtail-localize and
the admin never see it. ``LatinEditionMiddleware``, just outside the response cache, turns

* ``/kk-latn/<latin slugs>/`` into the Kazakh path (``/kk/<kazakh slugs>/``), lets the
  site answer it as it answers any Kazakh reader (routing, fallback, the response cache),
  and gives back that answer in Latin letters: its text (``html_to_latin``: a ``lang="ru"``
  fallback keeps its letters), its JSON-LD, its links (to ``/kk-latn/…``), ``lang`` and
  ``Content-Language`` (``kk-Latn``);
* a Cyrillic path under ``/kk-latn/`` into a 301 to its ASCII twin;
* an API request with ``locale=kk-Latn`` into the ``locale=kk`` request, its JSON
  transliterated the same way (``content_language: "kk-Latn"``).

Caching: the Kazakh answer comes from the response cache with its keys; the Latin text of
it is kept under the hash of the Kazakh bytes (``LATIN_PREFIX``) and the
``kazakh-latin-spellings`` key, which saving a ``LatinSpelling`` purges. So a correction
to the Kazakh story changes its Latin twin at once, and a cached Latin answer costs a
cached Kazakh answer plus one lookup. ``Surrogate-Key`` carries the Kazakh keys plus the
spellings key, for a CDN.

Off unless ``NEWSDESK_KAZAKH_LATIN_EDITION`` (a host that does not enable it sees nothing
change: no prefix, no alternates, no API value).
"""

import functools
import hashlib
import json
import re
from urllib.parse import unquote, urlsplit, urlunsplit

import cachetools
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified, HttpResponsePermanentRedirect
from django.utils import translation

from news import cache_keys
from news import tagged_cache as store
from news.conf import conf
from news.kazakh_latin import spellings as spellings_module
from news.kazakh_latin.markup import TAG_RE, html_to_latin
from news.kazakh_latin.text import CYRILLIC_RE, latin_slug, to_latin

CODE = "kk-Latn"  # BCP 47: what hreflang, lang, Content-Language and the API say
PREFIX = "kk-latn"  # the URL prefix (paths are lower-case, as /kk/, /ru/)
SOURCE = "kk"
SPELLINGS_KEY = "kazakh-latin-spellings"
LATIN_PREFIX = "newsdesk:kk-latn:"


def enabled():
    """True where the host turned the edition on and publishes in Kazakh."""
    return bool(conf.KAZAKH_LATIN_EDITION) and any(
        code == SOURCE for code, _name in settings.LANGUAGES
    )


def api_locale_choices(choices):
    """``choices`` (``[(code, label)]`` of the API's ``locale``) with ``kk-Latn`` after ``kk``.

    Listed wherever the site publishes in Kazakh: the schema (and the TypeScript client)
    is the package's contract; a site without the edition answers it 400.
    """
    result = []
    for code, label in choices:
        result.append((code, label))
        if code == SOURCE:
            result.append((CODE, CODE if label == code else local_name()))
    return result


def local_name():
    """The edition's name in the switcher: ``Qazaqşa`` (the Kazakh name, transliterated)."""
    name = conf.LANGUAGE_NAMES_LOCAL.get(CODE)
    if name:
        return name
    return to_latin(conf.LANGUAGE_NAMES_LOCAL.get(SOURCE) or "Қазақша")


# --- URLs ------------------------------------------------------------------------------


def _latin_segment(segment):
    text = unquote(segment)
    if text.isascii():
        return segment
    return latin_slug(text) or segment


def latin_path(path):
    """``/kk/жаңалықтар/x/`` -> ``/kk-latn/janalyqtar/x/``: the Latin twin of a Kazakh path."""
    rest = path.removeprefix(f"/{SOURCE}/") if path.startswith(f"/{SOURCE}/") else None
    if rest is None:
        rest = path.removeprefix(f"/{PREFIX}/") if path.startswith(f"/{PREFIX}/") else ""
    return f"/{PREFIX}/" + "/".join(_latin_segment(segment) for segment in rest.split("/"))


def latin_url(url):
    """A Kazakh URL (absolute or a path, with its query and fragment) under ``/kk-latn/``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=latin_path(parts.path)))


def alternate_links(links, url_key="url"):
    """``links`` (the switcher's or hreflang's dicts) with the Latin twin after Kazakh's.

    The twin's URL is the Kazakh link's, under ``/kk-latn/``; nothing changes when the
    edition is off or no link is Kazakh.
    """
    if not enabled():
        return links
    result = []
    for link in links:
        result.append(link)
        if link.get("code") == SOURCE:
            twin = {**link, "code": CODE, url_key: latin_url(link[url_key])}
            if "name" in twin:
                twin["name"] = local_name()
            if "is_current" in twin:
                twin["is_current"] = False
            result.append(twin)
    return result


@functools.lru_cache(maxsize=1)
def _route_words():
    """{latin: kazakh} for the Kazakh route words of the URLconf (``авторлар``…)."""
    from django.urls import URLResolver, get_resolver

    words = {}

    def walk(patterns):
        for pattern in patterns:
            for segment in str(pattern.pattern).split("/"):
                if segment and "<" not in segment and not segment.isascii():
                    word = segment.strip("^$")
                    words.setdefault(latin_slug(word), word)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)

    with translation.override(SOURCE):
        walk(get_resolver().url_patterns)
    return words


def _slug_map():
    """{latin slug: cyrillic slug} of the live pages whose slug is not ASCII.

    Kazakh pages first (a Russian story's slug may reach the same Latin letters);
    kept in the tagged cache until any story changes (``any``).
    """

    def compute():
        from wagtail.models import Page

        found = {}
        rows = (
            Page.objects.live()
            .exclude(slug__regex=r"^[-a-z0-9_]*$")
            .values_list("slug", "locale__language_code")
        )
        for slug, _language in sorted(rows, key=lambda row: (row[1] != SOURCE, row[0])):
            if not slug.isascii():
                found.setdefault(latin_slug(slug), slug)
        return found

    return store.memoize("kk-latn-slugs:v1", compute, keys=[cache_keys.ANY])


_PATHS = cachetools.LRUCache(20_000)  # {latin path: kazakh path}, checked by a 404


def kazakh_path(path, fresh=False):
    """The Kazakh path a ``/kk-latn/…`` path is the twin of."""
    if not fresh:
        known = _PATHS.get(path)
        if known is not None:
            return known
    rest = path.removeprefix(f"/{PREFIX}").lstrip("/")
    segments = rest.split("/")
    words = _route_words()
    slugs = None
    result = []
    for segment in segments:
        if not segment:
            result.append(segment)
            continue
        if segment in words:
            result.append(words[segment])
            continue
        if slugs is None:
            slugs = _slug_map()
        result.append(slugs.get(segment, segment))
    return f"/{SOURCE}/" + "/".join(result)


# --- Answers in Latin letters ------------------------------------------------------------

_HREF_RE = re.compile(
    r"""(\b(?:href|action|content|src)\s*=\s*["'])((?:https?://[^/"'\s]+)?/kk/[^"'\s]*)"""
)
_TEXT_URL_RE = re.compile(r"""((?:https?://[^/\s<>"'&]+)?)(/kk/[^\s<>"'&]*)""")
_HREFLANG_RE = re.compile(r"\bhreflang\s*=", re.IGNORECASE)
_LANG_KK_RE = re.compile(r"""(\blang=["'])kk(["'])""")
_JSON_LD_RE = re.compile(
    r"""(<script\b[^>]*type=["']application/ld\+json["'][^>]*>)(.*?)(</script>)""",
    re.DOTALL | re.IGNORECASE,
)
_META_CONTENT_RE = re.compile(r"""(<meta\b[^>]*\bcontent=")([^"]*)(")""", re.IGNORECASE)
_SWITCHER_KK_RE = re.compile(r'(<a\b[^>]*\bhreflang="kk"[^>]*?)( aria-current="page")')
_SWITCHER_LATN_RE = re.compile(r'(<a\b[^>]*\bhreflang="kk-Latn")')
_FEED_LANGUAGE_RE = re.compile(r"(<language>)kk(</language>)|(\bxml:lang=\")kk(\")")


def _rewrite_tag_links(html):
    def tag(match):
        text = match.group()
        if _HREFLANG_RE.search(text):
            return text  # an alternate or the switcher: it names the Kazakh page itself
        return _HREF_RE.sub(lambda m: m.group(1) + latin_url(m.group(2)), text)

    return TAG_RE.sub(tag, html)


def _json_to_latin(value, spellings, key=None):
    """A JSON value in Latin letters: text transliterated, URLs under /kk-latn/."""
    if isinstance(value, dict):
        if value.get("locale") not in (None, SOURCE):
            # A version in another language (a fallback): its text stays as it is; the
            # notice is the reader's, in Kazakh.
            return {
                k: _json_to_latin(v, spellings, k) if k == "fallback_notice" else _links_only(v)
                for k, v in value.items()
            }
        return {
            k: _translations(v, spellings)
            if k == "translations" and isinstance(v, list)
            else _json_to_latin(v, spellings, k)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_json_to_latin(item, spellings, key) for item in value]
    if not isinstance(value, str):
        return value
    if key in ("locale", "requested_locale", "content_language", "inLanguage", "language") and (
        value == SOURCE
    ):
        return CODE
    if value.startswith(("/kk/", "http://", "https://")):
        return _link(value)
    if "<" in value and ">" in value:
        return html_to_latin(_rewrite_tag_links(value), spellings=spellings)
    return to_latin(value, spellings=spellings)


def _translations(versions, spellings):
    """A story's versions: the Kazakh one as it is, its Latin twin after it, the others'
    links under /kk-latn/ (a reader of the edition follows them in it)."""
    result = []
    for version in versions:
        if isinstance(version, dict) and version.get("locale") == SOURCE:
            result.append(version)
            result.append(_json_to_latin(version, spellings))
        else:
            result.append(_json_to_latin(version, spellings))
    return result


def _links_only(value):
    """Only the links of ``value`` move under /kk-latn/."""
    if isinstance(value, dict):
        return {k: _links_only(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_links_only(item) for item in value]
    if isinstance(value, str) and value.startswith(("/kk/", "http://", "https://")):
        return _link(value)
    return value


_API_LOCALE_RE = re.compile(rf"(?<=[?&]locale=){SOURCE}(?=&|$)")


def _link(value):
    parts = urlsplit(value)
    if parts.path.startswith(f"/{SOURCE}/") and (not parts.netloc or parts.scheme):
        return latin_url(value)
    if "/api/" in parts.path and parts.query:
        return _API_LOCALE_RE.sub(CODE, value)  # the API's answer for the same reader
    return value


# As django.utils.html.json_script: nothing in the data can close the <script>.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def html(content, spellings):
    """A rendered Kazakh page in Latin letters (text, readers' attributes, JSON-LD, links)."""
    content = _rewrite_tag_links(content)
    scripts = []

    def keep_script(match):
        try:
            data = json.loads(match.group(2))
        except ValueError:
            return match.group()
        data = _json_to_latin(data, spellings)
        scripts.append(json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))
        return match.group(1) + f"\x00{len(scripts) - 1}\x00" + match.group(3)

    content = _JSON_LD_RE.sub(keep_script, content)
    content = html_to_latin(content, spellings=spellings, attributes=True)
    content = _META_CONTENT_RE.sub(
        lambda m: m.group(1) + to_latin(m.group(2), spellings=spellings) + m.group(3), content
    )
    content = re.sub(r"\x00(\d+)\x00", lambda m: scripts[int(m.group(1))], content)
    content = TAG_RE.sub(_mark_latin, content)
    # The switcher: the reader is on the Latin twin, not on the Kazakh page.
    if _SWITCHER_KK_RE.search(content):
        content = _SWITCHER_KK_RE.sub(r"\1", content)
        content = _SWITCHER_LATN_RE.sub(r'\1 aria-current="page"', content, count=1)
    return content


def _mark_latin(match):
    """``lang="kk"`` -> ``lang="kk-Latn"``, except on the switcher's link to the Kazakh page."""
    tag = match.group()
    if 'hreflang="kk"' in tag:
        return tag
    return _LANG_KK_RE.sub(rf"\1{CODE}\2", tag)


def feed(content, spellings):
    """An RSS or Atom feed in Latin letters (its links under /kk-latn/)."""
    content = _rewrite_tag_links(content)
    content = _TEXT_URL_RE.sub(lambda m: m.group(1) + latin_path(m.group(2)), content)
    content = html_to_latin(content, spellings=spellings)
    return _FEED_LANGUAGE_RE.sub(
        lambda m: (m.group(1) or m.group(3)) + CODE + (m.group(2) or m.group(4)), content
    )


def api(content, spellings):
    data = json.loads(content)
    return json.dumps(_json_to_latin(data, spellings), ensure_ascii=False)


def _transform(kind, content, spellings):
    if kind == "html":
        return html(content, spellings)
    if kind == "feed":
        return feed(content, spellings)
    return api(content, spellings)


def latin_content(kind, content_bytes, charset="utf-8"):
    """The Latin bytes of a Kazakh answer, kept under the hash of the Kazakh bytes."""
    digest = hashlib.blake2b(content_bytes, digest_size=16).hexdigest()
    key = f"{LATIN_PREFIX}{kind}:{conf.KAZAKH_LATIN_ALPHABET}:{digest}"
    if conf.RESPONSE_CACHE:
        found = store.get(key)
        if found is not store.MISSING:
            return found
    since = store.generation()
    spellings = spellings_module.current()
    result = _transform(kind, content_bytes.decode(charset), spellings).encode(charset)
    if conf.RESPONSE_CACHE and len(result) <= conf.RESPONSE_CACHE_MAX_BYTES:
        store.put(key, result, {SPELLINGS_KEY}, since)
    return result


# --- The middleware ----------------------------------------------------------------------

_CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


def _kind(response):
    content_type = response.get("Content-Type", "").lower()
    if "html" in content_type:
        return "html"
    if "xml" in content_type:
        return "feed"
    if "json" in content_type:
        return "api"
    return None


def _wants_latin_api(request):
    if "/api/" not in request.path_info:
        return False
    return request.GET.get("locale", "").lower() == PREFIX or request.GET.get(
        "path", ""
    ).startswith(f"/{PREFIX}/")


def _take_conditionals(request):
    """The request's validators, taken out: they name the Latin answer, not the Kazakh one."""
    return {name: request.META.pop(name) for name in _CONDITIONAL if name in request.META}


def _set_path(request, path):
    request.path_info = path
    request.path = request.META.get("SCRIPT_NAME", "").rstrip("/") + path
    request.META["PATH_INFO"] = path
    request.__dict__.pop("_newsdesk_match", None)  # the response cache's resolved route


class LatinEditionMiddleware:
    """Answers ``/kk-latn/…`` and ``locale=kk-Latn`` from the Kazakh answers (see above).

    Goes before ``news.caching.middleware.ResponseCacheMiddleware`` in ``MIDDLEWARE``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        path = request.path_info
        if path == f"/{PREFIX}" or path.startswith(f"/{PREFIX}/"):
            return self._page(request, path)
        if _wants_latin_api(request):
            return self._api(request)
        return self.get_response(request)

    def _page(self, request, path):
        if not unquote(path).isascii():
            query = request.META.get("QUERY_STRING")
            target = latin_path(unquote(path)) + (f"?{query}" if query else "")
            return HttpResponsePermanentRedirect(target)
        conditional = _take_conditionals(request)
        kazakh = kazakh_path(path)
        _set_path(request, kazakh)
        response = self.get_response(request)
        if response.status_code == 404 and path in _PATHS:
            # A slug changed since: look the path up again.
            _PATHS.pop(path, None)
            again = kazakh_path(path, fresh=True)
            if again != kazakh:
                _set_path(request, again)
                kazakh, response = again, self.get_response(request)
        if response.status_code == 200:
            _PATHS[path] = kazakh
        return self._latin(request, response, conditional)

    def _api(self, request):
        conditional = _take_conditionals(request)
        query = request.GET.copy()
        if query.get("path", "").startswith(f"/{PREFIX}/"):  # resolve/: a Latin path
            query["path"] = kazakh_path(query["path"])
        if "locale" in query:
            query["locale"] = SOURCE
        request.GET = query
        request.META["QUERY_STRING"] = query.urlencode()
        response = self.get_response(request)
        return self._latin(request, response, conditional)

    def _latin(self, request, response, conditional):
        if response.status_code in (301, 302, 303, 307, 308) and response.has_header("Location"):
            response["Location"] = _link(response["Location"])
            return response
        kind = _kind(response)
        if kind is None or getattr(response, "streaming", False):
            return response
        if response.status_code == 304:  # never asked for: conditionals were taken out
            return response
        content = latin_content(kind, response.content, response.charset or "utf-8")
        latin = HttpResponse(content, status=response.status_code)
        latin.headers._store.update(response.headers._store)
        latin["Content-Length"] = str(len(content))
        languages = [
            CODE if code.strip() == SOURCE else code.strip()
            for code in response.get("Content-Language", SOURCE).split(",")
        ]
        latin["Content-Language"] = ", ".join(languages)
        if response.has_header("Surrogate-Key"):
            spellings_key = cache_keys.public(SPELLINGS_KEY)
            latin["Surrogate-Key"] = f"{response['Surrogate-Key']} {spellings_key}"
            latin["Cache-Tag"] = latin["Surrogate-Key"].replace(" ", ",")
        if response.has_header("ETag"):
            etag = f'W/"{hashlib.blake2b(content, digest_size=12).hexdigest()}"'
            latin["ETag"] = etag
            wanted = conditional.get("HTTP_IF_NONE_MATCH", "")
            if any(tag.strip().removeprefix("W/") == etag[2:] for tag in wanted.split(",")):
                not_modified = HttpResponseNotModified()
                for header in ("ETag", "Last-Modified", "Cache-Control", "Vary", "X-Cache"):
                    if latin.has_header(header):
                        not_modified[header] = latin[header]
                return not_modified
        for cookie in response.cookies.values():
            latin.cookies[cookie.key] = cookie
        return latin


def cyrillic_share(text):
    """The share of letters of ``text`` still in Cyrillic (0.0 to 1.0)."""
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for char in letters if CYRILLIC_RE.match(char)) / len(letters)
