"""Newsdesk's settings, each with its default, in one place.

A host site sets any of them in its Django settings as ``NEWSDESK_<NAME>``; the plugins read
them through ``conf.<NAME>``, which looks the setting up on every access (so
``override_settings`` in tests and per-process settings both work) and falls back to the
default below. ``news.checks`` validates the values (``manage.py check``); the reference site
reads them from the environment in site_project/settings/base.py.

Hand-written rather than a library (django-appconf): a dozen lines, and it keeps the
documentation of each setting beside its default, which docs/install.md's table is made from.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    doc: str
    # What a host that leaves the setting unset (or None) gets instead of ``default``,
    # worked out from its other settings on each read.
    derive: Callable[[], Any] | None = None

    @property
    def setting_name(self):
        return f"NEWSDESK_{self.name}"


def fallbacks_along_languages():
    """Each language of ``LANGUAGES`` falls back to the others, in the order of ``LANGUAGES``.

    With ``LANGUAGES = [("kk", …), ("ru", …), ("en", …)]``: kk -> ru, en; ru -> kk, en;
    en -> kk, ru. So an untranslated story is shown in another language, with a notice,
    and never a silent 404, on a host that configured nothing.
    """
    codes = [code for code, _name in settings.LANGUAGES]
    return {code: [other for other in codes if other != code] for code in codes}


SETTINGS = [
    Setting(
        "LANGUAGE_NAMES_LOCAL",
        {},
        "Each language's name as its own speakers write it, used in the language switcher and "
        'notices, e.g. ``{"kk": "Қазақша", "ru": "Русский"}``. A language not listed gets '
        "Django's own name for it (``get_language_info``), else its code.",
    ),
    Setting(
        "FALLBACKS",
        None,
        "For each language, the languages to fall back to (in order) when a story has no "
        'translation, e.g. ``{"ru": ["kk", "en"]}``. Every code must be in ``LANGUAGES``; '
        "a language left out has no fallback (``{}``: none has). None (unset): every "
        "language falls back to the others along ``LANGUAGES``, in their order.",
        derive=fallbacks_along_languages,
    ),
    Setting(
        "LISTING_FALLBACK",
        True,
        "Show untranslated stories in listings, feeds and sitemaps in their fallback language, "
        "with a marker.",
    ),
    Setting(
        "INDEX_PARENT_PAGE_TYPES",
        None,
        'Page types a news index may be created under, e.g. ``["home.HomePage"]``; None: '
        "any. Read once, at start-up.",
    ),
    Setting(
        "MEMORY_PREFILL",
        True,
        "Translation memory (``newsdesk_memory``): fill a new or synced translation's empty "
        "segments with the most recent trusted translation of the same text.",
    ),
    Setting(
        "MEMORY_SIMILARITY",
        0.8,
        "Translation memory: the least similarity (0–1, difflib's ratio) of a near match "
        "offered as a suggestion.",
    ),
    Setting("MEMORY_SUGGESTIONS", 3, "Translation memory: suggestions shown per segment."),
    Setting("PAGE_SIZE", 10, "Stories per page in the news index and search results."),
    Setting("OTHER_NEWS_COUNT", 5, 'Stories in a story\'s "other news" list.'),
    Setting("FEED_SIZE", 20, "Items in an RSS/Atom feed."),
    Setting(
        "SEARCH_FUNCTION",
        "",
        "Dotted path of the function that answers ``q`` in listings; with the search app "
        'installed, ``"search.query.search_news"``. Empty: listings ignore ``q``.',
    ),
    Setting(
        "API_RATE",
        "600/min",
        'Anonymous rate limit of the /api/v1/ API ("600/min", "20/s", "1000/hour", '
        '"10000/day"); empty turns it off.',
    ),
    Setting("API_MAX_AGE", 60, "Cache-Control max-age of API answers, in seconds."),
    Setting("HTML_MAX_AGE", 0, "Cache-Control max-age of HTML pages, in seconds."),
    Setting("PREVIEW_MAX_AGE", 3600, "How long a headless preview link stays valid, in seconds."),
    Setting(
        "PREVIEW_URL",
        "",
        'Where "Preview in frontend" sends editors; ``{token}`` and ``{api_url}`` are filled '
        "in. Empty: the preview link points at the API.",
    ),
    Setting(
        "RESPONSE_CACHE",
        True,
        "Whole-response cache for anonymous readers (needs "
        "``news.caching.middleware.ResponseCacheMiddleware``). Off: ETag, Last-Modified and "
        "304 still work.",
    ),
    Setting(
        "RESPONSE_CACHE_TTL",
        0,
        "How long an entry (a cached answer, fragment or memoised value) lives in the shared "
        "cache, in seconds; 0: until a purge or eviction by size removes it (purges are "
        "exact). A cache that is not shared keeps entries ``UNSHARED_CACHE_SECONDS`` at most.",
    ),
    Setting(
        "RESPONSE_CACHE_MAX_BYTES",
        1_000_000,
        "Larger responses are not cached.",
    ),
    Setting(
        "LOCAL_CACHE_BYTES",
        16 * 1024 * 1024,
        "Bytes of cached answers each worker process keeps in its own memory in front of "
        "the shared cache (read once, at start-up); 0 turns the local tier off.",
    ),
    Setting(
        "CACHE",
        "default",
        "Alias (in ``CACHES``) of the cache that holds cached answers, memoised values and "
        "cache-key tokens. Shared by every worker (Redis, or an on-disk cache) for purges "
        "to reach them all.",
    ),
    Setting(
        "TOKEN_CACHE",
        "",
        "Alias (in ``CACHES``) of the cache that holds the purge tokens and generation; "
        "empty: ``CACHE``. Give it its own when ``CACHE`` culls by time stored (diskcache), "
        "so that culled answers never take the tokens along.",
    ),
    Setting(
        "THROTTLE_CACHE",
        "default",
        "Alias (in ``CACHES``) of the cache that counts API requests for the rate limit: "
        "give it its own so that cached answers never evict the counters.",
    ),
    Setting(
        "SOFT_PURGE_SECONDS",
        60,
        "How long a page may still be served after something it shows only a little of "
        'changed (an article\'s "other news" block after a new story), in seconds, at a '
        "CDN (Varnish's grace). The app's own cache purges soft keys at once and splices "
        "the shared fragment (news.fragments) in fresh.",
    ),
    Setting(
        "CACHE_QUERY_PARAMETERS",
        (
            "page",
            "page_size",
            "topic",
            "locale",
            "fallback",
            "date_from",
            "date_to",
            "q",
            "limit",
            "path",
            "p",
            "type",
            "fields",
            "offset",
            "order",
            "search",
            "child_of",
            "descendant_of",
            "translation_of",
            "html_path",
            "author",
            "since",
        ),
        "Query parameters that make a cached variant of an answer. A request with any other "
        "parameter (besides ``CACHE_IGNORED_QUERY_PARAMETERS``) is not cached.",
    ),
    Setting(
        "CACHE_FREE_TEXT_PARAMETERS",
        ("q", "search"),
        "Free-text query parameters: a variant with one is cached only once a process was "
        "asked for it ``CACHE_FREE_TEXT_MIN_REQUESTS`` times (random queries add nothing).",
    ),
    Setting(
        "CACHE_FREE_TEXT_MIN_REQUESTS",
        3,
        "Requests for one free-text variant a process must see before it caches it.",
    ),
    Setting(
        "PURGE_RECHECK_SECONDS",
        5,
        "How often each process re-applies purges the shared cache missed while unreachable "
        "(docs/reliability.md), in seconds; at once after it found the cache unreachable.",
    ),
    Setting(
        "REDIS_TRACKING",
        True,
        "With Redis as the token cache, each process keeps the purge count in memory and "
        "Redis tells it when the count moves (client tracking, Redis 6+): a cached answer "
        "makes no round trip to Redis. Off: one read per cached answer.",
    ),
    Setting(
        "UNSHARED_CACHE_SECONDS",
        5,
        "How long entries live in a cache that is not shared between processes "
        "(``LocMemCache``: a purge reaches only its own process), in seconds.",
    ),
    Setting(
        "CACHE_IGNORED_QUERY_PARAMETERS",
        ("utm_*", "fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "_ga"),
        "Query parameters left out of the cache key (tracking tags; ``*`` ends a prefix): "
        "the answer is the same with or without them.",
    ),
    Setting(
        "CDN_MAX_AGE",
        3600,
        "``Surrogate-Control: max-age`` of cached answers, for a CDN that purges by key "
        "(Varnish with xkey); 0 sends none.",
    ),
    Setting(
        "PUBLISH_INCOMPLETE_TRANSLATIONS",
        True,
        "Whether a translation with untranslated segments may be published (their source "
        "text is shown marked with its language). False: the translation editor refuses to "
        "publish it, and a sync neither publishes it nor changes a live translation "
        "(docs/translators.md).",
    ),
    Setting(
        "MACHINE_TRANSLATION_DOCS_URL",
        "https://wagtail-localize.org/stable/how-to/integrations/machine-translation/",
        "Where the translation editor's hint sends translators to learn how machine "
        "translation is turned on, while none is configured; empty: no link.",
    ),
    Setting(
        "SCHEDULE_INTERVAL",
        60,
        "Seconds between two runs of the periodic job that publishes stories whose go-live "
        "time has come and unpublishes expired ones (``manage.py newsdesk_worker``).",
    ),
    Setting(
        "WORKER_STALE_AFTER",
        300,
        "Seconds after the periodic job's last run at which /readyz reports the task worker "
        "as degraded.",
    ),
    # Kazakh in the Latin alphabet (news.kazakh_latin, docs/kazakh-latin.md).
    Setting(
        "KAZAKH_LATIN_ALPHABET",
        "2021",
        'Which Kazakh Latin alphabet the Latin text is written in: ``"2021"`` (the 31-letter '
        'alphabet of 2021: Ä Ğ I ı İ i Ñ Ö Q Ş Ū Ü) or ``"2018"`` (the acute-accent alphabet '
        "of the 2018 decree: Á Ǵ Ń Ó Ú Ý Sh Ch).",
    ),
    Setting(
        "KAZAKH_SLUG_STYLE",
        "cyrillic",
        'The slug of a new Kazakh story: ``"cyrillic"`` (from its title, as typed) or '
        '``"latin"`` (ASCII, from the title in the Latin alphabet). Existing slugs never '
        "change.",
    ),
    Setting(
        "KAZAKH_LATIN_EDITION",
        False,
        "Serve the Latin edition of the Kazakh site: ``/kk-latn/…`` pages and feeds, "
        '``locale=kk-Latn`` in the API, ``hreflang="kk-Latn"`` alternates '
        "(news.kazakh_latin.edition; needs its middleware before the response cache's).",
    ),
    # Outgoing notifications (news.outbox, docs/webhooks.md).
    Setting(
        "TELEGRAM_CHANNELS",
        {},
        'The Telegram channel of each language, e.g. ``{"kk": "@news_kk", "ru": "-100123"}``; '
        "a language without one is not posted. The bot token comes only from the environment "
        "variable ``NEWSDESK_TELEGRAM_BOT_TOKEN``.",
    ),
    Setting(
        "TELEGRAM_API_URL",
        "https://api.telegram.org",
        "The Telegram Bot API's address (a local Bot API server, or a fake one in tests).",
    ),
    Setting(
        "WEBHOOKS",
        [],
        'Webhook receivers besides the admin\'s, e.g. ``[{"url": "https://…", "secret": '
        '"whsec_…", "events": ["story.published"]}]`` (no ``events``: all of them).',
    ),
    Setting(
        "OUTBOX_RETRY_DELAY",
        10,
        "Seconds before the first retry of a failed notification; each next retry waits "
        "twice as long.",
    ),
    Setting(
        "OUTBOX_MAX_ATTEMPTS",
        8,
        "Attempts at sending a notification before it is marked failed in the delivery log.",
    ),
    Setting(
        "OUTBOX_KEEP_DAYS",
        30,
        "Days the delivery log keeps a notification that was sent or failed; the task worker "
        "deletes older ones (0: keep them all).",
    ),
]

BY_NAME = {s.name: s for s in SETTINGS}


class NewsdeskSettings:
    """``conf.PAGE_SIZE`` is ``settings.NEWSDESK_PAGE_SIZE`` if set, else its default."""

    def __getattr__(self, name):
        try:
            item = BY_NAME[name]
        except KeyError:
            raise AttributeError(f"Newsdesk has no setting {name!r}") from None
        value = self.raw(item)
        if value is None and item.derive is not None:
            return item.derive()
        return value

    @staticmethod
    def raw(item):
        """The host's value of a setting, else its default: before anything is derived."""
        return getattr(settings, item.setting_name, item.default)


conf = NewsdeskSettings()
