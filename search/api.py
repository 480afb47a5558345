"""Search endpoints of the API v1: ``search/`` and ``search/suggest/``.

They follow the news API's conventions and reuse its parts: parameter parsing
(``news.api.params``: every bad parameter named in one problem+json 400),
one-query pagination (``news.api.pagination``) and the list item shape
(``news.api.serializers.ItemBuilder.summary``), to which a search item adds
``snippet``: an HTML excerpt (text escaped) with the matched words in ``<mark>``.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from news.api.pagination import page_links, paginate
from news.api.params import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    ListParams,
    Params,
)
from news.api.serializers import ItemBuilder, NewsSummarySerializer
from news.api.views import ACCEPT_LANGUAGE, COMMON_ERRORS, LOCALE_PARAMETER, ApiView, problems
from search.query import MAX_SUGGESTIONS, decorate_results, search_news, suggest_titles

DEFAULT_SUGGESTIONS = 8


def empty_query_hint():
    return _("Type one or more words to search for.")


class SuggestParams(Params):
    """``search/suggest/``: locale, q, limit."""

    def __init__(self, request):
        super().__init__(request)
        self.q = self.text("q", MAX_QUERY_LENGTH)
        self.limit = self.integer("limit", DEFAULT_SUGGESTIONS, 1, MAX_SUGGESTIONS)
        self.raise_if_invalid()


# --- schema-only serializers ---------------------------------------------------


class SearchItemSerializer(NewsSummarySerializer):
    snippet = serializers.CharField(help_text="HTML: escaped text, matched words in <mark>.")


class SearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    query = serializers.CharField(allow_blank=True)
    hint = serializers.CharField(
        allow_null=True, help_text="Set (and results empty) when q is empty."
    )
    results = SearchItemSerializer(many=True)


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    locale = serializers.CharField()
    is_fallback = serializers.BooleanField()


class SuggestPageSerializer(serializers.Serializer):
    query = serializers.CharField(allow_blank=True)
    results = SuggestionSerializer(many=True)


class SearchView(ApiView):
    @extend_schema(
        operation_id="search",
        summary="Search news in a language, best match first",
        description=(
            "Live, public stories matching every word of `q` (word endings do not matter: "
            "Kazakh suffixes are stripped, Russian and English words stemmed), one entry "
            "per story, stories not translated into the language included in their fallback "
            "language (`is_fallback`). Items have the news list shape plus `snippet`. An "
            "empty `q` gives an empty result with a `hint`."
        ),
        parameters=[
            LOCALE_PARAMETER,
            ACCEPT_LANGUAGE,
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description=f"Search words (at most {MAX_QUERY_LENGTH} characters).",
            ),
            OpenApiParameter("page", OpenApiTypes.INT, description="1-based page number."),
            OpenApiParameter(
                "page_size",
                OpenApiTypes.INT,
                description=f"Items per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
            ),
            OpenApiParameter("topic", OpenApiTypes.STR, description="Topic slug (any language)."),
            OpenApiParameter("date_from", OpenApiTypes.DATE, description="YYYY-MM-DD."),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="YYYY-MM-DD."),
            OpenApiParameter(
                "fallback", OpenApiTypes.BOOL, description="Include fallback items (default true)."
            ),
        ],
        responses={
            200: SearchPageSerializer,
            **problems(
                s400="Invalid parameter: q too long, unknown locale or topic, bad page or "
                "page_size, malformed date, date_from after date_to."
            ),
            **COMMON_ERRORS,
        },
    )
    def get(self, request):
        params = ListParams(request)
        language = params.language
        if not params.q:
            with translation.override(language):
                hint = empty_query_hint()
            data = {"count": 0, "next": None, "previous": None, "query": "", "hint": hint}
            return self.respond({**data, "results": []}, params)
        results = search_news(
            params.q,
            language,
            topic=params.topic,
            date_from=params.date_from,
            date_to=params.date_to,
            fallback=params.fallback,
        )
        rows, count = paginate(results, params.page, params.page_size)
        builder = ItemBuilder(request, language)
        items = []
        with translation.override(language):
            # URLs built without a per-request Site query, as in the news API.
            for page in decorate_results(rows, params.q, language, None):
                item = builder.summary(page)
                item["snippet"] = str(page.search_snippet)
                items.append(item)
        next_url, previous_url = page_links(request, params.page, params.page_size, count)
        data = {"count": count, "next": next_url, "previous": previous_url}
        return self.respond({**data, "query": params.q, "hint": None, "results": items}, params)


class SuggestView(ApiView):
    @extend_schema(
        operation_id="search_suggest",
        summary="Title suggestions for a search box",
        description=(
            "Stories for the language (fallback included) with a title word starting with "
            "`q`; titles that start with `q` first, then newest."
        ),
        parameters=[
            LOCALE_PARAMETER,
            ACCEPT_LANGUAGE,
            OpenApiParameter(
                "q", OpenApiTypes.STR, description=f"At most {MAX_QUERY_LENGTH} characters."
            ),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                description=f"1 to {MAX_SUGGESTIONS} (default {DEFAULT_SUGGESTIONS}).",
            ),
        ],
        responses={
            200: SuggestPageSerializer,
            **problems(s400="Invalid parameter: q too long, unknown locale, bad limit."),
            **COMMON_ERRORS,
        },
    )
    def get(self, request):
        params = SuggestParams(request)
        suggestions = suggest_titles(params.q, params.language, params.limit) if params.q else []
        return self.respond({"query": params.q, "results": suggestions}, params)
