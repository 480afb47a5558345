"""The one home of every news query.

Templates, the API, feeds and search all call these functions, so the rules
(live and public only, one entry per story, locale fallback, curated "other
news" first) are written once. Each function runs a constant number of SQL
queries whatever the number of items.
"""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.utils.functional import cached_property
from wagtail.models import Page, PageViewRestriction

from news import i18n
from news.models import NewsIndex, NewsPage, NewsPageTopic, NewsTopic
from news.renditions import image_prefetch


def request_language(request):
    """The language the reader asked for (URL prefix, else the active language)."""
    return i18n.active_language()


def restricted_paths():
    """Tree paths of the pages that carry a view restriction (password, login or groups).

    One small query, memoised per content version: saving or deleting a restriction
    and moving a page bump that version (news/signals.py), so a change is seen at once.
    """
    from news.cache import memoize

    return memoize(
        "restricted-paths",
        lambda: tuple(
            sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True)))
        ),
    )


def private_q():
    """Pages under a view restriction: on a restricted page or below one.

    A prefix test on ``path`` per restricted page, or nothing at all when no page is
    restricted. It used to be a correlated subquery, which SQLite's planner, once
    ``ANALYZE`` had run, answered by scanning every page for every row (200 ms for
    one listing page of 10,000 stories).
    """
    condition = Q(pk__in=[])
    for path in restricted_paths():
        condition |= Q(path__startswith=path)
    return condition


def visible_pages(model=Page):
    """Live pages that anonymous readers may see."""
    return model.objects.live().exclude(private_q())


def list_position(field, values):
    """0 where ``field`` is ``values[0]``, 1 for ``values[1]``…, ``len(values)`` elsewhere."""
    return Case(
        *[When(**{field: value}, then=Value(position)) for position, value in enumerate(values)],
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def language_rank(chain):
    """0 for the first language of ``chain``, 1 for the next…, ``len(chain)`` for others."""
    return list_position("locale__language_code", chain)


def in_languages(queryset, chain):
    """Rows in one of the languages of ``chain``, with their ``language_rank`` (an alias).

    A rank test rather than a locale filter: SQLite would drive the query from the
    locale index (every page of those languages) instead of the index that serves it.
    """
    return queryset.alias(language_rank=language_rank(chain)).filter(language_rank__lt=len(chain))


def in_best_language(queryset, chain):
    """Keep, for each story, only its version in the best language of ``chain``.

    A row survives when its language is in ``chain`` and no visible version of the same
    story exists in a better one: a filter in SQL, so counts and pagination stay exact.
    Written as one rank comparison rather than an OR per language, so that neither
    SQLite nor PostgreSQL drives the query from the locale index: both walk the
    (date, id) index of NewsPage and stop after one page of rows, whatever the
    number of stories.
    """
    queryset = in_languages(queryset, chain)
    if len(chain) == 1:
        return queryset
    better = (
        visible_pages()
        .filter(translation_key=OuterRef("translation_key"))
        .alias(rank=language_rank(chain))
    )
    return queryset.exclude(Exists(better.filter(rank__lt=OuterRef("language_rank"))))


def memoized_count(queryset):
    """``queryset.count()``, memoised until the content changes (keyed by its SQL).

    A count must visit every matching story, so listings (API and HTML) pay it once
    per content version instead of once per request.
    """
    from news.cache import memoize

    try:
        sql = str(queryset.query)
    except EmptyResultSet:
        return 0  # the ORM knows without asking the database (e.g. ``pk__in=[]``)
    sql_key = hashlib.sha256(sql.encode()).hexdigest()[:32]
    return memoize(f"count:{sql_key}", queryset.count)


class MemoizedCountPaginator(Paginator):
    """Django's paginator, with the total from ``memoized_count``."""

    @cached_property
    def count(self):
        return memoized_count(self.object_list)


def news_indexes(chain):
    """Live, public news indexes in the languages of ``chain``, best language first.

    Filtered by content type and language rank, sorted in Python (there are a handful):
    filtering on the locale or ordering by path would let SQLite walk the whole tree.
    """
    # The content type (indexed) makes SQLite start from the handful of index pages.
    indexes = in_languages(
        visible_pages(NewsIndex).filter(content_type=ContentType.objects.get_for_model(NewsIndex)),
        chain,
    )
    indexes = indexes.select_related("locale").order_by()
    return sorted(indexes, key=lambda p: (chain.index(p.locale.language_code), p.path))


def topic_from_slug(slug, language):
    """The topic with ``slug`` in ``language`` (or in any language), or None."""
    if not slug or len(slug) > 100 or "\x00" in slug:  # PostgreSQL rejects NUL in text
        return None
    topics = NewsTopic.objects.filter(slug=slug).select_related("locale")
    ranked = sorted(
        topics,
        key=lambda t: (t.locale.language_code != language, t.pk),
    )
    return ranked[0] if ranked else None


# Newest first. Both columns are NewsPage's own, so one index (date, page_ptr_id), both
# descending, serves the order and the database reads only the rows it returns.
LISTING_ORDER = ("-date", "-page_ptr_id")


def news_for_locale(
    language,
    *,
    index=None,
    topic=None,
    fallback=None,
    date_from=None,
    date_to=None,
    exclude_translation_key=None,
):
    """Live, public news for readers of ``language``, newest first, one entry per story.

    With ``fallback`` (default: ``NEWSDESK_LISTING_FALLBACK``), stories not yet
    translated into ``language`` are included in the best language of its
    fallback chain.
    """
    if fallback is None:
        fallback = settings.NEWSDESK_LISTING_FALLBACK
    chain = i18n.fallback_chain(language) if fallback else [language]
    qs = in_best_language(visible_pages(NewsPage), chain)
    if index is not None:
        qs = qs.filter(_children_of_translations_q(index))
    if topic is not None:
        qs = qs.filter(
            Exists(
                NewsPageTopic.objects.filter(
                    page=OuterRef("pk"), topic__translation_key=topic.translation_key
                )
            )
        )
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    if exclude_translation_key is not None:
        qs = qs.exclude(translation_key=exclude_translation_key)
    return with_listing_data(qs).order_by(*LISTING_ORDER)


def with_listing_data(qs):
    """Everything a listing item shows, loaded in a fixed number of queries."""
    return qs.select_related("locale").prefetch_related(
        Prefetch(
            "topic_links",
            queryset=NewsPageTopic.objects.select_related("topic").order_by("sort_order"),
        ),
        image_prefetch("image"),
    )


def _children_of_translations_q(index):
    paths = Page.objects.filter(translation_key=index.translation_key).values_list(
        "path", flat=True
    )
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path, depth=index.depth + 1)
    return condition


def localized_topics(topics, language):
    """``topics`` in ``language`` where a translation exists, else as they are. One query."""
    topics = list(topics)
    keys = {topic.translation_key for topic in topics}
    translated = {}
    if keys:
        translated = {
            topic.translation_key: topic
            for topic in NewsTopic.objects.filter(
                translation_key__in=keys, locale__language_code=language
            )
        }
    return [translated.get(topic.translation_key, topic) for topic in topics]


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
        available = _available_languages(pages)
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


def _available_languages(pages):
    available = {}
    for key, code in (
        visible_pages()
        .filter(translation_key__in={p.translation_key for p in pages})
        .values_list("translation_key", "locale__language_code")
    ):
        available.setdefault(key, set()).add(code)
    return available


def curated_keys(page):
    """Translation keys of the editor's curated related news, in the editor's order.

    One query for a saved page; a previewed page's unsaved choices are read in memory.
    """
    if page.pk and "related_news" not in getattr(page, "_cluster_related_objects", {}):
        ordered_keys = page.related_news.order_by("sort_order", "pk").values_list(
            "related_page__translation_key", flat=True
        )
    else:
        ids = [
            link.related_page_id
            for link in sorted(page.related_news.all(), key=lambda link: link.sort_order or 0)
        ]
        if not ids:
            return []
        key_by_id = dict(NewsPage.objects.filter(pk__in=ids).values_list("pk", "translation_key"))
        ordered_keys = [key_by_id.get(pk) for pk in ids]
    keys = []
    for key in ordered_keys:
        if key is not None and key not in keys and key != page.translation_key:
            keys.append(key)
    return keys


def other_news(page, language, limit=None, request=None):
    """ "Other news" for ``page``: the curated items first, then the newest others.

    Never the page itself nor any of its translations; stories missing in
    ``language`` appear in their fallback language (when listings allow it).
    """
    limit = limit or settings.NEWSDESK_OTHER_NEWS_COUNT
    keys = curated_keys(page)
    qs = news_for_locale(language, exclude_translation_key=page.translation_key)
    if keys:
        # The curated stories, then the newest others (found by walking the date index,
        # one small query): ordering the whole listing by "curated first" would sort
        # every story. One IN on translation_key lets the database use its index for both.
        newest = list(
            qs.exclude(translation_key__in=keys).values_list("translation_key", flat=True)[:limit]
        )
        qs = (
            qs.filter(translation_key__in=keys + newest)
            .annotate(curated=list_position("translation_key", keys))
            .order_by("curated", *LISTING_ORDER)
        )
    return decorate(qs[:limit], language, request)


def translations_of(page):
    """Every live, public version of ``page``'s story, keyed by language code."""
    versions = visible_pages().filter(translation_key=page.translation_key).select_related("locale")
    return {version.locale.language_code: version for version in versions}


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
