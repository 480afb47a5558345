"""Search endpoints of the API v1: ``search/`` and ``search/suggest/``.

They follow the news API's conventions and reuse its parts: parameter parsing
(``news.api.params``: every bad parameter named in one problem+json 400),
one-query pagination (``news.api.pagination``) and the list item shape
(``news.api.serializers.ItemBuilder.summary``), to which a search item adds
``snippet``: an HTML excerpt (text escaped) with the matched words in ``<mark>``.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from news.api.pagination import page_links, paginate
from news.api.params import MAX_QUERY_LENGTH, ListParams, Params
from news.api.serializers import ItemBuilder, NewsSummarySerializer
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
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    query = serializers.CharField()
    hint = serializers.CharField(allow_null=True)
    results = SearchItemSerializer(many=True)


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    locale = serializers.CharField()
    is_fallback = serializers.BooleanField()


class SuggestPageSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = SuggestionSerializer(many=True)


_COMMON_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words to find (at most 200 characters)."),
    OpenApiParameter("locale", OpenApiTypes.STR, description="kk, ru or en."),
]


class SearchView(APIView):
    """News matching ``q`` in ``locale`` (fallback items included and marked), best first."""

    @extend_schema(
        operation_id="search",
        parameters=[
            *_COMMON_PARAMETERS,
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="1 to 100, default 20."),
            OpenApiParameter("topic", OpenApiTypes.STR, description="Topic slug."),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter("fallback", OpenApiTypes.BOOL),
        ],
        responses={200: SearchPageSerializer},
    )
    def get(self, request):
        params = ListParams(request)
        if not params.q:
            return Response(
                {
                    "count": 0,
                    "next": None,
                    "previous": None,
                    "query": "",
                    "hint": empty_query_hint(),
                    "results": [],
                }
            )
        results = search_news(
            params.q,
            params.language,
            topic=params.topic,
            date_from=params.date_from,
            date_to=params.date_to,
            fallback=params.fallback,
        )
        rows, count = paginate(results, params.page, params.page_size)
        pages = decorate_results(rows, params.q, params.language, request)
        builder = ItemBuilder(request, params.language)
        items = []
        for page in pages:
            item = builder.summary(page)
            item["snippet"] = str(page.search_snippet)
            items.append(item)
        next_url, previous_url = page_links(request, params.page, params.page_size, count)
        response = Response(
            {
                "count": count,
                "next": next_url,
                "previous": previous_url,
                "query": params.q,
                "hint": None,
                "results": items,
            }
        )
        if params.language_from_header:
            response["Vary"] = "Accept-Language"
        return response


class SuggestView(APIView):
    """Title suggestions (word prefixes) for a search box."""

    @extend_schema(
        operation_id="search_suggest",
        parameters=[
            *_COMMON_PARAMETERS,
            OpenApiParameter("limit", OpenApiTypes.INT, description="1 to 20, default 8."),
        ],
        responses={200: SuggestPageSerializer},
    )
    def get(self, request):
        params = SuggestParams(request)
        suggestions = (
            suggest_titles(params.q, params.language, params.limit, request) if params.q else []
        )
        response = Response({"query": params.q, "results": suggestions})
        if params.language_from_header:
            response["Vary"] = "Accept-Language"
        return response
