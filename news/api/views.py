"""Views of the headless API v1.

Each view parses its parameters (news.api.params), asks news.queries for the
pages (the one home of fallback and visibility rules), decorates them and renders
them with the shapes of news.api.serializers (the same classes the schema is
generated from). A view says the language(s) of its content (``Content-Language``)
and, where it knows, when that content last changed (``Last-Modified``); ETag,
Cache-Control, 304s and the response cache belong to news.caching.middleware.
"""

import hashlib
from types import SimpleNamespace

from django.db.models import Q
from django.http import Http404
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from news import cache_keys, i18n, presentation, previews, queries, routing
from news.api import items
from news.api import serializers as s
from news.api.errors import PROBLEM_CONTENT_TYPE, ParameterError
from news.api.pagination import paginate
from news.api.params import (
    ACCEPT_LANGUAGE,
    AuthorQuery,
    ListQuery,
    LocaleQuery,
    OtherQuery,
    PagedQuery,
    PreviewQuery,
    ResolveQuery,
    listing_filters,
)
from news.api.renderers import SafeJSONRenderer
from news.api.throttling import AnonymousRateThrottle
from news.models import NewsIndex, NewsPage


def _problem(description):
    return OpenApiResponse(s.ProblemSerializer, description=description)


def problems(**descriptions):
    """Documented problem+json answers: ``problems(s404="…")`` -> {(404, media type): …}."""
    return {
        (int(key[1:]), PROBLEM_CONTENT_TYPE): _problem(text) for key, text in descriptions.items()
    }


COMMON_ERRORS = problems(
    s405="Method not allowed (the API is read-only).",
    s406="Not acceptable: the API answers JSON only.",
    s429="Too many requests; the Retry-After header says when to retry.",
)

ID_PARAMETER = OpenApiParameter(
    "id",
    OpenApiTypes.INT,
    location=OpenApiParameter.PATH,
    description="Id of any version (translation) of the story.",
)


class ApiView(APIView):
    """Read-only, anonymous, throttled, JSON only."""

    renderer_classes = [SafeJSONRenderer]
    throttle_classes = [AnonymousRateThrottle]
    authentication_classes = []
    permission_classes = []
    http_method_names = ["get", "head", "options"]

    def respond(self, data, params, modified=None, **kwargs):
        """The answer, saying the language(s) its content is in and, given ``modified``,
        when that content last changed (else news.caching.middleware says when the answer
        was built)."""
        response = Response(data, **kwargs)
        response["Content-Language"] = ", ".join(content_languages(data, params.language))
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
        if params.language_from_header:
            patch_vary_headers(response, ["Accept-Language"])
        return response

    def throttled(self, request, wait):
        raise Throttled(wait=wait, detail=_("Request limit reached."))


def content_languages(data, requested):
    """The languages of an answer's content, in order: the item's own ``locale`` (a
    fallback story is in its own language, not the requested one), or its results'; the
    requested language when it shows none (an empty page)."""
    item = data.get("item", data)
    items = [item, *item.get("results", ())] if isinstance(item.get("results"), list) else [item]
    codes = [entry["locale"] for entry in items if isinstance(entry, dict) and entry.get("locale")]
    return list(dict.fromkeys(codes)) or [requested]


def last_changed(versions):
    """When a story last changed: the latest publish among its versions (a translation
    published changes the others' ``translations`` and ``available_locales``)."""
    times = [page.last_published_at for page in versions.values() if page.last_published_at]
    return max(times, default=None)


def decorated(pages, language):
    """Pages decorated by the shared rules (URLs built without a per-request Site query)."""
    return presentation.decorate(pages, language, None)


class LocalesView(ApiView):
    @extend_schema(
        operation_id="locales",
        summary="Languages of the site",
        description="Every configured language with its own name, default flag and fallback chain.",
        responses={200: s.LocaleListSerializer, **COMMON_ERRORS},
    )
    def get(self, request):
        return Response(s.LocaleListSerializer().to_representation(i18n.language_codes()))


def search_queryset(params, language):
    """The seam for ``q``: the search app's ``search_news`` (best match first) when present,
    else the plain listing narrowed by a bounded ``icontains`` on title and lead."""
    filters = listing_filters(params)
    cache_keys.add(cache_keys.ANY)  # any story's text may change what matches
    search_news = queries.search_function()
    if search_news is not None:
        return search_news(params.q, language, **filters)
    return queries.news_for_locale(language, **filters).filter(
        Q(title__icontains=params.q) | Q(lead__icontains=params.q)
    )


class NewsListView(ApiView):
    @extend_schema(
        operation_id="news_list",
        summary="News for a language, newest first",
        description=(
            "Live, public stories, one entry per story. Stories not translated into the "
            "requested language appear in their fallback language (`is_fallback: true`, "
            "with `fallback_notice`) unless `fallback=false`."
        ),
        parameters=[ListQuery, ACCEPT_LANGUAGE],
        responses={
            200: s.NewsListSerializer,
            **problems(
                s400="Invalid parameter: unknown locale or topic, bad page or page_size, "
                "malformed date, date_from after date_to, q too long."
            ),
            **COMMON_ERRORS,
        },
    )
    def get(self, request):
        params = ListQuery.parse(request)
        language = params.language
        if params.q:
            queryset = search_queryset(params, language)
            rows, count = paginate(queryset, params.page, params.page_size, memoize_count=False)
            data = news_page_data(request, params, rows, count)
            return self.respond(data, params, modified=items.newest(map(items.changed_at, rows)))
        # The page's stories first (ids only), then their items, most of them kept
        # (news.api.items): a listing missed by the response cache builds only new items.
        filters = listing_filters(params)
        named = {**filters, "topic": getattr(filters["topic"], "translation_key", None)}
        key = f"api-list:{language}:" + ",".join(f"{k}={v}" for k, v in sorted(named.items()))
        # The page's ids are memoised with the count: the listing's query is built only
        # when they are not; the answer shows the listing all the same (its cache keys).
        cache_keys.add(*cache_keys.listing_keys(language, topic=filters["topic"]))
        ids, count = paginate(
            lambda: queries.news_for_locale(language, listing_data=False, **filters),
            params.page,
            params.page_size,
            key=key,
        )
        results = items.summaries(
            request,
            language,
            ids,
            lambda missing: queries.listed_stories(language, missing, filters["fallback"]),
        )
        data = envelope(request, params, results, count)
        # When the newest content of the page last changed (news.api.items), not now.
        return self.respond(data, params, modified=results.modified)


def envelope(request, params, results, count, shape=s.NewsListSerializer, **extra):
    """The one pagination envelope around ``results`` (rendered items) of ``params.page``;
    ``shape``: a ``paginated`` shape that adds fields (``extra``: their context)."""
    window = s.Window(results, count, params.page, params.page_size)
    return shape(context=s.context(request, params.language, **extra)).to_representation(window)


def news_page_data(request, params, rows, count):
    """``{count, next, previous, results}`` of one page of news summaries."""
    pages = decorated(rows, params.language)
    return envelope(request, params, summaries(request, params.language, pages), count)


def build_detail(request, page, language, versions=None, shape=s.NewsDetailSerializer, wrap=None):
    """The detail of one NewsPage (``wrap``: what ``shape`` renders it in, e.g. ``Resolved``);
    ``versions``: ``queries.story_versions`` when loaded."""
    s.load_images([page])
    if versions is None:
        versions = queries.translations_of(page)
    presentation.decorate([page], language, None, available={page.translation_key: set(versions)})
    presentation.display_notes([page], language)
    s.load_author_images(page.display_authors)
    with translation.override(language):
        serializer = shape(context=s.context(request, language, versions=versions))
        return serializer.to_representation(page if wrap is None else wrap(page))


def story_in_language(pk, language):
    """``(page, versions)``: the story of visible page ``pk`` for readers of ``language``.

    Every visible version comes in one query (the detail lists them as translations);
    the page served is the best along the language's fallback chain, as in listings.
    """
    versions = queries.story_versions_of_page(pk)
    page = queries.best_version(versions, language)
    if page is None:
        raise Http404
    return page, versions


DETAIL_ERRORS = {
    **problems(s400="Unknown locale."),
    **problems(s404="No live, public news item has this id."),
    **COMMON_ERRORS,
}


class NewsDetailView(ApiView):
    @extend_schema(
        operation_id="news_detail",
        summary="One news item",
        description=(
            "The story of item `id` in the requested language: its translation when live, "
            "else its best fallback (`is_fallback: true`). Drafts, unpublished and private "
            "items are 404."
        ),
        parameters=[ID_PARAMETER, LocaleQuery, ACCEPT_LANGUAGE],
        responses={200: s.NewsDetailSerializer, **DETAIL_ERRORS},
    )
    def get(self, request, pk):
        params = LocaleQuery.parse(request)
        page, versions = story_in_language(pk, params.language)
        data = build_detail(request, page, params.language, versions)
        return self.respond(data, params, modified=last_changed(versions))


class OtherNewsView(ApiView):
    @extend_schema(
        operation_id="news_other",
        summary="Other news for an item",
        description=(
            "The editor's curated related stories first, then stories sharing a topic with "
            "the item (newest first), then the newest others; never the "
            "item or any of its translations; untranslated stories in their fallback language."
        ),
        parameters=[ID_PARAMETER, OtherQuery, ACCEPT_LANGUAGE],
        responses={
            200: s.OtherNewsSerializer,
            **problems(s400="Unknown locale or bad limit."),
            **problems(s404="No live, public news item has this id."),
            **COMMON_ERRORS,
        },
    )
    def get(self, request, pk):
        params = OtherQuery.parse(request)
        language = params.language
        page = queries.visible_story(pk)
        if page is None:
            raise Http404
        # The answer is the story's: it leaves the story out and starts with its curated ones.
        cache_keys.add(cache_keys.story(page.translation_key))
        marker, head_changed = self.shared_others(request, page, language, params.limit)
        if marker is not None:
            # Last-Modified: the newest of the curated items rendered here and (added by
            # news.caching.middleware) of the shared fragment's items.
            modified = items.newest([head_changed or 0])
            return self.respond({"results": marker}, params, modified=modified)
        shown = presentation.other_news(page, language, limit=params.limit, request=None)
        results = summaries(request, language, shown)
        modified = items.newest(map(items.changed_at, shown))
        data = s.OtherNewsSerializer().to_representation(results)
        return self.respond(data, params, modified=modified)

    @staticmethod
    def shared_others(request, page, language, limit):
        """``(marker, changed)``: the answer's items from one shared fragment of serialized
        items per language and limit (``presentation.shared_other_news``), or None: inline;
        ``changed``: when the newest item rendered here (the curated ones) last changed."""
        changed = []

        def render(pages):
            changed.extend(filter(None, map(items.changed_at, pages)))
            shown = decorated(pages, language)
            pairs = [
                (item.translation_key.hex, _json(result))
                for item, result in zip(shown, summaries(request, language, shown), strict=True)
            ]
            return b"[", pairs, b"]", b"[]", b","

        marker = presentation.shared_other_news(
            page, language, "other-news-json", render, limit=limit, quoted=True
        )
        return marker, max(changed, default=None)


def summaries(request, language, items):
    """The API's list item of each decorated page (their authors' photos in one query)."""
    s.load_author_images([author for item in items for author in item.display_authors])
    render = s.NewsSummarySerializer(context=s.context(request, language)).to_representation
    with translation.override(language):
        return [render(item) for item in items]


def _json(data):
    return SafeJSONRenderer().render(data)


class ResolveView(ApiView):
    @extend_schema(
        operation_id="resolve",
        summary="What a site path shows",
        description=(
            "For a frontend router: the news item, news index or home page that the HTML "
            "site shows an anonymous reader at this path (e.g. `/ru/новости/slug/`), "
            "routed by the site's own rules (`news.routing.resolve`), or 404. The "
            "language is the path's prefix. A story untranslated into that language is "
            "answered in its fallback language (`is_fallback: true`), as the site serves "
            "it. Where the path leads to a page in another language whose live "
            "translation exists in the path's language, the site redirects the reader to "
            "that translation, and resolve answers the translation: `item.url` is then "
            "the translation's URL, not `path`, and a client router should replace its "
            "address with it. Drafts and pages under a view restriction are 404."
        ),
        parameters=[
            OpenApiParameter(
                "path",
                OpenApiTypes.STR,
                required=True,
                description=(
                    "A site path such as /ru/новости/slug/, as written (Unicode) or "
                    "percent-encoded (as `location.pathname` gives it; unquoted once), or "
                    "a full URL (its host chooses the site; query and fragment are "
                    f"ignored). At most {routing.MAX_PATH_LENGTH} characters and "
                    f"{routing.MAX_PATH_COMPONENTS} segments."
                ),
            )
        ],
        responses={
            200: s.RESOLVE_SCHEMA,
            **problems(
                s400=(
                    "Missing, overlong or malformed path (control characters, bad "
                    "percent-encoding), or too many segments."
                )
            ),
            **problems(s404="The path shows no live, public page."),
            **COMMON_ERRORS,
        },
    )
    def get(self, request):
        params = ResolveQuery.parse(request)
        try:
            found = routing.resolve(params.path, request)
        except routing.BadPath as error:
            raise ParameterError([("path", error.message)]) from error
        if found is None:
            raise Http404
        language, page = found.language, found.page.specific
        by_path = SimpleNamespace(language=language, language_from_header=False)
        if isinstance(page, NewsPage):
            # Its versions, loaded for reading, are the detail's translations.
            versions = getattr(page, "story_versions", None)  # loaded by routing, or now
            if versions is None:
                versions = queries.story_versions(page.translation_key)
                page = versions.get(page.locale.language_code, page)
            data = build_detail(
                request,
                page,
                language,
                versions,
                shape=s.ResolveNewsSerializer,
                wrap=lambda page: s.Resolved("news", language, page),
            )
            return self.respond(data, by_path, modified=last_changed(versions))
        kind = "index" if isinstance(page, NewsIndex) else "home"
        versions = queries.translations_of(page)
        shape = s.ResolvePageSerializer(context=s.context(request, language, versions=versions))
        with translation.override(language):
            data = shape.to_representation(s.Resolved(kind, language, page))
        return self.respond(data, by_path, modified=last_changed(versions))


class AuthorListView(ApiView):
    @extend_schema(
        operation_id="authors_list",
        summary="Authors, by name",
        description=(
            "Every author, once, in the requested language where translated, else in "
            "the best language of its fallback chain (`is_fallback: true`)."
        ),
        parameters=[AuthorQuery, ACCEPT_LANGUAGE],
        responses={
            200: s.AuthorListSerializer,
            **problems(s400="Unknown locale, bad page or page_size."),
            **COMMON_ERRORS,
        },
    )
    def get(self, request):
        params = AuthorQuery.parse(request)
        language = params.language
        rows, count = paginate(queries.authors_for_locale(language), params.page, params.page_size)
        rows = s.load_author_images(presentation.mark_authors(rows, language))
        render = s.AuthorSerializer(context=s.context(request, language)).to_representation
        with translation.override(language):
            results = [render(author) for author in rows]
        return self.respond(
            envelope(request, params, results, count, s.AuthorListSerializer), params
        )


class AuthorDetailView(ApiView):
    @extend_schema(
        operation_id="author_detail",
        summary="One author, with their stories",
        description=(
            "The author of id `id` (any of its translations) in the requested language, "
            "with one page of their live, public stories (`news`), newest first, under the "
            "news list's fallback rules."
        ),
        parameters=[
            OpenApiParameter(
                "id",
                OpenApiTypes.INT,
                location=OpenApiParameter.PATH,
                description="Id of any version (translation) of the author.",
            ),
            AuthorQuery,
            ACCEPT_LANGUAGE,
        ],
        responses={
            200: s.AuthorDetailSerializer,
            **problems(s400="Unknown locale, bad page or page_size."),
            **problems(s404="No author has this id."),
            **COMMON_ERRORS,
        },
    )
    def get(self, request, pk):
        params = AuthorQuery.parse(request)
        language = params.language
        author = queries.author_in_language(pk, language)
        if author is None:
            raise Http404
        presentation.mark_authors([author], language)
        s.load_author_images([author])
        rows, count = paginate(
            presentation.listing(language, author=author), params.page, params.page_size
        )
        news = news_page_data(request, params, rows, count)
        shape = s.AuthorDetailSerializer(context=s.context(request, language, news=news))
        with translation.override(language):
            return self.respond(shape.to_representation(author), params)


class TopicListView(ApiView):
    @extend_schema(
        operation_id="topics_list",
        summary="Topics, with their story counts",
        description=(
            "Every topic once, in the requested language where translated, else in the best "
            "language of its fallback chain (`is_fallback: true`), by name; `count` is the "
            "number of stories the news list shows for it in that language."
        ),
        parameters=[LocaleQuery, ACCEPT_LANGUAGE],
        responses={
            200: s.TopicListSerializer,
            **problems(s400="Unknown locale."),
            **COMMON_ERRORS,
        },
    )
    def get(self, request):
        params = LocaleQuery.parse(request)
        language = params.language
        topics = queries.topics_for_locale(language)
        # Counts follow the language's listing; names follow each topic.
        cache_keys.add(*cache_keys.listing_keys(language))
        cache_keys.add(*(cache_keys.topic(topic.translation_key) for topic in topics))
        counts = queries.topic_counts(language)
        shape = s.TopicListSerializer(context=s.context(request, language, counts=counts))
        # The counts change with the language's listing: its newest publish.
        modified = presentation.listing_changed_at(language)
        return self.respond(shape.to_representation(topics), params, modified=modified)


class CorrectionListView(ApiView):
    @extend_schema(
        operation_id="corrections_list",
        summary="Corrections, newest first",
        description=(
            "The corrections page's content: every correction of the stories the news list "
            "shows in the requested language (same fallback rules), newest first, each with "
            "its story. Notes whose text is not translated yet say so (`is_translated`)."
        ),
        parameters=[PagedQuery, ACCEPT_LANGUAGE],
        responses={
            200: s.CorrectionListSerializer,
            **problems(s400="Unknown locale, bad page or page_size."),
            **COMMON_ERRORS,
        },
    )
    def get(self, request):
        params = PagedQuery.parse(request)
        language = params.language
        found = presentation.corrections(language)  # declares its cache keys
        rows, count = paginate(found, params.page, params.page_size)
        render = s.CorrectionSerializer(context=s.context(request, language)).to_representation
        with translation.override(language):
            results = [render(note) for note in rows]
        data = envelope(request, params, results, count, s.CorrectionListSerializer)
        latest = max((note["at"] for note in found if note["at"]), default=None)
        return self.respond(data, params, modified=latest)


class PreviewView(ApiView):
    @extend_schema(
        operation_id="preview",
        summary="The draft an editor is previewing",
        description=(
            'Headless preview: the Wagtail admin\'s preview mode "Frontend (headless API)" '
            "creates a signed token that expires after NEWSDESK_PREVIEW_MAX_AGE seconds. "
            "The answer has the news detail shape and is never cached."
        ),
        parameters=[PreviewQuery],
        responses={
            200: s.NewsDetailSerializer,
            **problems(s400="Missing, malformed or expired token, or unknown locale."),
            **problems(s404="The previewed page no longer exists."),
            **COMMON_ERRORS,
        },
    )
    def get(self, request):
        params = PreviewQuery.parse(request)
        try:
            page = previews.page_for_token(params.token)
        except previews.InvalidToken as exc:
            raise ParameterError(
                [("token", _("The preview token is invalid or has expired."))]
            ) from exc
        except LookupError as exc:
            raise Http404 from exc
        language = (
            params.language if "locale" in request.query_params else page.locale.language_code
        )
        item = build_detail(request, page, language)
        response = Response(item)
        response["Cache-Control"] = "private, no-store"
        response["Content-Language"] = item["locale"]
        # Never cached by anyone, but revalidated: a preview pane polling this token gets a
        # 304 until the draft changes (an autosave, news.previews.page_for_token).
        etag = f'W/"{hashlib.blake2b(_json(item), digest_size=12).hexdigest()}"'
        response["ETag"] = etag
        return get_conditional_response(request, etag=etag, response=response)
