"""Views of the headless API v1.

Each view parses its parameters (news.api.params), asks news.queries for the
pages (the one home of fallback and visibility rules), decorates them and
builds plain dicts (news.api.serializers). ETag, Last-Modified, Cache-Control
and the response cache belong to news.caching.middleware.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Page, Site

from news import i18n, presentation, previews, queries
from news.api import serializers as s
from news.api.errors import PROBLEM_CONTENT_TYPE, ParameterError
from news.api.pagination import page_links, paginate
from news.api.params import (
    ACCEPT_LANGUAGE,
    MAX_PATH_LENGTH,
    ListQuery,
    LocaleQuery,
    OtherQuery,
    PreviewQuery,
    ResolveQuery,
)
from news.api.renderers import SafeJSONRenderer
from news.api.throttling import AnonymousRateThrottle
from news.models import FallbackRoutingMixin, NewsIndex, NewsPage, NewsPageTopic


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

    def respond(self, data, params, **kwargs):
        response = Response(data, **kwargs)
        response["Content-Language"] = params.language
        if params.language_from_header:
            patch_vary_headers(response, ["Accept-Language"])
        return response

    def throttled(self, request, wait):
        raise Throttled(wait=wait, detail=_("Request limit reached."))


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
        return Response(
            {
                "results": [
                    {
                        "code": code,
                        "name": i18n.local_name(code),
                        "is_default": code == settings.LANGUAGE_CODE,
                        "fallback_chain": i18n.fallback_chain(code)[1:],
                    }
                    for code in i18n.language_codes()
                ]
            }
        )


def search_queryset(params, language):
    """The seam for ``q``: the search app's ``search_news`` (best match first) when present,
    else the plain listing narrowed by a bounded ``icontains`` on title and lead."""
    filters = {
        "topic": params.topic,
        "fallback": params.fallback,
        "date_from": params.date_from,
        "date_to": params.date_to,
    }
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
        else:
            queryset = queries.news_for_locale(
                language,
                topic=params.topic,
                fallback=params.fallback,
                date_from=params.date_from,
                date_to=params.date_to,
            )
        rows, count = paginate(queryset, params.page, params.page_size)
        builder = s.ItemBuilder(request, language)
        with translation.override(language):
            results = [builder.summary(page) for page in decorated(rows, language)]
        next_url, previous_url = page_links(request, params.page, params.page_size, count)
        return self.respond(
            {"count": count, "next": next_url, "previous": previous_url, "results": results},
            params,
        )


def _detail_queryset(language, **filters):
    """Visible news with what a detail shows; images are loaded separately with the body's."""
    return (
        queries.news_for_locale(language, fallback=True)
        .filter(**filters)
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "topic_links",
                queryset=NewsPageTopic.objects.select_related("topic").order_by("sort_order"),
            )
        )
    )


def build_detail(request, page, language):
    """The detail dict of one NewsPage (already loaded with topic links)."""
    s.load_images([page])
    versions = queries.translations_of(page)
    presentation.decorate([page], language, None, available={page.translation_key: set(versions)})
    with translation.override(language):
        return s.ItemBuilder(request, language).detail(page, versions)


def story_in_language(pk, language):
    """The best visible version, for ``language``, of the story of visible page ``pk``."""
    key = queries.visible_pages(NewsPage).filter(pk=pk).values("translation_key")[:1]
    page = _detail_queryset(language, translation_key=Subquery(key)).first()
    if page is None:
        raise Http404
    return page


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
        page = story_in_language(pk, params.language)
        return self.respond(build_detail(request, page, params.language), params)


class OtherNewsView(ApiView):
    @extend_schema(
        operation_id="news_other",
        summary="Other news for an item",
        description=(
            "The editor's curated related stories first, then the newest others; never the "
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
        page = queries.visible_pages(NewsPage).filter(pk=pk).first()
        if page is None:
            raise Http404
        items = presentation.other_news(page, language, limit=params.limit, request=None)
        builder = s.ItemBuilder(request, language)
        with translation.override(language):
            results = [builder.summary(item) for item in items]
        return self.respond({"results": results}, params)


class ResolveView(ApiView):
    @extend_schema(
        operation_id="resolve",
        summary="What a site path shows",
        description=(
            "For a frontend router: the news item, news index or home page that this path "
            "of the HTML site shows (e.g. `/ru/novosti/slug/`), with the same fallback as "
            "the site (an untranslated story under `/ru/` is served in its fallback "
            "language), or 404. The language is the path's prefix."
        ),
        parameters=[
            OpenApiParameter(
                "path",
                OpenApiTypes.STR,
                required=True,
                description=(
                    f"A site path such as /ru/news/slug/ (at most {MAX_PATH_LENGTH} characters)."
                ),
            )
        ],
        responses={
            200: s.ResolveSerializer,
            **problems(s400="Missing or overlong path."),
            **problems(s404="The path shows no live, public page."),
            **COMMON_ERRORS,
        },
    )
    def get(self, request):
        params = ResolveQuery.parse(request)
        path = params.path.split("?", 1)[0].split("#", 1)[0]
        if "://" in path:
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        components = [part for part in path.split("/") if part]
        language = i18n.normalize_language(components[0]) if components else None
        if not components or language != components[0]:
            raise Http404
        with translation.override(language):
            page = route(request, components[1:], language)
        if page is None:
            raise Http404
        model = ContentType.objects.get_for_id(page.content_type_id).model_class()
        if model is not None and issubclass(model, NewsPage):
            page = _detail_queryset(language, pk=page.pk).first() or _served(page.pk)
            kind, item = "news", build_detail(request, page, language)
        else:
            page = page.specific
            kind = "index" if isinstance(page, NewsIndex) else "home"
            versions = queries.translations_of(page)
            with translation.override(language):
                item = s.ItemBuilder(request, language).page(page, versions)
        return Response({"type": kind, "requested_locale": language, "item": item})


def _served(pk):
    """The page the router served even when it is not the story's best version."""
    page = (
        NewsPage.objects.filter(pk=pk)
        .select_related("locale")
        .prefetch_related(
            Prefetch(
                "topic_links",
                queryset=NewsPageTopic.objects.select_related("topic").order_by("sort_order"),
            )
        )
        .first()
    )
    if page is None:
        raise Http404
    return page


def route(request, components, language):
    """The page the site serves at ``/<language>/<components>/``, or None, in three queries.

    The same walk as Wagtail's ``Page.route`` with ``news.routing.FallbackRoutingMixin``
    (the HTML site): from the site root's live translation in ``language``, each
    component is the child with that slug; where a fallback-routing page has no
    such child, the child with that slug under its translations, best language of
    the fallback chain first. The walk runs in Python over the few candidate rows
    (one per component and language) that one query fetches.
    """
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    roots = list(
        Page.objects.filter(
            translation_key=Subquery(
                Page.objects.filter(pk=site.root_page_id).values("translation_key")[:1]
            )
        ).select_related("locale")
    )
    root = next((p for p in roots if p.pk == site.root_page_id), None)
    if root is None:
        return None
    start = next((p for p in roots if p.locale.language_code == language and p.live), root)
    steplen = Page.steplen
    under_roots = Q()
    for page in roots:
        under_roots |= Q(path__startswith=page.path)
    levels = Q()
    for position, slug in enumerate(components, start=1):
        levels |= Q(depth=start.depth + position, slug=slug)
    candidates = []
    if components:
        parent = Page.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - steplen)
        ).values("translation_key")[:1]
        candidates = list(
            Page.objects.filter(under_roots, levels)
            .annotate(
                parent_key=Subquery(parent),
                is_private=ExpressionWrapper(queries.private_q(), output_field=BooleanField()),
            )
            .select_related("locale")
            .defer_streamfields()
        )
    node = start
    node.is_private = False  # a site root under a restriction is checked below
    for position, slug in enumerate(components, start=1):
        level = [c for c in candidates if c.depth == start.depth + position and c.slug == slug]
        child = next((c for c in level if c.path[:-steplen] == node.path), None)
        if child is None and _routes_with_fallback(node):
            chain = [
                code for code in i18n.fallback_chain(language) if code != node.locale.language_code
            ]
            options = [
                c
                for c in level
                if c.live
                and c.parent_key == node.translation_key
                and c.locale.language_code in chain
            ]
            child = min(options, key=lambda c: chain.index(c.locale.language_code), default=None)
        if child is None:
            return None
        node = child
    if not node.live:
        return None
    if not components and not queries.visible_pages().filter(pk=node.pk).exists():
        return None
    if components and node.is_private:
        return None
    return node


def _routes_with_fallback(page):
    model = ContentType.objects.get_for_id(page.content_type_id).model_class()
    return model is not None and issubclass(model, FallbackRoutingMixin)


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
        return response
