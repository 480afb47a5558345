"""System checks of a host's Newsdesk configuration (``manage.py check``).

Each NEWSDESK_* setting (news/conf.py) is checked for its type and range, the fallback
chains name only languages in LANGUAGES, the API rate reads like "600/min", and the apps
Newsdesk needs are installed. Registered in ``NewsConfig.ready``.

Install checks, for a newcomer following docs/install.md:

- ``search_clash``: another ``search`` package beside Newsdesk's (``wagtail start``'s demo
  app). When the host's shadows ours, the app registry would crash on a missing
  ``search.analysis``; ``NewsConfig`` raises this message first, while the apps are
  being created. When ours shadows theirs, it is a system check error.
- unapplied migrations of Newsdesk and the task queue (``check --deploy --database
  default``: database checks only run with ``--database``, as Django's own do);
- a default Site still on ``localhost:80`` while ``WAGTAILADMIN_BASE_URL`` names another
  host (``migrate`` and ``check --database default``);
- a response cache that relies on a cache not shared between processes (``LocMemCache``):
  a warning under ``check``, an error under ``check --deploy`` (docs/reliability.md).
"""

import importlib.util
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connections
from django.utils.module_loading import import_string

from news.conf import BY_NAME, conf

REQUIRED_APPS = [
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.api.v2",
    "wagtail.contrib.redirects",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django.contrib.sitemaps",
]
# Settings that must be at least 1 (the others may be 0).
POSITIVE = {
    "PAGE_SIZE",
    "OTHER_NEWS_COUNT",
    "FEED_SIZE",
    "PREVIEW_MAX_AGE",
    "PURGE_RECHECK_SECONDS",
    "SCHEDULE_INTERVAL",
    "WORKER_STALE_AFTER",
}
RATE = re.compile(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)")


def _error(name, message, number, hint=None):
    return Error(f"NEWSDESK_{name}: {message}", hint=hint, id=f"newsdesk.E{number:03d}")


def _type_errors():
    errors = []
    for name, item in BY_NAME.items():
        value = conf.raw(item)
        if item.derive is not None:  # None (derived), or a value like the derived one
            if value is not None and not isinstance(value, type(item.derive())):
                errors.append(
                    _error(
                        name,
                        f"must be None or of type {type(item.derive()).__name__}, "
                        f"not {type(value).__name__} ({value!r}).",
                        1,
                    )
                )
            continue
        if item.default is None:  # None or a list of names
            if value is not None and not (
                isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
            ):
                errors.append(_error(name, f"must be None or a list of names, not {value!r}.", 1))
            continue
        expected = type(item.default)
        if expected is tuple:  # names (e.g. the cache's query parameters): a list is as good
            expected = (list, tuple)
        # bool is an int in Python: a True page size is a mistake, not a number.
        wrong = not isinstance(value, expected) or (expected is int and isinstance(value, bool))
        if wrong:
            errors.append(
                _error(
                    name,
                    f"must be of type {getattr(expected, '__name__', 'list')}, "
                    f"not {type(value).__name__} ({value!r}).",
                    1,
                    hint=f"The default is {item.default!r}.",
                )
            )
        elif expected is int and (value < 0 or (name in POSITIVE and value < 1)):
            least = 1 if name in POSITIVE else 0
            errors.append(_error(name, f"must be at least {least}, not {value}.", 2))
    return errors


def _language_errors():
    known = [code for code, _name in settings.LANGUAGES]
    errors = []
    fallbacks = conf.FALLBACKS
    if isinstance(fallbacks, dict):
        for language, chain in fallbacks.items():
            if language not in known:
                errors.append(
                    _error(
                        "FALLBACKS",
                        f"{language!r} is not in LANGUAGES ({', '.join(known)}).",
                        3,
                    )
                )
            if not isinstance(chain, list | tuple) or not all(isinstance(c, str) for c in chain):
                errors.append(
                    _error("FALLBACKS", f"the chain of {language!r} must be a list of codes.", 4)
                )
                continue
            for code in chain:
                if code not in known:
                    errors.append(
                        _error(
                            "FALLBACKS",
                            f"the chain of {language!r} names {code!r}, which is not in "
                            f"LANGUAGES ({', '.join(known)}).",
                            3,
                        )
                    )
    names = conf.LANGUAGE_NAMES_LOCAL
    if isinstance(names, dict) and not all(isinstance(v, str) for v in names.values()):
        errors.append(_error("LANGUAGE_NAMES_LOCAL", "every name must be a string.", 4))
    return errors


def _other_errors():
    errors = []
    rate = conf.API_RATE
    if isinstance(rate, str) and rate and not RATE.fullmatch(rate.strip()):
        errors.append(
            _error(
                "API_RATE",
                f"{rate!r} is not a rate.",
                5,
                hint='Write it like "600/min", "20/s", "1000/hour" or "10000/day"; '
                "empty turns the limit off.",
            )
        )
    path = conf.SEARCH_FUNCTION
    if isinstance(path, str) and path:
        try:
            function = import_string(path)
        except ImportError as exc:
            errors.append(_error("SEARCH_FUNCTION", f"{path!r} cannot be imported ({exc}).", 6))
        else:
            if not callable(function):
                errors.append(_error("SEARCH_FUNCTION", f"{path!r} is not callable.", 6))
    preview_url = conf.PREVIEW_URL
    if isinstance(preview_url, str) and preview_url and "{token}" not in preview_url:
        errors.append(_error("PREVIEW_URL", f"{preview_url!r} has no {{token}} placeholder.", 7))
    return errors


@register(Tags.compatibility)
def check_settings(app_configs=None, **kwargs):
    """NEWSDESK_* values: types, ranges, fallback chains, the API rate, the search function."""
    return [*_type_errors(), *_language_errors(), *_other_errors()]


@register(Tags.compatibility)
def check_installation(app_configs=None, **kwargs):
    """The apps and settings Newsdesk cannot work without."""
    errors = [
        Error(
            f"Newsdesk needs {app!r} in INSTALLED_APPS.",
            hint="See docs/install.md, step 2.",
            id="newsdesk.E010",
        )
        for app in REQUIRED_APPS
        if not apps.is_installed(app)
    ]
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        errors.append(
            Error(
                "Newsdesk needs WAGTAIL_I18N_ENABLED = True (its stories are translated pages).",
                id="newsdesk.E011",
            )
        )
    if "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE:
        errors.append(
            Warning(
                "Django's LocaleMiddleware is in MIDDLEWARE: replace it with "
                "news.api.locale.LocaleMiddleware, which keeps the API's status codes and Vary.",
                id="newsdesk.W012",
            )
        )
    elif "news.api.locale.LocaleMiddleware" not in settings.MIDDLEWARE:
        errors.append(
            Warning(
                "news.api.locale.LocaleMiddleware is not in MIDDLEWARE: pages are not served "
                "in the reader's language.",
                hint="Add it after SessionMiddleware (docs/install.md, step 2).",
                id="newsdesk.W013",
            )
        )
    if not _image_form_has_rights():
        errors.append(
            Warning(
                "Wagtail's image form does not edit the images' credit and licence.",
                hint='Set WAGTAILIMAGES_IMAGE_FORM_BASE = "news.desk.images.ImageRightsForm" '
                "(or a subclass of it): docs/install.md, step 2.",
                id="newsdesk.W014",
            )
        )
    errors += _latin_edition_warnings()
    return errors


LATIN_EDITION_MIDDLEWARE = "news.kazakh_latin.edition.LatinEditionMiddleware"
RESPONSE_CACHE_MIDDLEWARE = "news.caching.middleware.ResponseCacheMiddleware"


def _latin_edition_warnings():
    """NEWSDESK_KAZAKH_LATIN_EDITION needs its middleware, outside the response cache."""
    if not conf.KAZAKH_LATIN_EDITION:
        return []
    middleware = list(settings.MIDDLEWARE)
    if LATIN_EDITION_MIDDLEWARE in middleware and (
        RESPONSE_CACHE_MIDDLEWARE not in middleware
        or middleware.index(LATIN_EDITION_MIDDLEWARE) < middleware.index(RESPONSE_CACHE_MIDDLEWARE)
    ):
        return []
    return [
        Warning(
            "NEWSDESK_KAZAKH_LATIN_EDITION is on, but LatinEditionMiddleware is not in "
            "MIDDLEWARE before ResponseCacheMiddleware: /kk-latn/ answers 404 while the "
            "Kazakh pages link to it.",
            hint=f"Insert {LATIN_EDITION_MIDDLEWARE!r} right before "
            f"{RESPONSE_CACHE_MIDDLEWARE!r} (docs/install.md, step 2).",
            id="newsdesk.W070",
        )
    ]


def _image_form_has_rights():
    """True when Wagtail's image form base is news.desk.images.ImageRightsForm or its subclass."""
    from wagtail.images.forms import get_image_base_form

    from news.desk.images import ImageRightsForm

    try:
        return issubclass(get_image_base_form(), ImageRightsForm)
    except ImportError:
        return False


# --- Install checks ---------------------------------------------------------------------

NEWSDESK_SEARCH = Path(__file__).resolve().parent.parent / "search"


def imported_search():
    """The folder of the package ``import search`` gives (already imported, or found)."""
    module = sys.modules.get("search")
    origin = getattr(module, "__file__", None)
    if origin is None:
        spec = importlib.util.find_spec("search")
        origin = spec.origin if spec else None
    return Path(origin).resolve().parent if origin else None


def search_clash(path=None, imported=None):
    """The ``search`` clash as an Error, or None: Newsdesk's ``search`` app (the one beside
    ``news``) and another package of that name cannot both be imported. ``path`` and
    ``imported`` default to ``sys.path`` and what ``import search`` gives."""
    ours = NEWSDESK_SEARCH
    imported = imported or imported_search()
    others = []
    for entry in sys.path if path is None else path:
        package = Path(entry or ".").resolve() / "search"
        if (package / "__init__.py").is_file() and package != ours and package not in others:
            others.append(package)
    if imported and imported != ours:
        other = imported
        message = (
            f"Two packages are named 'search': yours ({other}) hides Newsdesk's search app "
            f"({ours}), which news, newsdesk_memory and the search pages need."
        )
    elif others:
        other = others[0]
        message = (
            f"Two packages are named 'search': Newsdesk's ({ours}) hides yours ({other}), "
            "whose code never runs."
        )
    else:
        return None
    files = sorted(p.name for p in other.iterdir() if p.name != "__pycache__")
    demo = set(files) <= {"__init__.py", "views.py", "templates"}
    hint = (
        f"It is the demo search of `wagtail start` ({', '.join(files)}): delete the folder "
        f"{other}; Newsdesk's search app replaces it (docs/install.md, step 1)."
        if demo
        else f"Rename your app (the folder {other} and its name in INSTALLED_APPS): "
        "Newsdesk's search app must be the one named 'search' (docs/install.md, step 1)."
    )
    return Error(message, hint=hint, id="newsdesk.E020")


def raise_on_search_clash():
    """Called while the app registry creates the apps (``NewsConfig.__init__``), before a
    model import fails on the wrong ``search`` (``No module named 'search.analysis'``):
    stop with the check's own words. Ours hiding theirs breaks nothing of Newsdesk's, so
    that is left to the system check."""
    from django.core.exceptions import ImproperlyConfigured

    imported = imported_search()
    if imported and imported != NEWSDESK_SEARCH:
        error = search_clash(imported=imported)
        raise ImproperlyConfigured(f"{error.id}: {error.msg}\n\tHINT: {error.hint}")


@register(Tags.compatibility)
def check_search_clash(app_configs=None, **kwargs):
    error = search_clash()
    return [error] if error else []


def unapplied_migrations(alias):
    """{app label: number of its migrations not applied to ``alias``}: every app's (a
    host's, Newsdesk's, the task queue's), as ``migrate`` would apply them."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    counts = {}
    for migration, _backwards in executor.migration_plan(executor.loader.graph.leaf_nodes()):
        counts[migration.app_label] = counts.get(migration.app_label, 0) + 1
    return counts


@register(Tags.database, deploy=True)
def check_migrations(app_configs=None, databases=None, **kwargs):
    """``check --deploy --database default``: migrations not applied yet (Newsdesk's, the
    task queue's: ``check`` alone would be silent about them)."""
    errors = []
    for alias in databases or ():
        try:
            counts = unapplied_migrations(alias)
        except DatabaseError:  # no database to ask: the deploy itself will say so
            continue
        if counts:
            listed = ", ".join(f"{label} ({count})" for label, count in sorted(counts.items()))
            errors.append(
                Error(
                    f"The {alias!r} database lacks {sum(counts.values())} migrations: {listed}.",
                    hint="Run `python manage.py migrate` after adding every app, the task "
                    "queue's included (docs/install.md, step 4).",
                    id="newsdesk.E021",
                )
            )
    return errors


@register(Tags.database)
def check_site_address(app_configs=None, databases=None, **kwargs):
    """The default Site still says ``localhost:80`` (``wagtail start``'s) although
    WAGTAILADMIN_BASE_URL names the site's real address: canonical, hreflang and JSON-LD
    URLs would point at localhost."""
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    wanted = urlsplit(base_url).hostname
    if not databases or not wanted or wanted == "localhost":
        return []
    from wagtail.models import Site

    try:
        site = Site.objects.using(databases[0]).filter(is_default_site=True).first()
    except DatabaseError:  # not migrated yet (migrate runs this check first)
        return []
    if site is None or (site.hostname, site.port) != ("localhost", 80):
        return []
    return [
        Warning(
            "The default Site is still http://localhost/, but WAGTAILADMIN_BASE_URL is "
            f"{base_url}: canonical, hreflang and JSON-LD links would point at localhost.",
            hint="Run `python manage.py newsdesk_site` (it sets the Site's hostname and port "
            "from WAGTAILADMIN_BASE_URL), or edit the site under Settings → Sites.",
            id="newsdesk.W022",
        )
    ]


def _unshared_cache_messages(kind, number):
    return [
        kind(
            f"The cache {alias!r} (NEWSDESK_CACHE) is not shared between processes: a "
            "publish in one process does not purge the answers cached in another.",
            hint=f"Point CACHES[{alias!r}] at a cache every process shares: "
            "django_redis.cache.RedisCache, or diskcache's DjangoCache on one host "
            "(docs/reliability.md). Until then entries live NEWSDESK_UNSHARED_CACHE_SECONDS.",
            id=f"newsdesk.{kind.__name__[0]}{number:03d}",
        )
        for alias in sorted({conf.CACHE, conf.TOKEN_CACHE or conf.CACHE})
        if settings.CACHES.get(alias, {}).get("BACKEND", "").endswith("locmem.LocMemCache")
    ]


@register(Tags.caches)
def unshared_cache(app_configs=None, **kwargs):
    """Warns (``check``) when the response cache and purges rely on a per-process cache."""
    return _unshared_cache_messages(Warning, 60)


@register(Tags.caches, deploy=True)
def unshared_cache_deploy(app_configs=None, **kwargs):
    """The same, as an error, for ``check --deploy``."""
    return _unshared_cache_messages(Error, 61)
