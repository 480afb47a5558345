"""Settings shared by every environment. Values that differ come from the environment."""

import hashlib
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from corsheaders.defaults import default_headers as cors_default_headers
from django.utils.translation import gettext_lazy as _

from news.api import cors
from site_project.env import env_bool, env_fallbacks, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "site_project",  # its deploy checks (site_project/checks.py)
    "home",
    "news",
    "search",
    "newsdesk_memory",  # translation memory, glossary, bulk translation (issue 18)
    # Kazakh admin (issue 15): ahead of the Wagtail, Django and DRF apps, so that its
    # Kazakh catalogue wins over their missing or older Kazakh strings.
    "kazakh_admin",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Background tasks (Wagtail 8's and Newsdesk's), stored in the database.
    "django_tasks",
    "django_tasks_db",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost after security headers, so cached answers carry the policy too.
    "site_project.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # /kk-latn/… and locale=kk-Latn: the Kazakh answers (cached below) in Latin letters.
    "news.kazakh_latin.edition.LatinEditionMiddleware",
    # Before sessions and auth: a cached answer or a 304 skips everything below.
    "news.caching.middleware.ResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, except that /api/ answers keep their status and Vary (news/api/locale.py).
    "news.api.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The admin in the language of the editor's account, not the browser's.
    "kazakh_admin.middleware.AdminLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into our 429 page.
    "axes.middleware.AxesMiddleware",
]

# --- Admin login lockout (django-axes) ----------------------------------------
# Failures are counted in the database, shared by every worker and never evicted:
# NEWSDESK_LOGIN_MAX_FAILURES failed logins lock that username, and as many from one
# client address lock that address (password spraying), for NEWSDESK_LOGIN_LOCKOUT_SECONDS.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("NEWSDESK_LOGIN_MAX_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(seconds=env_int("NEWSDESK_LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "site_project.security.login_username"
AXES_LOCKOUT_CALLABLE = "site_project.security.lockout_response"
AXES_VERBOSE = False
# The client address (django-ipware): REMOTE_ADDR, or, behind NEWSDESK_PROXY_COUNT
# reverse proxies, the X-Forwarded-For entry the nearest of them saw.
NEWSDESK_PROXY_COUNT = env_int("NEWSDESK_PROXY_COUNT", 0, minimum=0)
AXES_IPWARE_PROXY_COUNT = NEWSDESK_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if NEWSDESK_PROXY_COUNT else ("REMOTE_ADDR",)
)

ROOT_URLCONF = "site_project.urls"
WSGI_APPLICATION = "site_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "news.context_processors.newsdesk",
            ],
        },
    },
]

# SQLite file database by default; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A busy newsroom writes while readers read: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A database that does not answer fails fast instead of hanging a worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 3, minimum=1)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------
# Kazakh is the source language; every other language falls back along a chain.
_LANGUAGE_NAMES = {
    "kk": _("Kazakh"),
    "ru": _("Russian"),
    "en": _("English"),
}
# Each language's name as its own speakers write it, used in the switcher and notices.
NEWSDESK_LANGUAGE_NAMES_LOCAL = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

_language_codes = env_list("NEWSDESK_LANGUAGES", ["kk", "ru", "en"])
for _code in _language_codes:
    if _code not in _LANGUAGE_NAMES:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"NEWSDESK_LANGUAGES: {_code!r} is not one of {', '.join(_LANGUAGE_NAMES)}"
        )
LANGUAGES = [(code, _LANGUAGE_NAMES[code]) for code in _language_codes]
LANGUAGE_CODE = env_str("NEWSDESK_DEFAULT_LANGUAGE", _language_codes[0])
if LANGUAGE_CODE not in _language_codes:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("NEWSDESK_DEFAULT_LANGUAGE must be one of NEWSDESK_LANGUAGES")
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
WAGTAIL_ALLOW_UNICODE_SLUGS = True
NEWSDESK_FALLBACKS = env_fallbacks(
    "NEWSDESK_FALLBACKS",
    _language_codes,
    default={"ru": ["kk", "en"], "en": ["kk", "ru"], "kk": ["ru", "en"]},
)
# The Latin edition of the Kazakh site, /kk-latn/ (docs/kazakh-latin.md).
NEWSDESK_KAZAKH_LATIN_EDITION = env_bool("NEWSDESK_KAZAKH_LATIN_EDITION", True)
# Show untranslated stories in listings, in their fallback language, with a marker.
NEWSDESK_LISTING_FALLBACK = env_bool("NEWSDESK_LISTING_FALLBACK", True)
NEWSDESK_PAGE_SIZE = env_int("NEWSDESK_PAGE_SIZE", 10, minimum=1)
NEWSDESK_OTHER_NEWS_COUNT = env_int("NEWSDESK_OTHER_NEWS_COUNT", 5, minimum=1)
# news never imports the search app: listings find `q` through this function.
NEWSDESK_SEARCH_FUNCTION = "search.query.search_news"
# A news index lives under the home page (the plugin itself allows any parent).
NEWSDESK_INDEX_PARENT_PAGE_TYPES = ["home.HomePage"]

# The site's own strings; the plugins' ship in news/locale/ and search/locale/.
LOCALE_PATHS = [BASE_DIR / "locale"]
# news and search come before kazakh_admin on purpose: their Kazakh wins where both
# translate a msgid (e.g. a quote's "Source" link is «Дереккөз» on reader pages), as the
# project catalogue always did before the plugins shipped their own.
SILENCED_SYSTEM_CHECKS = ["kazakh_admin.W002"]
# Django has no Kazakh date formats; ours say "7 мамыр 2024 ж.", not "Мамыр 7, 2024".
FORMAT_MODULE_PATH = ["site_project.formats"]
# Kazakh admin (issue 15): the admin's input formats (28.11.2026) and anything ours lacks.
FORMAT_MODULE_PATH += ["kazakh_admin.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Cache -------------------------------------------------------------------
# Two caches, so that cached answers never evict the API's rate-limit counters:
# "default" holds cached answers, memoised values and the cache-key tokens that purges
# change (NEWSDESK_CACHE); "throttle" counts API requests (NEWSDESK_THROTTLE_CACHE). The
# login lockout is in the database (django-axes), in neither. Both are shared by every
# worker process: Redis with REDIS_URL (REDIS_THROTTLE_URL may point the counters at
# another instance, whose eviction then never touches them); otherwise files on this host
# (diskcache: one SQLite file per cache, safe across processes, bounded in bytes and
# culled least-recently-stored first), which every gunicorn worker and the task worker
# share, so a publish in one purges them all. Several app servers need Redis; give it a
# maxmemory and an eviction policy (deploy/redis/newsdesk.conf). Every key is prefixed by
# the database the site reads (CACHE_NAMESPACE), so two sites (make run and the browser
# tests, two sites on one Redis) never read each other's entries.
REDIS_URL = env_str("REDIS_URL")
_database = DATABASES["default"]
CACHE_NAMESPACE = hashlib.blake2b(
    f"{_database['ENGINE']}:{_database.get('HOST', '')}:{_database.get('PORT', '')}:"
    f"{_database['NAME']}".encode(),
    digest_size=6,
).hexdigest()
CACHE_DIR = Path(env_str("NEWSDESK_CACHE_DIR", str(BASE_DIR / "var" / "cache")))
CACHE_MAX_BYTES = env_int("NEWSDESK_CACHE_MAX_BYTES", 256 * 1024 * 1024, minimum=1024 * 1024)
if REDIS_URL:
    _redis_options = {
        # A vanished Redis degrades to "no cache", it never takes the site down.
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": 1,
        "SOCKET_TIMEOUT": 1,
    }
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_NAMESPACE,
            "OPTIONS": _redis_options,
        },
        "throttle": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": env_str("REDIS_THROTTLE_URL", REDIS_URL),
            "KEY_PREFIX": f"throttle-{CACHE_NAMESPACE}",
            "OPTIONS": _redis_options,
        },
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "site_project.cache.PersistentDiskCache",
            "LOCATION": str(CACHE_DIR / "default"),
            "KEY_PREFIX": CACHE_NAMESPACE,
            "TIMEOUT": 600,
            "OPTIONS": {"size_limit": CACHE_MAX_BYTES},
        },
        # The purge tokens: tiny, never culled for room by answers (news/tagged_cache.py).
        "tokens": {
            "BACKEND": "site_project.cache.PersistentDiskCache",
            "LOCATION": str(CACHE_DIR / "tokens"),
            "KEY_PREFIX": CACHE_NAMESPACE,
            "TIMEOUT": None,
            "OPTIONS": {"size_limit": 64 * 1024 * 1024},
        },
        "throttle": {
            "BACKEND": "site_project.cache.PersistentDiskCache",
            "LOCATION": str(CACHE_DIR / "throttle"),
            "KEY_PREFIX": CACHE_NAMESPACE,
            "OPTIONS": {"size_limit": 16 * 1024 * 1024},
        },
    }
NEWSDESK_CACHE = "default"
NEWSDESK_TOKEN_CACHE = "tokens" if "tokens" in CACHES else ""
NEWSDESK_THROTTLE_CACHE = "throttle"

# --- Wagtail -----------------------------------------------------------------
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Newsdesk")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# The Site record's hostname and port, from which Wagtail builds canonical, hreflang, sitemap
# and preview URLs (manage.py configure_site and load_demo write them). By default the admin
# URL's; `make run` sets both to the address it serves.
_admin_url = urlsplit(WAGTAILADMIN_BASE_URL)
NEWSDESK_SITE_HOSTNAME = env_str("NEWSDESK_SITE_HOSTNAME", _admin_url.hostname or "localhost")
NEWSDESK_SITE_PORT = env_int(
    "NEWSDESK_SITE_PORT",
    _admin_url.port or (443 if _admin_url.scheme == "https" else 80),
    minimum=1,
)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"webp": "webp", "avif": "webp"}
# The image edit form carries the image's credit and licence (news.image_rights).
WAGTAILIMAGES_IMAGE_FORM_BASE = "news.desk.images.ImageRightsForm"
# The admin calls no outside service: no Gravatar images, no release check. Both would
# also be refused by the admin's Content-Security-Policy (site_project/security.py).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Kazakh admin (issue 15): the admin's languages, each under its own name, Kazakh first.
# A user who has not chosen one gets the browser's if it is one of these, else the
# server's LANGUAGE_CODE, Kazakh unless NEWSDESK_DEFAULT_LANGUAGE says otherwise.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]

# Machine translation is off unless configured (never on by default in production).
# NEWSDESK_MACHINE_TRANSLATOR is a class path or one of the short names below; the
# option names are the ones wagtail-localize 1.14's translators read:
#   DeepL: AUTH_KEY (a key ending in ":fx" uses the free API), TIMEOUT
#   LibreTranslate: LIBRETRANSLATE_URL (base URL, "/translate" is appended), API_KEY, TIMEOUT
#   Google Cloud: PROJECT_ID, LOCATION, CREDENTIALS_PATH (else GOOGLE_APPLICATION_CREDENTIALS)
_MACHINE_TRANSLATORS = {
    "deepl": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
    "libretranslate": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
    "google": "wagtail_localize.machine_translators.google.GoogleCloudTranslator",
}
_mt_class = env_str("NEWSDESK_MACHINE_TRANSLATOR", "").strip()
if _mt_class:
    _mt_class = _MACHINE_TRANSLATORS.get(_mt_class.lower(), _mt_class)
    _mt_key = env_str("NEWSDESK_MACHINE_TRANSLATOR_KEY", "")
    _mt_url = env_str("NEWSDESK_MACHINE_TRANSLATOR_URL", "").rstrip("/")
    _mt_options = {
        "AUTH_KEY": _mt_key,
        "API_KEY": _mt_key,
        "LIBRETRANSLATE_URL": _mt_url,
        "TIMEOUT": env_int("NEWSDESK_MACHINE_TRANSLATOR_TIMEOUT", 10, minimum=1),
        "PROJECT_ID": env_str("NEWSDESK_MACHINE_TRANSLATOR_PROJECT_ID", ""),
        "LOCATION": env_str("NEWSDESK_MACHINE_TRANSLATOR_LOCATION", "global"),
    }
    if env_str("NEWSDESK_MACHINE_TRANSLATOR_CREDENTIALS_PATH"):
        _mt_options["CREDENTIALS_PATH"] = env_str("NEWSDESK_MACHINE_TRANSLATOR_CREDENTIALS_PATH")
    _mt_required = {
        _MACHINE_TRANSLATORS["deepl"]: ("NEWSDESK_MACHINE_TRANSLATOR_KEY", _mt_key),
        _MACHINE_TRANSLATORS["libretranslate"]: ("NEWSDESK_MACHINE_TRANSLATOR_URL", _mt_url),
        _MACHINE_TRANSLATORS["google"]: (
            "NEWSDESK_MACHINE_TRANSLATOR_PROJECT_ID",
            _mt_options["PROJECT_ID"],
        ),
    }.get(_mt_class)
    if _mt_required and not _mt_required[1]:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{_mt_required[0]} is required by {_mt_class}")
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {"CLASS": _mt_class, "OPTIONS": _mt_options}

# "Translate this page" must not publish a copy that is still in the source language:
# a new translation starts as a draft, so readers get the honest fallback until a
# translator publishes it (wagtail-localize's default publishes it at once).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

# --- Background tasks ----------------------------------------------------------
# Wagtail's and Newsdesk's background work (search and reference index updates, scheduled
# publishing and expiry, machine translation) waits in the database (django-tasks-db) for
# `manage.py newsdesk_worker`, which `make run` starts beside the web server and production
# runs as a process of its own (docs/install.md). TASKS_BACKEND=immediate runs each task in
# the request that enqueued it instead: no worker, and then nothing publishes on schedule.
_TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = env_str("TASKS_BACKEND", "database")
if _tasks_backend not in _TASKS_BACKENDS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASKS_BACKENDS)}, not {_tasks_backend!r}"
    )
TASKS = {"default": {"BACKEND": _TASKS_BACKENDS[_tasks_backend], "QUEUES": ["default"]}}
# The periodic job's interval, and when /readyz calls a silent worker degraded (seconds).
NEWSDESK_SCHEDULE_INTERVAL = env_int("NEWSDESK_SCHEDULE_INTERVAL", 60, minimum=1)
NEWSDESK_WORKER_STALE_AFTER = env_int("NEWSDESK_WORKER_STALE_AFTER", 300, minimum=1)

# --- REST framework / API ------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # An anonymous user object, not None: Wagtail's API v2 asks login-restricted
    # pages whether request.user is authenticated (None made that a 500).
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Every error, including DRF's own, becomes application/problem+json.
    "EXCEPTION_HANDLER": "news.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    # Title, version, description and servers: news.api.schema.describe_http.
    "TITLE": "Newsdesk API",
    # 3.1: a nullable reference is oneOf [$ref, null], which generators read right.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc are served from drf-spectacular-sidecar's static files (offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Only /api/v1/ (also for the deploy check, which reads the root URLconf).
    "PREPROCESSING_HOOKS": ["site_project.openapi.only_api_v1"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "news.api.schema.describe_http",
    ],
    "ENUM_NAME_OVERRIDES": {
        "LocaleCode": "news.api.serializers.LOCALE_CHOICES",
        "HeadingLevel": "news.api.serializers.HEADING_LEVELS",
        "NoteKind": "news.api.serializers.NOTE_KINDS",
    },
}
# Anonymous rate limit of /api/v1/ ("600/min", "20/s", …); empty turns it off.
NEWSDESK_API_RATE = env_str("NEWSDESK_API_RATE", "600/min")
if NEWSDESK_API_RATE and not re.fullmatch(
    r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", NEWSDESK_API_RATE
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"NEWSDESK_API_RATE must look like '600/min' (s, min, hour, day), not {NEWSDESK_API_RATE!r}"
    )
# How long a headless preview link stays valid, in seconds.
NEWSDESK_PREVIEW_MAX_AGE = env_int("NEWSDESK_PREVIEW_MAX_AGE", 3600, minimum=1)
# Where "Preview in frontend" sends editors; {token} and {api_url} are filled in.
NEWSDESK_PREVIEW_URL = env_str("NEWSDESK_PREVIEW_URL", "")
NEWSDESK_API_MAX_AGE = env_int("NEWSDESK_API_MAX_AGE", 60, minimum=0)
# Whole-response cache for anonymous readers (news/cache.py). With it off,
# ETag/Last-Modified/304 still work.
NEWSDESK_RESPONSE_CACHE = env_bool("NEWSDESK_RESPONSE_CACHE", True)
# 0: entries live until purged or evicted by size (purges are exact; news/tagged_cache.py).
NEWSDESK_RESPONSE_CACHE_TTL = env_int("NEWSDESK_RESPONSE_CACHE_TTL", 0, minimum=0)
NEWSDESK_RESPONSE_CACHE_MAX_BYTES = env_int(
    "NEWSDESK_RESPONSE_CACHE_MAX_BYTES", 1_000_000, minimum=0
)
# Bytes of cached answers each worker process keeps in its own memory, in front of the
# shared cache (checked against the same cache-key tokens, so a purge reaches them too).
# Kept in a cache not shared between processes (LocMemCache) only a few seconds.
NEWSDESK_LOCAL_CACHE_BYTES = env_int("NEWSDESK_LOCAL_CACHE_BYTES", 16 * 1024 * 1024, minimum=0)
# After a new story, how long an article may still show its older "other news" block.
NEWSDESK_SOFT_PURGE_SECONDS = env_int("NEWSDESK_SOFT_PURGE_SECONDS", 60, minimum=0)
# Surrogate-Control max-age for a CDN that purges by key (Varnish xkey); 0: none.
NEWSDESK_CDN_MAX_AGE = env_int("NEWSDESK_CDN_MAX_AGE", 3600, minimum=0)
# A CDN in front that purges by key (docs/install.md, deploy/varnish/newsdesk.vcl).
if env_str("NEWSDESK_VARNISH_URL"):
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "news.caching.frontend.XkeyBackend",
            "LOCATION": env_str("NEWSDESK_VARNISH_URL"),
        }
    }
# HTML is revalidated more often than the API (a 304 costs one version read).
NEWSDESK_HTML_MAX_AGE = env_int("NEWSDESK_HTML_MAX_AGE", 0, minimum=0)
# How often each process re-applies purges a down shared cache missed (docs/reliability.md).
NEWSDESK_PURGE_RECHECK_SECONDS = env_int("NEWSDESK_PURGE_RECHECK_SECONDS", 5, minimum=1)
# Outgoing notifications (news.outbox, docs/webhooks.md). Telegram: the channel of each
# language ("kk=@news_kk,ru=@news_ru"); the bot token is read by the plugin itself, only
# from NEWSDESK_TELEGRAM_BOT_TOKEN. Webhooks: receivers besides the admin's snippets.
NEWSDESK_TELEGRAM_CHANNELS = {}
for _item in env_list("NEWSDESK_TELEGRAM_CHANNELS"):
    _code, _sep, _chat = _item.partition("=")
    if not _sep or _code.strip() not in _language_codes or not _chat.strip():
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"NEWSDESK_TELEGRAM_CHANNELS: write language=channel, e.g. kk=@news_kk, not {_item!r}"
        )
    NEWSDESK_TELEGRAM_CHANNELS[_code.strip()] = _chat.strip()
NEWSDESK_TELEGRAM_API_URL = env_str("NEWSDESK_TELEGRAM_API_URL", "https://api.telegram.org")
_webhook_secret = env_str("NEWSDESK_WEBHOOK_SECRET", "")
NEWSDESK_WEBHOOKS = [
    {"url": _url, "secret": _webhook_secret} for _url in env_list("NEWSDESK_WEBHOOK_URLS")
]
if NEWSDESK_WEBHOOKS and not _webhook_secret.startswith("whsec_"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("NEWSDESK_WEBHOOK_SECRET must be set, written whsec_<base64>")
NEWSDESK_OUTBOX_RETRY_DELAY = env_int("NEWSDESK_OUTBOX_RETRY_DELAY", 10, minimum=1)
NEWSDESK_OUTBOX_MAX_ATTEMPTS = env_int("NEWSDESK_OUTBOX_MAX_ATTEMPTS", 8, minimum=1)
# Browser frontends on other origins: revalidation headers allowed, ETag exposed
# (news/api/cors.py says why; docs/frontends.md).
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = cors.URLS_REGEX
CORS_ALLOW_METHODS = cors.ALLOW_METHODS
CORS_ALLOW_HEADERS = (*cors_default_headers, *cors.ALLOW_HEADERS)
CORS_EXPOSE_HEADERS = cors.EXPOSE_HEADERS

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Django's messages reach the console once, through the root logger (its default config
    # also gives "django" a console handler of its own: every line printed twice in DEBUG).
    "loggers": {"django": {"handlers": [], "level": "INFO"}},
}
