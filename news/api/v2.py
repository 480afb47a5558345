"""Wagtail's own API v2, pages only, kept at /api/v2/ for tools that expect it.

Only the pages endpoint is public: Wagtail's images and documents endpoints list every
image and document, including those used only by drafts, private or scheduled pages,
with their file URLs (Hardening v2 #3). The JSON renderer is API v1's (the same
``<``/``>``/``&`` escaping), and bad input answers 400 in problem+json like API v1:
Wagtail checks parameter names but not values, so an offset past the database's
integers, a NUL or a very long search, an unknown search operator or an impossible
date in a field filter used to raise a 500 (Hardening v2 #5). It is rate limited like
API v1, on the same per-client counters (issue 27).
"""

import re

from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.views import APIView
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from news import untranslated
from news.api.errors import ParameterError
from news.api.renderers import SafeJSONRenderer
from news.api.throttling import ThrottledMixin

RENDERERS = [SafeJSONRenderer, BrowsableAPIRenderer]
MAX_OFFSET = 1_000_000
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 20
SEARCH_OPERATORS = ("and", "or")
SEARCH_TEXT = re.compile(r"[\w \-']*")


def _check_parameters(params):
    errors = []
    for name in ("offset", "limit"):
        value = params.get(name)
        if value is None:
            continue
        if not value.isascii() or not value.isdigit() or int(value) > MAX_OFFSET:
            errors.append(
                (name, _("Must be a whole number from 0 to %(max)d.") % {"max": MAX_OFFSET})
            )
    search = params.get("search")
    if search is not None:
        if not SEARCH_TEXT.fullmatch(search):
            # Wagtail's SQLite (FTS5) backend turns punctuation into a 500.
            errors.append(("search", _("Only letters, digits, spaces, hyphens and apostrophes.")))
        elif len(search) > MAX_SEARCH_LENGTH or len(search.split()) > MAX_SEARCH_WORDS:
            errors.append(
                (
                    "search",
                    _("Must be at most %(length)d characters and %(words)d words.")
                    % {"length": MAX_SEARCH_LENGTH, "words": MAX_SEARCH_WORDS},
                )
            )
    operator = params.get("search_operator")
    if operator is not None and operator not in SEARCH_OPERATORS:
        errors.append(("search_operator", _("Must be “and” or “or”.")))
    if errors:
        raise ParameterError(errors)


class PagesViewSet(ThrottledMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint, rate limited like API v1 (``NEWSDESK_API_RATE``)."""

    renderer_classes = RENDERERS

    def listing_view(self, request):
        _check_parameters(request.GET)
        try:
            return super().listing_view(request)
        except (ValueError, OverflowError, ValidationError, DataError) as exc:
            # A field filter's value the field cannot hold (date=99999-99-99, …).
            raise exceptions.ParseError(_("A filter value is not valid for its field.")) from exc

    def find_view(self, request):
        # /pages/find/?html_path=: PostgreSQL rejects a NUL in a query (a 500 otherwise).
        path = request.GET.get("html_path", "")
        if any(ord(char) < 32 for char in path):
            raise ParameterError([("html_path", _("Not a URL path of the site."))])
        try:
            return super().find_view(request)
        except (ValueError, OverflowError, ValidationError, DataError) as exc:
            raise exceptions.ParseError(_("Not a URL path of the site.")) from exc

    def get_serializer_context(self):
        # A page's detail: body blocks say which of their fields are untranslated
        # (``field_locales``, news.blocks), as in API v1. Listings share one context: not there.
        context = super().get_serializer_context()
        if getattr(self, "action", None) == "detail_view":
            context["segment_languages"] = untranslated.field_languages(self.get_object())
        return context

    def handle_exception(self, exc):
        # Wagtail answers its own errors as {"message"}; ours are problem+json.
        if isinstance(exc, BadRequestError):
            exc = exceptions.ParseError(str(exc))
        elif isinstance(exc, Http404):
            exc = exceptions.NotFound(str(exc) or None)
        return APIView.handle_exception(self, exc)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesViewSet)
