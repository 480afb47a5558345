"""Query parameters of the API, parsed and checked in one place.

Every parser collects ``(parameter, detail)`` pairs instead of failing at the
first problem, so a 400 names every bad parameter at once. Nothing here lets a
malformed value reach the database (NUL bytes, huge integers, overlong text).
"""

import datetime
import re

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from news import i18n, queries
from news.api.errors import ParameterError
from news.conf import conf

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 100_000
MAX_OTHER_LIMIT = 20
DEFAULT_OTHER_LIMIT = 5
MAX_QUERY_LENGTH = 200
MAX_PATH_LENGTH = 2048
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


class Params:
    """Parsed parameters; ``errors`` holds every problem found so far."""

    def __init__(self, request):
        self.request = request
        self.query = request.query_params if hasattr(request, "query_params") else request.GET
        self.errors = []
        self.language, self.language_from_header = self._language()

    def raise_if_invalid(self):
        if self.errors:
            raise ParameterError(self.errors)

    def raw(self, name):
        value = self.query.get(name)
        if value is not None and "\x00" in value:
            self.errors.append((name, _("The value contains a NUL character.")))
            return None
        return value

    def _language(self):
        value = self.raw("locale")
        if value is not None:
            code = value.strip().lower()
            if code in i18n.language_codes():
                return code, False
            self.errors.append(
                (
                    "locale",
                    _("Unknown locale %(value)r; use one of: %(codes)s.")
                    % {"value": value[:20], "codes": ", ".join(i18n.language_codes())},
                )
            )
            return settings.LANGUAGE_CODE, False
        return language_from_accept_header(self.request), True

    def integer(self, name, default, minimum, maximum, message=None):
        value = self.raw(name)
        if value is None or value == "":
            return default
        try:
            number = int(value.strip()) if value.strip().lstrip("-").isdigit() else None
        except ValueError:
            number = None
        if number is None:
            self.errors.append((name, _("Must be a whole number.")))
            return default
        if number < minimum or number > maximum:
            self.errors.append(
                (
                    name,
                    message
                    or _("Must be between %(minimum)s and %(maximum)s.")
                    % {"minimum": minimum, "maximum": maximum},
                )
            )
            return default
        return number

    def boolean(self, name, default):
        value = self.raw(name)
        if value is None or value == "":
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        self.errors.append((name, _("Must be true or false.")))
        return default

    def date(self, name):
        value = self.raw(name)
        if value is None or value == "":
            return None
        if _DATE.match(value.strip()):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.errors.append((name, _("Must be a date written YYYY-MM-DD.")))
        return None

    def text(self, name, max_length):
        value = self.raw(name)
        if value is None:
            return ""
        value = value.strip()
        if len(value) > max_length:
            self.errors.append(
                (
                    name,
                    _("Must be at most %(max_length)s characters long.")
                    % {"max_length": max_length},
                )
            )
            return ""
        return value


def language_from_accept_header(request):
    """The best configured language in Accept-Language, else the default language."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    if header and len(header) <= 1000:
        for code, _quality in parse_accept_lang_header(header):
            language = i18n.normalize_language(code)
            if language:
                return language
    return settings.LANGUAGE_CODE


class ListParams(Params):
    """``news/``: locale, page, page_size, topic, date_from, date_to, q, fallback."""

    def __init__(self, request):
        super().__init__(request)
        self.page = self.integer("page", 1, 1, MAX_PAGE)
        self.page_size = self.integer(
            "page_size",
            DEFAULT_PAGE_SIZE,
            1,
            MAX_PAGE_SIZE,
            _("Must be between 1 and %(maximum)s.") % {"maximum": MAX_PAGE_SIZE},
        )
        self.date_from = self.date("date_from")
        self.date_to = self.date("date_to")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            self.errors.append(("date_from", _("Must not be later than date_to.")))
        self.q = self.text("q", MAX_QUERY_LENGTH)
        self.fallback = self.boolean("fallback", conf.LISTING_FALLBACK)
        self.topic = None
        slug = self.text("topic", 100)
        if slug and not any(name == "topic" for name, _detail in self.errors):
            self.topic = queries.topic_from_slug(slug, self.language)
            if self.topic is None:
                self.errors.append(("topic", _("No topic has the slug %(slug)r.") % {"slug": slug}))
        self.raise_if_invalid()


class OtherParams(Params):
    """``news/{id}/other/``: locale, limit."""

    def __init__(self, request):
        super().__init__(request)
        self.limit = self.integer(
            "limit", min(DEFAULT_OTHER_LIMIT, MAX_OTHER_LIMIT), 1, MAX_OTHER_LIMIT
        )
        self.raise_if_invalid()


class LocaleParams(Params):
    """Endpoints that take only ``locale``."""

    def __init__(self, request):
        super().__init__(request)
        self.raise_if_invalid()


class ResolveParams(Params):
    """``resolve/``: path (required), locale is taken from the path itself."""

    def __init__(self, request):
        super().__init__(request)
        path = self.raw("path")
        self.path = None
        if path is None or not path.strip():
            self.errors.append(("path", _("This parameter is required.")))
        elif len(path) > MAX_PATH_LENGTH:
            self.errors.append(
                (
                    "path",
                    _("Must be at most %(max_length)s characters long.")
                    % {"max_length": MAX_PATH_LENGTH},
                )
            )
        else:
            self.path = path.strip()
        self.raise_if_invalid()
