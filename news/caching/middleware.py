"""Whole-response caching for anonymous readers, purged by key, with ETags.

Each cached answer carries the keys of what it shows (news.cache_keys: its stories,
the listings they come from, the topics it names, the site chrome), collected while the
view runs, and is served only while none of them has been purged since it was stored
(soft keys: until ``NEWSDESK_SOFT_PURGE_SECONDS`` old); every answer also holds the
``site`` key, which site-wide changes purge (news.content_version.bump_version). A hit
runs no SQL: the purge generation (with Redis kept in process, news.redis_tracking) and
the purge log say whether its keys' tokens must be read again (one round trip) or not,
and they rarely must (news.cache_keys.changed_keys). The same keys go out in
``Surrogate-Key`` (Fastly, Varnish xkey: ``deploy/varnish/newsdesk.vcl``) and
``Cache-Tag`` (Cloudflare) headers, soft ones as ``soft:<key>``, so that a CDN in front
purges exactly what the app purges (news.caching.invalidation).

Only query parameters the views read make a variant (``NEWSDESK_CACHE_QUERY_PARAMETERS``,
numbers must look like numbers); tracking tags are left out of the key; a request with
any other parameter is answered without the cache, so junk query strings cannot fill it.
A conditional request (``If-None-Match`` / ``If-Modified-Since``) is answered 304 from a
valid cached entry before the view runs. Signed-in users (a session cookie), previews,
the admin and non-GET requests always bypass.

Hand-written because Django's per-site cache (``UpdateCacheMiddleware``) keys by URL and
expires by time: it cannot purge by what a page shows, nor answer a 304 without running
the view.
"""

import fnmatch
import hashlib
import logging
import math
import time
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from news import cache_keys, fragments
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
# Routes whose answers depend on every story (a sitemap lists them all): purged by any change.
EVERY_STORY_ROUTES = frozenset({"sitemap", "news_sitemap"})
# Parameters whose values must be small whole numbers to make a variant.
NUMERIC_PARAMETERS = frozenset({"page", "page_size", "limit", "offset", "p"})
MAX_PARAMETER_LENGTH = 200
SOFT_PREFIX = "soft:"
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
    """The request's ResolverMatch (or None), resolved once per request.

    Remembered per path in this process (``_MATCHES``, bounded): a cached answer would
    otherwise spend a fifth of its time in Django's URL resolver.
    """
    if not hasattr(request, "_newsdesk_match"):
        path = request.path_info
        urlconf = getattr(request, "urlconf", None)
        known = _MATCHES.get((urlconf, path), _MISSING)
        if known is _MISSING:
            language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
            try:
                with translation.override(language):
                    known = resolve(path, urlconf)
            except Resolver404:
                known = None
            if len(_MATCHES) >= _MAX_MATCHES:
                _MATCHES.clear()
            _MATCHES[(urlconf, path)] = known
        request._newsdesk_match = known
    return request._newsdesk_match


# {(urlconf, path): ResolverMatch or None}: URL patterns do not change while a process runs.
_MATCHES = {}
_MAX_MATCHES = 20_000


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


def cache_query(request):
    """The query string that makes this request's variant, or None: not to be cached.

    Known parameters (``NEWSDESK_CACHE_QUERY_PARAMETERS``) in a fixed order, tracking tags
    (``NEWSDESK_CACHE_IGNORED_QUERY_PARAMETERS``) left out. Any other parameter, an
    overlong value or a page number that is not a small number: None.
    """
    if not request.META.get("QUERY_STRING"):
        return ""
    known = frozenset(conf.CACHE_QUERY_PARAMETERS)
    ignored = conf.CACHE_IGNORED_QUERY_PARAMETERS
    kept = []
    for name, values in sorted(request.GET.lists()):
        if name in known:
            for value in values:
                if len(value) > MAX_PARAMETER_LENGTH:
                    return None
                if name in NUMERIC_PARAMETERS and not (value.isdigit() and len(value) <= 6):
                    return None
            kept.append((name, values))
        elif not any(fnmatch.fnmatchcase(name, pattern) for pattern in ignored):
            return None
    return urlencode(kept, doseq=True)


def variant(request, query=None):
    """Everything besides the version and the keys that can change the answer to this request."""
    meta = request.META
    path = request.path_info
    if query is None:
        query = cache_query(request) or ""
    parts = [
        "https" if request.is_secure() else "http",
        # The host the response's own URLs are built from (get_host, as the views use).
        request.get_host(),
        request.path,
        query,
    ]
    if path.startswith("/api/"):
        # The API may choose its locale (and DRF its renderer) from these headers; an
        # explicit ``locale`` makes Accept-Language irrelevant (one entry, whatever
        # languages readers' browsers list).
        if not (path.startswith("/api/v1/") and request.GET.get("locale")):
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


def make_etag(content):
    return f'W/"{hashlib.blake2b(content, digest_size=12).hexdigest()}"'


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
        query = cache_query(request)
        if query is None:
            return self.get_response(request)  # a parameter no view reads: never cached

        digest = variant(request, query)
        max_age = max_age_for(request)
        window = response_window(request)
        pinned = None
        if window is not None:
            # A time-windowed answer (the news sitemap): its cache key changes when the
            # clock alone changes it, and it is kept no longer than that.
            pinned = current_version()
            with pinned_version(pinned):
                window = window(pinned[1])
            digest = hashlib.blake2b(
                f"{digest}\n{window.token}".encode(), digest_size=12
            ).hexdigest()
            if window.expires_at is not None:
                left = math.ceil((window.expires_at - timezone.now()).total_seconds())
                max_age = max(0, min(max_age, left))
        meta = request.META
        if_none_match = meta.get("HTTP_IF_NONE_MATCH")

        # Not keyed by the content version: every entry holds the "site" key, which a
        # site-wide change purges. A hit is one read of its keys' tokens, nothing else.
        use_cache = conf.RESPONSE_CACHE
        key = f"{RESPONSE_KEY_PREFIX}:{digest}"
        previous_etag, previous_modified = None, 0
        if use_cache:
            entry = cached(key)
            if entry is not _MISSING:
                generation = cache_keys.generation()
                left = _still_valid(key, entry, generation)
                spliced = None
                if left is not None and _uses(entry):
                    # Its shared fragments ("other news"), as they are now (news.fragments).
                    spliced = fragments.splice(entry[2], _uses(entry), generation=generation)
                    if spliced is None:
                        left = None  # a fragment is gone: rebuilt with the answer
                if left is not None:
                    return self._from_cache(entry, left, window, max_age, meta, spliced)
                previous_etag, previous_modified = entry[3], entry[4]

        if pinned is None:
            pinned = current_version()  # for what the view memoises
        changed_at = window.changed_at if window is not None else pinned[1]
        since = cache_keys.now_ns()
        base = (
            f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
            if use_cache
            else None
        )
        with pinned_version(pinned), cache_keys.collect(fragment_base=base) as collected:
            response = self.get_response(request)
        uses = tuple(collected.fragments)
        stored_content = None
        fragment_keys, fragments_modified = set(), 0
        if uses and not getattr(response, "streaming", False):
            # The answer is stored with the markers, and leaves with the fragments in.
            stored_content = response.content
            content, fragment_keys, fragments_modified = fragments.splice(
                stored_content, uses, built=collected.built
            )
            _set_content(response, content)
        if not shareable(response):
            return response

        hard, soft = set(collected.hard), collected.only_soft
        if not hard and not soft or route_name(request) in EVERY_STORY_ROUTES:
            hard.add(cache_keys.ANY)  # a surface that says nothing of what it shows
        hard.add(cache_keys.SITE)
        content = response.content
        etag = make_etag(content)
        # Strictly later than the entry it replaces: If-Modified-Since has whole seconds.
        modified = content_modified(response, etag, previous_etag, previous_modified)
        if modified is None:
            modified = max(int(changed_at.timestamp()), int(time.time()), previous_modified + 1)
        response["ETag"] = etag
        response["Last-Modified"] = _http_date(
            max(modified, fragments_modified) if uses else modified
        )
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = _cache_control(max_age)
        response["Surrogate-Key"] = " ".join(
            sorted(hard) + sorted(SOFT_PREFIX + key for key in soft)
        )
        if conf.CDN_MAX_AGE and window is None:
            response["Surrogate-Control"] = f"max-age={conf.CDN_MAX_AGE}"
        stored_headers = tuple(response.items())  # without the fragments' keys: added per serve
        _add_soft_keys(response, fragment_keys)
        response["Cache-Tag"] = response["Surrogate-Key"].replace(" ", ",")

        if use_cache and request.method == "GET" and len(content) <= conf.RESPONSE_CACHE_MAX_BYTES:
            tokens = cache_keys.tokens_for_store(hard | soft, since)
            if tokens is not None:
                entry = (
                    response.status_code,
                    stored_headers,
                    content if stored_content is None else stored_content,
                    etag,
                    modified,
                    time.time(),
                    tokens,
                    frozenset(soft),
                    uses,
                )
                store(key, entry, conf.RESPONSE_CACHE_TTL)
            response["X-Cache"] = "miss"

        if _etag_matches(if_none_match, etag) or (
            not if_none_match
            and _not_modified_since(meta.get("HTTP_IF_MODIFIED_SINCE"), _utc(modified))
        ):
            return self._not_modified(response)
        return response

    def _from_cache(self, entry, left, window, max_age, meta, spliced=None):
        response = _rebuild(entry)
        etag, modified = entry[3], entry[4]
        if spliced is not None:  # its shared fragments as they are now
            content, fragment_keys, fragments_modified = spliced
            _set_content(response, content)
            etag = make_etag(content)
            modified = max(modified, fragments_modified)
            response["ETag"] = etag
            response["Last-Modified"] = _http_date(modified)
            _add_soft_keys(response, fragment_keys)
            response["Cache-Tag"] = response["Surrogate-Key"].replace(" ", ",")
        response["X-Cache"] = "hit" if left == math.inf else "stale"
        if window is not None:  # the stored max-age was counted from its own time
            response["Cache-Control"] = _cache_control(max_age)
        if left != math.inf:
            # Served stale within the soft bound: no cache downstream keeps it longer.
            left = max(0, int(left))
            response["Cache-Control"] = _cache_control(min(max_age, left))
            if response.has_header("Surrogate-Control"):
                response["Surrogate-Control"] = f"max-age={left}"
        if_none_match = meta.get("HTTP_IF_NONE_MATCH")
        if _etag_matches(if_none_match, etag) or (
            not if_none_match
            and _not_modified_since(meta.get("HTTP_IF_MODIFIED_SINCE"), _utc(modified))
        ):
            return self._not_modified(response)
        return response

    @staticmethod
    def _not_modified(full):
        response = HttpResponseNotModified()
        for header in ("ETag", "Last-Modified", "Cache-Control", "Vary", "X-Cache"):
            if full.has_header(header):
                response[header] = full[header]
        return response


def content_modified(response, etag, previous_etag, previous_modified):
    """The view's own Last-Modified (when what it shows last changed, news.api) as a
    timestamp, or None. Never earlier than the answer it replaces, and strictly later when
    the bytes changed (If-Modified-Since has whole seconds)."""
    header = response.get("Last-Modified")
    if not header:
        return None
    try:
        own = int(parsedate_to_datetime(header).timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if own > previous_modified or previous_etag is None:
        return own
    return previous_modified if etag == previous_etag else previous_modified + 1


def _uses(entry):
    """The shared fragments a stored answer shows (entries stored before them have none)."""
    return entry[8] if len(entry) > 8 else ()


def _set_content(response, content):
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))


def _add_soft_keys(response, keys):
    """Add the keys of shared fragments to ``Surrogate-Key`` as soft (unless it has them)."""
    current = response.get("Surrogate-Key", "")
    present = {key.removeprefix(SOFT_PREFIX) for key in current.split()}
    added = sorted(SOFT_PREFIX + key for key in keys if key not in present)
    if added:
        response["Surrogate-Key"] = " ".join([current, *added]) if current else " ".join(added)


def _still_valid(key, entry, generation):
    """Seconds the entry may still be served (``math.inf``: nothing it shows changed), or None.

    One read: the purge generation (read by the caller), when this process already found
    the entry valid under it (or the purge log shows none of its keys purged since); else
    one read of its keys' tokens too. A purged hard key:
    None. Only soft keys purged: the entry is served until it is
    ``NEWSDESK_SOFT_PURGE_SECONDS`` old.
    """
    tokens, soft = entry[6], entry[7]
    seen = (key, entry[5])
    if cache_keys.known_valid(seen, tokens, generation):
        return math.inf
    # One read of its tokens: which keys changed, and how (soft or strict).
    current = cache_keys.current_tokens(tokens)
    changed = cache_keys.changed_keys(seen, tokens, generation, current)
    if not changed:
        return math.inf
    # Soft keys only, none of them purged strictly (a story readers may no longer see).
    if all(key in soft and not (current.get(key) or "h").startswith("h") for key in changed):
        left = conf.SOFT_PURGE_SECONDS - (time.time() - entry[5])
        if left > 0:
            return left
    return None


def _utc(timestamp):
    return datetime.fromtimestamp(timestamp, tz=UTC)


def _http_date(timestamp):
    return format_datetime(_utc(timestamp), usegmt=True)


def _cache_control(max_age):
    if max_age:
        return f"public, max-age={max_age}"
    return "public, max-age=0, must-revalidate"


def _rebuild(entry):
    status, headers, content = entry[:3]
    response = HttpResponse(content, status=status)
    # The headers were checked and encoded when the answer was built: copied as they are
    # (setting them one by one re-checks each, a tenth of a cached answer's time).
    response.headers._store.update((name.lower(), (name, value)) for name, value in headers)
    return response
