"""System checks of a host's Newsdesk configuration (``manage.py check``).

Each NEWSDESK_* setting (news/conf.py) is checked for its type and range, the fallback
chains name only languages in LANGUAGES, the API rate reads like "600/min", and the apps
Newsdesk needs are installed. Registered in ``NewsConfig.ready``.
"""

import re

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
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
    "RESPONSE_CACHE_TTL",
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
        value = getattr(conf, name)
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
    return errors
