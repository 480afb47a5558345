"""What templates and serializers show of a page: fallback, language links, topics.

``decorate`` marks listing items (real language, display URL, topics in the reader's
language); ``article_context`` and ``news_page_context`` build what a page served to
readers of one language shows. The HTML pages, API v1, feeds and search results
all call these, so every surface says the same thing about the same story.
"""

from django.conf import settings

from news import i18n, queries
from news.conf import conf
from news.models import NewsIndex, NewsPage
from news.queries import available_languages, localized_topics, other_news_pages, translations_of


def decorate(pages, language, request=None, available=None):
    """Attach what templates and serializers show to each page (in place).

    ``is_fallback``, ``content_language`` and its local name, the ``display_url``
    in the requested language, ``display_topics`` in the requested language where
    translated, and ``available_languages`` (codes of every live translation).
    Two queries, whatever the number of pages; one when the caller passes
    ``available`` ({translation_key: language codes}, e.g. from ``translations_of``).
    """
    pages = list(pages)
    if not pages:
        return pages
    topics_by_page = {page.pk: [link.topic for link in page.topic_links.all()] for page in pages}
    all_topics = localized_topics(
        [topic for topics in topics_by_page.values() for topic in topics], language
    )
    if available is None:
        available = available_languages(pages)
    order = i18n.language_codes()
    position = 0
    for page in pages:
        page.requested_language = language
        page.content_language = page.locale.language_code
        page.content_language_name = i18n.local_name(page.content_language)
        page.is_fallback = page.content_language != language
        url = page.get_url(request)
        page.display_url = i18n.swap_language_prefix(url, language) if page.is_fallback else url
        count = len(topics_by_page[page.pk])
        page.display_topics = all_topics[position : position + count]
        position += count
        codes = available.get(page.translation_key, {page.content_language})
        page.available_languages = [code for code in order if code in codes]
    return pages


def other_news(page, language, limit=None, request=None):
    """ "Other news" for ``page``: the curated items first, then the newest others.

    Never the page itself nor any of its translations; stories missing in
    ``language`` appear in their fallback language (when listings allow it).
    """
    return decorate(other_news_pages(page, language, limit), language, request)


def language_links(versions, page, language, request=None):
    """For each configured language: where its reader should go from this story.

    To the live translation when it exists, else to the fallback URL in that
    language (the best available version, served under that language's prefix),
    so the switcher never leads to a 404.
    """
    links = []
    for code in i18n.language_codes():
        version = versions.get(code)
        if version is not None:
            url, is_translation = version.get_url(request), True
        else:
            best = next((versions[c] for c in i18n.fallback_chain(code) if c in versions), page)
            url, is_translation = i18n.swap_language_prefix(best.get_url(request), code), False
        links.append(
            {
                "code": code,
                "name": i18n.local_name(code),
                "url": url,
                "is_current": code == language,
                "is_translation": is_translation,
            }
        )
    return links


def article_context(page, language, request=None):
    """The context of a page served to readers of ``language``: fallback, switcher, hreflang."""
    versions = translations_of(page)
    content_language = page.locale.language_code
    available = [
        {"code": code, "name": i18n.local_name(code), "url": versions[code].get_url(request)}
        for code in i18n.language_codes()
        if code in versions
    ]
    default_version = versions.get(settings.LANGUAGE_CODE) or page
    return {
        "requested_language": language,
        "content_language": content_language,
        "content_language_name": i18n.local_name(content_language),
        "is_fallback": content_language != language,
        "available_languages": available,
        "language_links": language_links(versions, page, language, request),
        "hreflang_links": [
            {"code": code, "url": versions[code].get_full_url(request)}
            for code in i18n.language_codes()
            if code in versions
        ],
        "x_default_url": default_version.get_full_url(request),
        "canonical_url": page.get_full_url(request),
    }


def news_page_context(page, language, request=None):
    """``article_context`` plus what a news page adds: topics and other news."""
    context = article_context(page, language, request)
    context["display_topics"] = localized_topics(
        [link.topic for link in page.topic_links.select_related("topic")], language
    )
    context["other_news"] = other_news(page, language, request=request)
    return context


def news_index_context(index, language, request):
    """A news index page: one page of stories (``?page=``, ``?topic=``) and the article context."""
    topic = queries.topic_from_slug(request.GET.get("topic"), language)
    items = queries.news_for_locale(language, index=index, topic=topic)
    paginator = queries.MemoizedCountPaginator(items, conf.PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return {
        **article_context(index, language, request),
        "news_items": decorate(page_obj.object_list, language, request),
        "page_obj": page_obj,
        "paginator": paginator,
        "topic": topic,
        "topic_slug_unknown": bool(request.GET.get("topic")) and topic is None,
    }


def reader_context(page, request):
    """The ``newsdesk_reader_context`` of the news page types (news.models.reader_context)."""
    language = queries.request_language(request)
    if isinstance(page, NewsPage):
        return news_page_context(page, language, request)
    if isinstance(page, NewsIndex):
        return news_index_context(page, language, request)
    return {}
