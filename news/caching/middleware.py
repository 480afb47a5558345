"""Whole-response caching for anonymous readers, with exact invalidation and ETags.

Responses are keyed by the content version (news.content_version), so a publish
retires every older entry at once. A conditional request (``If-None-Match`` /
``If-Modified-Since``) is answered 304 before the view runs. Signed-in users (a
session cookie), previews, the admin and non-GET requests always bypass.

Hand-written because Django's per-site cache (``UpdateCacheMiddleware``) keys by
URL and expires by time: it cannot retire every entry at once on a publish, nor
answer a 304 from the version without running the view.
"""

import hashlib
import logging
import math
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from news.conf import conf
from news.content_version import (
    _MISSING,
    RESPONSE_KEY_PREFIX,
    cached,
    current_version,
    pinned_version,
    store,
)

logger = logging.getLogger(__name__)

# Never cached, never given a cache ETag.
BYPASS_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/documents/",
    "/static/",
    "/media/",
    "/healthz",
    "/readyz",
)
# Routes (URL names) never cached: a story whose slug contains "preview" is a page.
BYPASS_ROUTES = frozenset({"newsdesk_api:preview"})
# Routes whose answers may be kept as long as the API's: feeds and sitemaps.
LONG_LIVED_ROUTES = frozenset(
    {
        "news_feed_rss",
        "news_feed_atom",
        "topic_feed_rss",
        "topic_feed_atom",
        "sitemap",
        "news_sitemap",
    }
)
# Cookies that mean "this reader is not anonymous" or "this page shows something personal".
BYPASS_COOKIES = ("messages",)
# Headers a response must not carry to be shared between readers.
_PRIVATE_CACHE_CONTROL = ("private", "no-store")

# --- Which requests are cached ----------------------------------------------------


def _language_prefixed(path):
    return any(path.startswith(f"/{code}/") for code, _name in settings.LANGUAGES)


def route_name(request):
    """The URL name this request resolves to (``namespace:name``), or None.

    Resolved under the language of the path's prefix: the language-prefixed routes only
    match their own prefix, and LocaleMiddleware (which activates it) runs after us.
    """
    match = _resolved(request)
    return match.view_name if match is not None else None


def _resolved(request):
    """The request's ResolverMatch (or None), resolved once per request."""
    if not hasattr(request, "_newsdesk_match"):
        path = request.path_info
        language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
        try:
            with translation.override(language):
                match = resolve(path, getattr(request, "urlconf", None))
        except Resolver404:
            match = None
        request._newsdesk_match = match
    return request._newsdesk_match


def bypasses(request):
    """True when this request must not be answered from (or stored in) the cache."""
    if request.method not in ("GET", "HEAD"):
        return True
    path = request.path_info
    if path.startswith(BYPASS_PREFIXES) or route_name(request) in BYPASS_ROUTES:
        return True
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or any(name in cookies for name in BYPASS_COOKIES):
        return True
    return "HTTP_AUTHORIZATION" in request.META


def variant(request):
    """Everything besides the version that can change the answer to this request."""
    meta = request.META
    path = request.path_info
    parts = [
        "https" if request.is_secure() else "http",
        # The host the response's own URLs are built from (get_host, as the views use).
        request.get_host(),
        request.get_full_path(),
    ]
    if path.startswith("/api/"):
        # The API may choose its locale (and DRF its renderer) from these headers.
        parts.append(meta.get("HTTP_ACCEPT_LANGUAGE", "").strip().lower())
        parts.append(meta.get("HTTP_ACCEPT", "").strip().lower())
    elif not _language_prefixed(path):
        # Unprefixed paths ("/", sitemaps): LocaleMiddleware picks the language.
        parts.append(meta.get("HTTP_ACCEPT_LANGUAGE", "").strip().lower())
        parts.append(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""))
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=12).hexdigest()


def response_window(request):
    """The ``response_window`` a view declares when its answer also depends on the clock.

    ``view.response_window(changed_at)`` returns an object with ``token`` (part of the
    ETag and cache key), ``changed_at`` (Last-Modified) and ``expires_at`` (caps
    max-age; None for no cap). The view is looked up, not imported: the surfaces sit
    beside this middleware, not below it.
    """
    match = _resolved(request)
    return getattr(match.func, "response_window", None) if match is not None else None


def make_etag(version, digest):
    return f'W/"{version}-{digest}"'


def max_age_for(request):
    """API answers, feeds and sitemaps may be kept longer than HTML pages."""
    if request.path_info.startswith("/api/") or route_name(request) in LONG_LIVED_ROUTES:
        return conf.API_MAX_AGE
    return conf.HTML_MAX_AGE


def _etag_matches(header, etag):
    if not header:
        return False
    # Weak comparison (RFC 9110 8.8.3.2): W/ prefixes do not matter.
    wanted = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == wanted for candidate in header.split(","))


def _not_modified_since(header, changed_at):
    if not header:
        return False
    # An unparseable validator is ignored (RFC 9110 13.1.3), never a 500: a zone of
    # "+99999999999999" makes the stdlib raise OverflowError.
    try:
        since = parsedate_to_datetime(header)
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return since is not None and changed_at <= since
    except (TypeError, ValueError, IndexError, OverflowError):
        return False


def shareable(response):
    """A 200 that says nothing about who asked: sets no cookie, is not private."""
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    if response.cookies:
        return False
    # Vary: Cookie is fine: only requests without a session cookie get here, and
    # a page that used its CSRF token sets a cookie (refused above).
    if "*" in response.get("Vary", ""):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in _PRIVATE_CACHE_CONTROL)


class ResponseCacheMiddleware:
    """ETag/Last-Modified/304 and a shared whole-response cache for anonymous readers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if bypasses(request):
            return self.get_response(request)

        version, changed_at = current_version()
        pinned = (version, changed_at)
        digest = variant(request)
        max_age = max_age_for(request)
        window = response_window(request)
        if window is not None:
            # A time-windowed answer (the news sitemap): its validators and cache key
            # change when the clock alone changes it, and it is kept no longer than that.
            with pinned_version(pinned):
                window = window(changed_at)
            digest = hashlib.blake2b(
                f"{digest}\n{window.token}".encode(), digest_size=12
            ).hexdigest()
            changed_at = window.changed_at
            if window.expires_at is not None:
                left = math.ceil((window.expires_at - timezone.now()).total_seconds())
                max_age = max(0, min(max_age, left))
        etag = make_etag(version, digest)
        last_modified = format_datetime(changed_at.astimezone(UTC), usegmt=True)
        meta = request.META

        if_none_match = meta.get("HTTP_IF_NONE_MATCH")
        if _etag_matches(if_none_match, etag):
            return self._not_modified(etag, last_modified, max_age)

        use_cache = conf.RESPONSE_CACHE
        key = f"{RESPONSE_KEY_PREFIX}:{version}:{digest}"
        if use_cache:
            stored = cached(key)
            if stored is not _MISSING:
                response = _rebuild(stored)
                response["X-Cache"] = "hit"
                if window is not None:  # the stored max-age was counted from its own time
                    response["Cache-Control"] = _cache_control(max_age)
                if not if_none_match and _not_modified_since(
                    meta.get("HTTP_IF_MODIFIED_SINCE"), changed_at
                ):
                    return self._not_modified(etag, last_modified, max_age, response)
                return response

        with pinned_version(pinned):
            response = self.get_response(request)
        if not shareable(response):
            return response

        response["ETag"] = etag
        response["Last-Modified"] = last_modified
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = _cache_control(max_age)

        if use_cache and request.method == "GET":
            content = response.content
            if len(content) <= conf.RESPONSE_CACHE_MAX_BYTES:
                store(
                    key,
                    (response.status_code, tuple(response.items()), content),
                    conf.RESPONSE_CACHE_TTL,
                )
            response["X-Cache"] = "miss"

        if not if_none_match and _not_modified_since(
            meta.get("HTTP_IF_MODIFIED_SINCE"), changed_at
        ):
            return self._not_modified(etag, last_modified, max_age, response)
        return response

    @staticmethod
    def _not_modified(etag, last_modified, max_age, full=None):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Last-Modified"] = last_modified
        response["Cache-Control"] = (
            full["Cache-Control"]
            if full is not None and full.has_header("Cache-Control")
            else _cache_control(max_age)
        )
        if full is not None and full.has_header("Vary"):
            response["Vary"] = full["Vary"]
        return response


def _cache_control(max_age):
    if max_age:
        return f"public, max-age={max_age}"
    return "public, max-age=0, must-revalidate"


def _rebuild(stored):
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response
