"""Reader pages that are not Wagtail pages: an author's page and the corrections page.

Authors are snippets, not pages, and the corrections page lists notes of many
stories, so both are plain Django views under the reader's language prefix
(``news.urls.reader_urlpatterns``). Their route words are translated
(``/kk/авторлар/…``, ``/ru/авторы/…``, ``/en/authors/…``); the language switcher
of these pages points at each language's own words (``translate_url``).
"""

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import translate_url

from news import i18n, presentation, queries


def _language_links(request, language):
    path = request.get_full_path()
    return [
        {
            "code": code,
            "name": i18n.local_name(code),
            "url": translate_url(path, code),
            "is_current": code == language,
            "is_translation": True,
        }
        for code in i18n.language_codes()
    ]


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
