"""Search endpoints of the API v1: ``search/`` and ``search/suggest/``.

They follow the news API's conventions and reuse its parts: the query parameters
(``news.api.params``: the serializers that validate and document them; every bad
parameter named in one problem+json 400),
one-query pagination (``news.api.pagination``) and the list item shape
(``news.api.serializers.NewsSummarySerializer``), to which a search item adds
``snippet``: an HTML excerpt (text escaped) with the matched words in ``<mark>``.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from news.api import serializers as s
from news.api.items import changed_at, newest
from news.api.pagination import paginate
from news.api.params import (
    ACCEPT_LANGUAGE,
    ListQuery,
    LocaleQuery,
    limit_field,
    listing_filters,
    search_words,
)
from news.api.views import COMMON_ERRORS, ApiView, envelope, problems
from search.query import MAX_SUGGESTIONS, decorate_results, search_news, suggest_titles

DEFAULT_SUGGESTIONS = 8


def empty_query_hint():
    return _("Type one or more words to search for.")


class SuggestQuery(LocaleQuery):
    """``search/suggest/``: locale, q, limit (the news API's fields)."""

    q = search_words()
    limit = limit_field(DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS)


# --- the answers' shapes (they render the JSON and document it) -----------------


class SearchPageSerializer(s.paginated(s.SearchItemSerializer, "SearchPageBase")):
    """The pagination envelope with the query and, for an empty one, a hint."""

    query = serializers.CharField(allow_blank=True)
    hint = serializers.CharField(
        allow_null=True, help_text="Set (and results empty) when q is empty."
    )

    def get_query(self, window):
        return self.context["query"]

    def get_hint(self, window):
        return self.context["hint"]


class SuggestionSerializer(s.Shape):
    renders_mappings = True

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    locale = s.locale_field()
    is_fallback = serializers.BooleanField()


class SuggestPageSerializer(s.Shape):
    renders_mappings = True

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
        parameters=[ListQuery, ACCEPT_LANGUAGE],
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
        params = ListQuery.parse(request)
        language = params.language
        if not params.q:
            with translation.override(language):
                hint = empty_query_hint()
            return self.respond(search_page(request, params, [], 0, hint), params)
        results = search_news(params.q, language, **listing_filters(params))
        rows, count = paginate(results, params.page, params.page_size, memoize_count=False)
        render = s.SearchItemSerializer(context=s.context(request, language)).to_representation
        with translation.override(language):
            # URLs built without a per-request Site query, as in the news API.
            items = [render(page) for page in decorate_results(rows, params.q, language, None)]
        data = search_page(request, params, items, count, None)
        # When the newest story shown last changed (news.api.items), not when it was built.
        modified = newest(map(changed_at, rows))
        return self.respond(data, params, modified=modified)


def search_page(request, params, items, count, hint):
    """The search answer: the pagination envelope with the query and the hint."""
    query = params.q or ""
    return envelope(request, params, items, count, SearchPageSerializer, query=query, hint=hint)


class SuggestView(ApiView):
    @extend_schema(
        operation_id="search_suggest",
        summary="Title suggestions for a search box",
        description=(
            "Stories for the language (fallback included) with a title word starting with "
            "`q`; titles that start with `q` first, then newest."
        ),
        parameters=[SuggestQuery, ACCEPT_LANGUAGE],
        responses={
            200: SuggestPageSerializer,
            **problems(s400="Invalid parameter: q too long, unknown locale, bad limit."),
            **COMMON_ERRORS,
        },
    )
    def get(self, request):
        params = SuggestQuery.parse(request)
        suggestions = suggest_titles(params.q, params.language, params.limit) if params.q else []
        data = {"query": params.q, "results": suggestions}
        return self.respond(SuggestPageSerializer().to_representation(data), params)
