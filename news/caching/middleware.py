"""Whole-response caching for anonymous readers, purged by key, with ETags and 304s.

Each answer is a tagged-cache entry holding the keys of what it shows (also sent opaque
in ``Surrogate-Key`` and ``Cache-Tag``), decided by the route and ``Vary``, never by the
path (docs/reliability.md). Signed-in users, previews and non-GET requests bypass.

Hand-written: Django's per-site cache keys by URL and expires by time; it cannot purge by
what a page shows, nor answer a 304 without running the view.
"""

import fnmatch
import hashlib
import threading
import time
from urllib.parse import urlencode

import cachetools
from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, get_max_age
from django.utils.http import http_date, parse_http_date_safe

from news import cache_keys, fragments
from news import tagged_cache as store
from news.conf import conf

KEY_PREFIX = "newsdesk:response:"
# Never cached: these routes (URL names), views of these modules, requests with these cookies.
BYPASS_ROUTES = frozenset({"newsdesk_api:preview"})
BYPASS_MODULES = ("wagtail.admin", "wagtail.documents", "django.contrib.admin")
BYPASS_COOKIES = ("messages",)
# Answers that show every story (purged by any change) and those kept as long as the API's.
EVERY_STORY_ROUTES = frozenset({"sitemap", "news_sitemap"})
FEEDS = frozenset({"news_feed_rss", "news_feed_atom", "topic_feed_rss", "topic_feed_atom"})
LONG_LIVED_ROUTES = FEEDS | EVERY_STORY_ROUTES
NUMERIC_PARAMETERS = frozenset({"page", "page_size", "limit", "offset", "p"})  # small numbers
MAX_PARAMETER_LENGTH = 200
_MATCHES = cachetools.LRUCache(20_000)  # URL patterns do not change while a process runs
_asked = cachetools.LRUCache(10_000)  # {variant: requests} of free-text variants
_asked_lock = threading.Lock()


def _resolved(request):
    """The request's ResolverMatch (or None), memoised per path (a fifth of a hit's time
    otherwise), under the path's language (LocaleMiddleware runs after us)."""
    if not hasattr(request, "_newsdesk_match"):
        path, urlconf = request.path_info, getattr(request, "urlconf", settings.ROOT_URLCONF)
        known = _MATCHES.get((urlconf, path), store.MISSING)
        if known is store.MISSING:
            language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
            try:
                with translation.override(language):
                    known = resolve(path, urlconf)
            except Resolver404:
                known = None
            _MATCHES[(urlconf, path)] = known
        request._newsdesk_match = known
    return request._newsdesk_match


def negotiates(request):
    """True when the view picks its renderer (and language) from the request's headers."""
    func = getattr(_resolved(request), "func", None)
    view = getattr(func, "cls", None) or getattr(func, "view_class", None)
    return hasattr(view, "renderer_classes")


def bypasses(request):
    """True when this request must not be answered from (or stored in) the cache."""
    cookies = request.COOKIES
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return True
    if settings.SESSION_COOKIE_NAME in cookies or any(name in cookies for name in BYPASS_COOKIES):
        return True
    match = _resolved(request)  # None: nothing of ours answers it (a 404 is never kept)
    if match is None or match.view_name in BYPASS_ROUTES:
        return True
    return match.func.__module__.startswith(BYPASS_MODULES)


def cache_query(request):
    """The query string of this request's variant (known parameters, sorted; tracking tags
    left out), or None: not cached (another parameter, an overlong value or page number)."""
    if not request.META.get("QUERY_STRING"):
        return ""
    known, kept = frozenset(conf.CACHE_QUERY_PARAMETERS), []
    for name, values in sorted(request.GET.lists()):
        if name in known:
            for value in values:
                if len(value) > MAX_PARAMETER_LENGTH or (
                    name in NUMERIC_PARAMETERS and not (value.isdigit() and len(value) <= 6)
                ):
                    return None
            kept.append((name, values))
        elif not any(fnmatch.fnmatchcase(name, p) for p in conf.CACHE_IGNORED_QUERY_PARAMETERS):
            return None
    return urlencode(kept, doseq=True)


def keyed_headers(request):
    """The request headers this request's variant is made by (lower-case names)."""
    if negotiates(request):
        return ("accept", "accept-language")
    if translation.get_language_from_path(request.path_info) is None:
        return ("accept-language",)  # LocaleMiddleware picks the language (and the cookie)
    return ()


def variant(request, query=None):
    """Everything besides the keys that can change the answer to this request."""
    query = (cache_query(request) or "") if query is None else query
    parts = [request.scheme, request.get_host(), request.path, query]
    keyed = keyed_headers(request)
    meta = request.META  # not request.headers: it copies every header, a tenth of a hit
    parts += [meta.get("HTTP_" + h.upper().replace("-", "_"), "").strip().lower() for h in keyed]
    if keyed == ("accept-language",):  # LocaleMiddleware also reads its cookie
        parts.append(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""))
    return _digest("\n".join(parts).encode())


def _digest(data):
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def storable_free_text(request, digest):
    """False for a free-text variant this process was not asked for often enough yet."""
    if not any(request.GET.get(name) for name in conf.CACHE_FREE_TEXT_PARAMETERS):
        return True
    with _asked_lock:
        _asked[digest] = _asked.get(digest, 0) + 1
        return _asked[digest] >= conf.CACHE_FREE_TEXT_MIN_REQUESTS


def shareable(response, keyed=()):
    """A 200 that says nothing about who asked, varying only by what the variant is made by."""
    if response.status_code != 200 or getattr(response, "streaming", False) or response.cookies:
        return False
    # Vary: Cookie is fine: only requests without a session cookie get here, and a page
    # that used its CSRF token sets a cookie (refused above).
    vary = {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}
    cache_control = response.get("Cache-Control", "").lower()
    return vary <= {"cookie", "accept-encoding", "origin", *keyed} and not any(
        word in cache_control for word in ("private", "no-store")
    )


class ResponseCacheMiddleware:
    """ETag/Last-Modified/304 and a shared whole-response cache for anonymous readers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        store.maintain()  # pending purges, when due
        query = None if bypasses(request) else cache_query(request)
        if query is None:
            return self.get_response(request)
        digest = variant(request, query)
        # API answers, feeds and sitemaps may be kept longer than HTML pages.
        name = _resolved(request).view_name  # resolved: else bypassed
        long_lived = negotiates(request) or name in LONG_LIVED_ROUTES
        max_age = conf.API_MAX_AGE if long_lived else conf.HTML_MAX_AGE
        key = KEY_PREFIX + digest
        use_cache = conf.RESPONSE_CACHE
        if use_cache:
            entry = store.get(key)
            if entry is not store.MISSING:
                served = self._from_cache(request, entry)
                if served is not None:
                    return served

        since = store.generation() if use_cache else None
        base = f"{request.scheme}://{request.get_host()}" if use_cache else None
        with cache_keys.collect(fragment_base=base) as collected:
            response = self.get_response(request)
        uses = () if getattr(response, "streaming", False) else tuple(collected.fragments)
        if not shareable(response, keyed_headers(request)):
            if uses:
                _set_content(response, fragments.splice(response.content, uses, collected.built)[0])
            return response

        hard, soft = set(collected.hard), collected.soft - collected.hard
        if not hard and not soft or name in EVERY_STORY_ROUTES:
            hard.add(cache_keys.ANY)  # a surface that says nothing of what it shows
        hard.add(cache_keys.SITE)
        # The view's own Last-Modified (when what it shows last changed, news.api) wins;
        # an answer that changes at a known time (the news sitemap) ``Expires`` then.
        modified = parse_http_date_safe(response.get("Last-Modified", ""))
        modified = int(time.time()) if modified is None else modified
        expires = response.get("Expires")  # unreadable: already expired (RFC 9111)
        lifetime = None if expires is None else (parse_http_date_safe(expires) or 0) - time.time()
        # Stored with the fragments' markers (spliced in as it leaves, each time it is served).
        content, etag = response.content, _etag(response.content)
        response["ETag"], response["Last-Modified"] = etag, http_date(modified)
        response.setdefault("Cache-Control", _cache_control(max_age))
        _key_headers(response, hard | {cache_keys.SOFT_PREFIX + key for key in soft})
        if conf.CDN_MAX_AGE and expires is None:
            response["Surrogate-Control"] = f"max-age={conf.CDN_MAX_AGE}"
        entry = (response.status_code, tuple(response.items()), content, etag, modified, uses)
        if (
            use_cache
            and request.method == "GET"
            and len(content) <= conf.RESPONSE_CACHE_MAX_BYTES
            and storable_free_text(request, digest)
            and (lifetime is None or lifetime > 0)
        ):
            store.put(key, entry, hard | soft, since, lifetime)
            response["X-Cache"] = "miss"
        return self._serve(request, response, entry, collected.built)

    def _from_cache(self, request, entry):
        """The cached answer, or None when one of its shared fragments is gone."""
        status, headers, content, *_rest = entry
        response = HttpResponse(content, status=status)
        # Checked and encoded when the answer was built: copied as they are (setting them
        # one by one re-checks each, a tenth of a cached answer's time).
        response.headers._store.update((name.lower(), (name, value)) for name, value in headers)
        response["X-Cache"] = "hit"
        if response.has_header("Expires"):  # max-age counted from now, not from its build
            left = (parse_http_date_safe(response["Expires"]) or 0) - int(time.time())
            response["Cache-Control"] = _cache_control(
                max(0, min(get_max_age(response) or left, left))
            )
        return self._serve(request, response, entry)

    @staticmethod
    def _serve(request, full, entry, built=None):
        """``full`` with its shared fragments as they are now (None when one is gone), or a
        304 (or 412) by Django's rules for conditional requests (RFC 9110)."""
        _status, _headers, content, etag, modified, uses = entry
        if uses:
            spliced = fragments.splice(content, uses, built)
            if spliced is None:
                return None
            content, keys, newest = spliced
            _set_content(full, content)
            etag, modified = _etag(content), max(modified, newest)
            full["ETag"], full["Last-Modified"] = etag, http_date(modified)
            _key_headers(full, (), keys)
        response = get_conditional_response(request, etag, modified, full)
        if response is not full and full.has_header("X-Cache"):
            response["X-Cache"] = full["X-Cache"]
        return response


def _set_content(response, content):
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))


def _key_headers(response, tags, shown=()):
    """``Surrogate-Key`` and ``Cache-Tag``: ``tags``, and the fragments' keys ``shown`` soft."""
    public = response.get("Surrogate-Key", "").split() + cache_keys.public_tags(tags)
    present = {key.removeprefix(cache_keys.SOFT_PREFIX) for key in public}
    public += [
        cache_keys.SOFT_PREFIX + key for key in sorted(set(map(cache_keys.public, shown)) - present)
    ]
    response["Surrogate-Key"] = " ".join(public)
    response["Cache-Tag"] = ",".join(public)


def _etag(content):
    return f'W/"{_digest(content)}"'


def _cache_control(max_age):
    return f"public, max-age={max_age}" if max_age else "public, max-age=0, must-revalidate"
