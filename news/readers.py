"""Reader pages that are not Wagtail pages (an author's page, the corrections page), and
the entry to those that are (``serve``).

Authors are snippets, not pages, and the corrections page lists notes of many
stories, so both are plain Django views under the reader's language prefix
(``news.urls.reader_urlpatterns``). Their route words are translated
(``/kk/авторлар/…``, ``/ru/авторы/…``, ``/en/authors/…``); the language switcher
of these pages points at each language's own words (``translate_url``).
"""

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import translate_url
from wagtail import views as wagtail_views

from news import i18n, presentation, queries, routing
from news.kazakh_latin import edition


def _language_links(request, language):
    path = request.get_full_path()
    return edition.alternate_links(
        i18n.language_links(language, lambda code: (translate_url(path, code), True))
    )


def author_page(request, slug):
    """One author in the reader's language (or its fallback), with their stories."""
    language = queries.request_language(request)
    author = queries.author_from_slug(slug, language)
    if author is None:
        raise Http404("No such author.")
    context = presentation.author_page_context(author, language, request)
    context["language_links"] = _language_links(request, language)
    context["canonical_url"] = request.build_absolute_uri(request.path)
    context["seo_title"] = context["author"].name
    return TemplateResponse(request, "news/author_page.html", context)


def corrections_page(request):
    """Every correction of the stories readers of this language see, newest first."""
    language = queries.request_language(request)
    context = {
        "corrections": presentation.corrections(language, request),
        "language_links": _language_links(request, language),
        "canonical_url": request.build_absolute_uri(request.path),
    }
    return TemplateResponse(request, "news/corrections.html", context)


def serve(request, path):
    """Wagtail's ``serve`` view, routed from the site's root as memoised (``routing.site_root``).

    Wagtail routes from ``site.root_page.localized.specific``, found with one or two
    queries on every page served. Routing here, from the memoised root, and handing the
    result to Wagtail the way it keeps its own (``request._wagtail_route_for_request``,
    read by ``Page.route_for_request``), leaves the rest of its serve view as it is: the
    ``before_serve_page`` hooks (translation redirect, view restrictions) and ``page.serve``.
    """
    if not hasattr(request, "_wagtail_route_for_request"):
        site = routing.site_for(request)
        if site is not None:
            root = routing.site_root(site, i18n.active_language())
            try:
                request._wagtail_route_for_request = root.route(
                    request, [component for component in path.split("/") if component]
                )
            except Http404:
                request._wagtail_route_for_request = None
    return wagtail_views.serve(request, path)
