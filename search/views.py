"""The reader's search page, /<lang>/search/?q=, in every language."""

import datetime

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from news import queries
from news.conf import conf
from search.query import MAX_QUERY_LENGTH, QueryTooLong, decorate_results, search_news


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _clean(value):
    return (value or "").replace("\x00", "").strip()


def search(request):
    """Search results (locale items plus marked fallback items), paginated.

    An empty query shows a hint, an overlong one a message; bad filters are
    ignored rather than failing: the page never answers with an error.
    """
    language = queries.request_language(request)
    raw_query = _clean(request.GET.get("q"))
    context = {
        "search_query": raw_query[:MAX_QUERY_LENGTH],
        "search_url": reverse("search"),
        "results": [],
        "page_obj": None,
        "paginator": None,
        "search_hint": None,
        "search_error": None,
        "max_query_length": MAX_QUERY_LENGTH,
    }
    topic = queries.topic_from_slug(_clean(request.GET.get("topic"))[:100], language)
    date_from = _date(_clean(request.GET.get("date_from"))[:10])
    date_to = _date(_clean(request.GET.get("date_to"))[:10])
    if not raw_query:
        context["search_hint"] = _(
            "Type one or more words: a name, a place, a topic. Word endings do not matter."
        )
        return TemplateResponse(request, "search/search.html", context)
    try:
        results = search_news(
            raw_query, language, topic=topic, date_from=date_from, date_to=date_to
        )
    except QueryTooLong:
        context["search_error"] = _(
            "Your search is too long. Please use at most %(max)s characters."
        ) % {"max": MAX_QUERY_LENGTH}
        return TemplateResponse(request, "search/search.html", context)
    paginator = Paginator(results, conf.PAGE_SIZE)
    page_obj = paginator.get_page(_clean(request.GET.get("page"))[:12])
    context.update(
        {
            "results": decorate_results(page_obj.object_list, raw_query, language, request),
            "page_obj": page_obj,
            "paginator": paginator,
            "topic": topic,
        }
    )
    return TemplateResponse(request, "search/search.html", context)
