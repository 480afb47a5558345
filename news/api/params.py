"""Query parameters of the API: one DRF serializer per endpoint validates and documents them.

A view validates ``request.query_params`` with its serializer (``LocaleQuery.parse``)
and names the same serializer in ``extend_schema(parameters=[…])``, so the
published schema and the checks cannot drift apart. Every field is checked before
the answer, so a 400 names every bad parameter at once (the DRF exception handler in
``news.api.errors`` turns the serializer's errors into the problem+json shape);
the cross-parameter checks (a topic in the reader's language, ``date_from`` not
after ``date_to``) follow DRF: ``validate_topic`` runs with the fields, the date
order in ``validate`` once every field is well-formed.

The fields are DRF's, with their parsing written here on purpose: DRF would read a
missing boolean in a query string as ``false``, an empty ``page=`` as an error and
``page=1.0`` as 1, accepts "y"/"Y" as booleans and answers in its own messages.
Here the accepted forms are the API's documented ones, and the messages are ours
(translated in locale/, in the language active for the request, as every API
error). Nothing lets a malformed value reach the database (NUL bytes, huge
integers, overlong text).
"""

import datetime
import re
from types import SimpleNamespace

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty

from news import i18n, queries
from news.conf import conf
from news.kazakh_latin import edition

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 100_000
MAX_OTHER_LIMIT = 20
DEFAULT_OTHER_LIMIT = 5
MAX_QUERY_LENGTH = 200
MAX_TOPIC_LENGTH = 100
MAX_PATH_LENGTH = 2048
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}
REQUIRED = gettext_lazy("This parameter is required.")

# The header twin of ``locale`` (documentation only: LocaleField reads it).
ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="Used to choose the language when `locale` is not given.",
)


def language_from_accept_header(request):
    """The best configured language in Accept-Language, else the default language."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    if header and len(header) <= 1000:
        for code, _quality in parse_accept_lang_header(header):
            language = i18n.normalize_language(code)
            if language:
                return language
    return settings.LANGUAGE_CODE


# --- fields ----------------------------------------------------------------------


class QueryField:
    """Reads a query string as a plain mapping (absent: the default; ``x=``: the text "")
    and refuses a NUL character in any parameter."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)

    def run_validation(self, data=empty):
        if isinstance(data, str) and "\x00" in data:
            raise ValidationError(_("The value contains a NUL character."))
        return super().run_validation(data)


class EmptyIsDefault(QueryField):
    """``x=`` means the same as leaving ``x`` out."""

    def get_value(self, dictionary):
        value = super().get_value(dictionary)
        return empty if value == "" else value


class ReaderLanguage:
    """Default of ``locale``: the Accept-Language header, else the default language."""

    requires_context = True

    def __call__(self, field):
        return language_from_accept_header(field.context["request"])


class LocaleField(QueryField, serializers.ChoiceField):
    """A configured language code (any case); absent: see ReaderLanguage."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "choices",
            edition.api_locale_choices(
                [(code, i18n.local_name(code)) for code in i18n.language_codes()]
            ),
        )
        kwargs.setdefault("default", ReaderLanguage())
        kwargs.setdefault(
            "help_text",
            "Language of the reader. Without it, the Accept-Language header chooses "
            "(the answer then carries `Vary: Accept-Language`), else the default language. "
            "`kk-Latn`: the Kazakh answer in Latin letters, where the site serves its "
            "Latin edition.",
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        code = str(data).strip().lower()
        if code in i18n.language_codes():
            return code
        raise ValidationError(
            _("Unknown locale %(value)r; use one of: %(codes)s.")
            % {"value": str(data)[:20], "codes": ", ".join(i18n.language_codes())}
        )


class NumberField(EmptyIsDefault, serializers.IntegerField):
    """A whole number from ``min_value`` to ``max_value``; ``message`` for one out of range."""

    def __init__(self, *, message=None, **kwargs):
        self.message = message
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = str(data).strip()
        try:
            number = int(text) if text.lstrip("-").isdigit() else None
        except ValueError:  # more digits than Python converts
            number = None
        if number is None:
            raise ValidationError(_("Must be a whole number."))
        if not self.min_value <= number <= self.max_value:
            message = self.message or _("Must be between %(minimum)s and %(maximum)s.")
            raise ValidationError(
                str(message) % {"minimum": self.min_value, "maximum": self.max_value}
            )
        return number


class FlagField(EmptyIsDefault, serializers.BooleanField):
    def to_internal_value(self, data):
        lowered = str(data).strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValidationError(_("Must be true or false."))


class DayField(EmptyIsDefault, serializers.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = str(data).strip()
        if _DATE.match(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                pass
        raise ValidationError(_("Must be a date written YYYY-MM-DD."))


class TextField(QueryField, serializers.CharField):
    """Text, surrounding spaces dropped, at most ``max_length`` characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = str(data).strip()
        if self.max_length is not None and len(text) > self.max_length:
            raise ValidationError(
                _("Must be at most %(max_length)s characters long.")
                % {"max_length": self.max_length}
            )
        return text


def search_words(**kwargs):
    return TextField(
        max_length=MAX_QUERY_LENGTH,
        help_text=f"Search words (at most {MAX_QUERY_LENGTH} characters).",
        **kwargs,
    )


def limit_field(default, maximum):
    return NumberField(
        default=default,
        min_value=1,
        max_value=maximum,
        help_text=f"1 to {maximum} (default {default}).",
    )


# --- serializers -------------------------------------------------------------------


class QueryParameters(serializers.Serializer):
    """The query parameters of one endpoint."""

    @classmethod
    def parse(cls, request):
        """The valid parameters of ``request`` (``language``, ``language_from_header`` and
        each field by name), or a ValidationError naming every bad one."""
        serializer = cls(data=request.query_params, context={"request": request})
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        if "locale" in serializer.fields:
            values["language"] = values.pop("locale")
            values["language_from_header"] = "locale" not in request.query_params
        return SimpleNamespace(**values)


class LocaleQuery(QueryParameters):
    """Endpoints that take only ``locale``; the base of the others."""

    locale = LocaleField()

    def reader_language(self):
        """The language of the answer, for checks that depend on it (the default when
        ``locale`` itself is bad: that error is reported on its own)."""
        field = self.fields["locale"]
        try:
            return field.run_validation(field.get_value(self.initial_data))
        except ValidationError:
            return settings.LANGUAGE_CODE


class PagedQuery(LocaleQuery):
    """One page of a listing: ``authors/``, an author's stories; the base of ``ListQuery``."""

    page = NumberField(
        default=1,
        min_value=1,
        max_value=MAX_PAGE,
        help_text=f"1-based page number (at most {MAX_PAGE}).",
    )
    page_size = NumberField(
        default=DEFAULT_PAGE_SIZE,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        message=gettext_lazy("Must be between 1 and %(maximum)s."),
        help_text=f"Items per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
    )


AuthorQuery = PagedQuery


class ListQuery(PagedQuery):
    """``news/`` and ``search/``."""

    date_from = DayField(help_text="Earliest date, YYYY-MM-DD.")
    date_to = DayField(help_text="Latest date, YYYY-MM-DD.")
    q = search_words()
    fallback = FlagField(
        default=lambda: conf.LISTING_FALLBACK,
        help_text="Include untranslated stories in their fallback language (default true).",
    )
    topic = TextField(
        max_length=MAX_TOPIC_LENGTH, default=None, help_text="Topic slug (any language)."
    )

    def validate_topic(self, slug):
        if not slug:
            return None
        topic = queries.topic_from_slug(slug, self.reader_language())
        if topic is None:
            raise ValidationError(_("No topic has the slug %(slug)r.") % {"slug": slug})
        return topic

    def validate(self, attrs):
        if attrs["date_from"] and attrs["date_to"] and attrs["date_from"] > attrs["date_to"]:
            raise ValidationError({"date_from": _("Must not be later than date_to.")})
        return attrs


def listing_filters(params):
    """The filters of a parsed ``ListQuery`` that narrow a listing (or a search)."""
    return {
        "topic": params.topic,
        "fallback": params.fallback,
        "date_from": params.date_from,
        "date_to": params.date_to,
    }


class OtherQuery(LocaleQuery):
    """``news/{id}/other/``."""

    limit = limit_field(DEFAULT_OTHER_LIMIT, MAX_OTHER_LIMIT)


class PreviewQuery(LocaleQuery):
    """``preview/``: the signed token (checked by news.previews) and ``locale``."""

    token = TextField(
        required=True,
        allow_blank=False,
        default=empty,
        error_messages={"required": REQUIRED, "blank": REQUIRED},
        help_text="The signed token of the admin's headless preview link.",
    )


class ResolveQuery(QueryParameters):
    """``resolve/``: a site path; its language is the path's own prefix."""

    path = TextField(
        max_length=MAX_PATH_LENGTH,
        required=True,
        allow_blank=False,
        default=empty,
        error_messages={"required": REQUIRED, "blank": REQUIRED},
        help_text=f"A site path such as /ru/news/slug/ (at most {MAX_PATH_LENGTH} characters).",
    )
