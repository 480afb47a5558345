"""Whole-response caching for anonymous readers, purged by key, with ETags.

Each cached answer is an entry of the one tagged cache (news.tagged_cache) holding the
keys of what it shows (news.cache_keys), collected while the view runs. The same keys go
out opaque in ``Surrogate-Key`` (Fastly, Varnish xkey: deploy/varnish/newsdesk.vcl) and
``Cache-Tag`` (Cloudflare), soft ones as ``soft:<key>``, so that a CDN in front purges
exactly what the app purges.

Decided by the route and ``Vary``, never by the path, so a host may mount the news URLs
under any prefix (docs/reliability.md): the URL name says what is never cached or kept
longer; a view with content negotiation gets a variant per ``Accept`` and
``Accept-Language``, a path without a language prefix one per ``Accept-Language`` and
language cookie. Only the query parameters the views read make a variant. A conditional
request is answered 304 from a valid entry before the view runs. Signed-in users,
previews and non-GET requests bypass.

Hand-written because Django's per-site cache (``UpdateCacheMiddleware``) keys by URL and
expires by time: it cannot purge by what a page shows, nor answer a 304 without running
the view.
"""

import fnmatch
import hashlib
import math
import threading
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

import cachetools
from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

from news import cache_keys, fragments
from news import tagged_cache as store
from news.conf import conf

KEY_PREFIX = "newsdesk:response:"
# Routes (URL names) never cached: a story whose slug contains "preview" is a page.
BYPASS_ROUTES = frozenset({"newsdesk_api:preview"})
# Views of these modules are never cached (the admin, documents behind permissions).
BYPASS_MODULES = ("wagtail.admin", "wagtail.documents", "django.contrib.admin")
# Routes whose answers depend on every story (a sitemap lists them all): purged by any change.
EVERY_STORY_ROUTES = frozenset({"sitemap", "news_sitemap"})
# Routes whose answers may be kept as long as the API's: feeds and sitemaps.
FEEDS = frozenset({"news_feed_rss", "news_feed_atom", "topic_feed_rss", "topic_feed_atom"})
LONG_LIVED_ROUTES = FEEDS | EVERY_STORY_ROUTES
# Parameters whose values must be small whole numbers to make a variant.
NUMERIC_PARAMETERS = frozenset({"page", "page_size", "limit", "offset", "p"})
MAX_PARAMETER_LENGTH = 200
# Cookies that mean "this reader is not anonymous" or "this page shows something personal".
BYPASS_COOKIES = ("messages",)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_MATCHES = cachetools.LRUCache(20_000)  # URL patterns do not change while a process runs
_asked = cachetools.LRUCache(10_000)  # {variant: requests} of free-text variants
_asked_lock = threading.Lock()


def _resolved(request):
    """The request's ResolverMatch (or None), resolved once per request.

    Remembered per path in this process: a cached answer would otherwise spend a fifth of
    its time in Django's URL resolver. Resolved under the language of the path's prefix:
    LocaleMiddleware (which activates it) runs after us.
    """
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


def route_name(request):
    """The URL name this request resolves to (``namespace:name``), or None."""
    match = _resolved(request)
    return match.view_name if match is not None else None


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
    """The query string that makes this request's variant, or None: not to be cached.

    Known parameters in a fixed order, tracking tags left out. Any other parameter, an
    overlong value or a page number that is not a small number: None.
    """
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
    parts = ["https" if request.is_secure() else "http", request.get_host(), request.path, query]
    keyed = keyed_headers(request)
    for header in keyed:
        parts.append(
            request.META.get("HTTP_" + header.upper().replace("-", "_"), "").strip().lower()
        )
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


def make_etag(content):
    return f'W/"{_digest(content)}"'


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
        long_lived = negotiates(request) or route_name(request) in LONG_LIVED_ROUTES
        max_age = conf.API_MAX_AGE if long_lived else conf.HTML_MAX_AGE
        # A view whose answer also depends on the clock (the news sitemap) declares
        # ``response_window(changed_at)``: ``token`` goes into the key, ``changed_at`` is
        # its Last-Modified, ``expires_at`` (or None) caps max-age.
        window = getattr(getattr(_resolved(request), "func", None), "response_window", None)
        if window is not None:
            window = window(_EPOCH)
            digest = _digest(f"{digest}\n{window.token}".encode())
            if window.expires_at is not None:
                left = math.ceil((window.expires_at - timezone.now()).total_seconds())
                max_age = max(0, min(max_age, left))
        key = KEY_PREFIX + digest
        use_cache = conf.RESPONSE_CACHE
        if use_cache:
            entry = store.get(key)
            if entry is not store.MISSING:
                served = self._from_cache(request, entry, window, max_age)
                if served is not None:
                    return served

        since = store.generation() if use_cache else None
        scheme = "https" if request.is_secure() else "http"
        base = f"{scheme}://{request.get_host()}" if use_cache else None
        with cache_keys.collect(fragment_base=base) as collected:
            response = self.get_response(request)
        streaming = getattr(response, "streaming", False)
        uses = () if streaming else tuple(collected.fragments)
        if not shareable(response, keyed_headers(request)):
            if uses:
                _set_content(response, fragments.splice(response.content, uses, collected.built)[0])
            return response

        hard, soft = set(collected.hard), collected.soft - collected.hard
        if not hard and not soft or route_name(request) in EVERY_STORY_ROUTES:
            hard.add(cache_keys.ANY)  # a surface that says nothing of what it shows
        hard.add(cache_keys.SITE)
        # The view's own Last-Modified (when what it shows last changed, news.api) wins.
        modified = parse_http_date_safe(response.get("Last-Modified", ""))
        if modified is None:
            changed_at = window.changed_at if window is not None else _EPOCH
            modified = max(int(changed_at.timestamp()), int(time.time()))
        # Stored with the fragments' markers (spliced in as it leaves, each time it is served).
        content, etag = response.content, make_etag(response.content)
        response["ETag"], response["Last-Modified"] = etag, http_date(modified)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = _cache_control(max_age)
        public = cache_keys.public
        response["Surrogate-Key"] = " ".join(
            sorted(public(key) for key in hard)
            + sorted(cache_keys.SOFT_PREFIX + public(key) for key in soft)
        )
        response["Cache-Tag"] = response["Surrogate-Key"].replace(" ", ",")
        if conf.CDN_MAX_AGE and window is None:
            response["Surrogate-Control"] = f"max-age={conf.CDN_MAX_AGE}"
        entry = (response.status_code, tuple(response.items()), content, etag, modified, uses)
        if (
            use_cache
            and request.method == "GET"
            and len(content) <= conf.RESPONSE_CACHE_MAX_BYTES
            and storable_free_text(request, digest)
        ):
            store.put(key, entry, hard | soft, since)
            response["X-Cache"] = "miss"
        return self._serve(request, response, entry, collected.built)

    def _from_cache(self, request, entry, window, max_age):
        """The cached answer, or None when one of its shared fragments is gone."""
        status, headers, content, *_rest = entry
        response = HttpResponse(content, status=status)
        # Checked and encoded when the answer was built: copied as they are (setting them
        # one by one re-checks each, a tenth of a cached answer's time).
        response.headers._store.update((name.lower(), (name, value)) for name, value in headers)
        response["X-Cache"] = "hit"
        if window is not None:  # the stored max-age was counted from its own time
            response["Cache-Control"] = _cache_control(max_age)
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
            etag, modified = make_etag(content), max(modified, newest)
            full["ETag"], full["Last-Modified"] = etag, http_date(modified)
            _add_soft_keys(full, keys)
        response = get_conditional_response(request, etag, modified, full)
        if response is not full and full.has_header("X-Cache"):
            response["X-Cache"] = full["X-Cache"]
        return response


def _set_content(response, content):
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))


def _add_soft_keys(response, keys):
    """Add the keys of shared fragments to ``Surrogate-Key`` as soft (unless it has them)."""
    current = response.get("Surrogate-Key", "")
    present = {key.removeprefix(cache_keys.SOFT_PREFIX) for key in current.split()}
    added = sorted(
        cache_keys.SOFT_PREFIX + key for key in {cache_keys.public(k) for k in keys} - present
    )
    if added:
        response["Surrogate-Key"] = " ".join([current, *added]) if current else " ".join(added)
    response["Cache-Tag"] = response["Surrogate-Key"].replace(" ", ",")


def _cache_control(max_age):
    return f"public, max-age={max_age}" if max_age else "public, max-age=0, must-revalidate"
