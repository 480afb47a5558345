"""What templates and serializers show of a page: fallback, language links, topics.

``decorate`` marks listing items (real language, display URL, topics in the reader's
language); ``article_context`` and ``news_page_context`` build what a page served to
readers of one language shows. The HTML pages, API v1, feeds and search results
all call these, so every surface says the same thing about the same story.
"""

import contextlib
import hashlib

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from wagtail.rich_text import expand_db_html

from news import blocks, cache_keys, fragments, i18n, queries, renditions, untranslated
from news import tagged_cache as store
from news.conf import conf
from news.kazakh_latin import edition
from news.models import NewsIndex, NewsPage, note_times
from news.queries import (
    authors_of,
    available_languages,
    localized_authors,
    localized_topics,
    other_news_pages,
    topics_of,
    translations_of,
)


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
    topics_by_page = {page.pk: topics_of(page) for page in pages}
    all_topics = localized_topics(
        [topic for topics in topics_by_page.values() for topic in topics], language
    )
    authors_by_page = authors_of(pages, language)
    listed_languages = untranslated.listed_field_languages(pages)
    if available is None:
        available = available_languages(pages)
    order = i18n.language_codes()
    position = 0
    for page in pages:
        page.requested_language = language
        found = i18n.mark(page, language)
        page.content_language_name = i18n.local_name(page.content_language)
        page.display_url = found.url(page.get_url(request))
        count = len(topics_by_page[page.pk])
        page.display_topics = all_topics[position : position + count]
        position += count
        page.display_authors = authors_by_page[page.pk]
        # {"lead": "kk"}: a listed field a translation left in the source's language.
        page.field_locales = listed_languages.get(page.pk, {})
        codes = available.get(page.translation_key, {page.content_language})
        page.available_languages = [code for code in order if code in codes]
        cache_keys.add(
            cache_keys.story(page.translation_key),
            *(cache_keys.topic(topic.translation_key) for topic in page.display_topics),
        )
    return pages


def listing(language, **filters):
    """``queries.news_for_locale`` for an answer that shows it: declares the listing's keys."""
    declare_listing(language, **filters)
    return queries.news_for_locale(language, **filters)


def declare_listing(language, **filters):
    """Declare the cache keys of the listing of ``language`` narrowed by ``filters``: the
    answer shows it."""
    cache_keys.add(*cache_keys.listing_keys(language, **_dimensions(filters)))


def _dimensions(filters):
    return {name: filters.get(name) for name in queries.LISTING_DIMENSIONS}


def listing_changed_at(language):
    """``queries.listing_changed_at``, kept until any story changes (``cache_keys.ANY``)."""
    return store.memoize(
        f"listing-changed:{language}",
        lambda: queries.listing_changed_at(language),
        keys=[cache_keys.ANY],
    )


def news_index_url(language):
    """``queries.news_index_url``, kept until a site-wide change (an index is not a story)."""
    return store.memoize(f"news-index-url:{language}", lambda: queries.news_index_url(language))


def author_url(author, language):
    """The author's page for readers of ``language`` (its route's words are translated)."""
    try:
        with translation.override(language):
            return reverse("news_author", kwargs={"slug": author.slug})
    except NoReverseMatch:  # a host that did not include news.urls.reader_urlpatterns
        return None


def mark_authors(authors, language):
    """Mark authors loaded in their best language (``queries.authors_for_locale``) as
    ``localized_authors`` does: ``content_language`` and ``is_fallback``."""
    authors = list(authors)
    for author in authors:
        i18n.mark(author, language)
    return authors


def bylines(authors, language):
    """``[{author, name, url, role, is_fallback, lang}]`` of localized ``authors``."""
    return [
        {
            "author": author,
            "id": author.pk,
            "name": author.name,
            "role": author.role,
            "url": author_url(author, language),
            "is_fallback": author.is_fallback,
            "lang": author.content_language,
        }
        for author in authors
    ]


def display_notes(pages, language):
    """Attach ``display_notes`` to each page: its notes in order, each with ``lang`` when its
    text is still the source's (untranslated as published, ``news.untranslated``). One
    query, none without notes or on a warm memo.

    ``updated_at`` and ``corrected_at`` are worked out again from the notes, so that a
    preview of unsaved notes shows them too.
    """
    languages = untranslated.note_languages([page for page in pages if page.notes])
    for page in pages:
        page.updated_at, page.corrected_at = note_times(page.notes)
        untranslated_notes = languages.get(page.pk, {})
        notes = []
        for block in page.notes or []:
            value = block.value
            at = value.get("at")
            if at is not None and timezone.is_naive(at):  # stored by a script or an import
                at = timezone.make_aware(at)
            notes.append(
                {
                    "id": block.id,
                    "kind": value.get("kind"),
                    "at": at,
                    "text": value.get("text") or "",
                    "lang": untranslated_notes.get(block.id),
                    "page": page,
                }
            )
        page.display_notes = notes
    return pages


def other_news(page, language, limit=None, request=None):
    """ "Other news" for ``page``: the curated items first, then stories sharing one of its
    topics, then the newest others (``queries.other_news_pages``).

    Never the page itself nor any of its translations; stories missing in
    ``language`` appear in their fallback language (when listings allow it).
    """
    limit = limit or conf.OTHER_NEWS_COUNT
    curated = queries.curated_keys(page)
    pages = list(other_news_pages(page, language, limit))
    cache_keys.add(*(cache_keys.story(key) for key in curated))
    if len(pages) < limit or any(shown.translation_key not in curated for shown in pages):
        cache_keys.add(*cache_keys.listing_keys(language))  # the newest others show
    return decorate(pages, language, request)


def shared_other_news(
    page, language, name, render, *, limit=None, soft_curated=False, quoted=False
):
    """The marker of ``page``'s "other news" from a shared fragment (news.fragments), or
    None: render it inline (not cached, or as many curated stories as it shows).

    The rule of ``queries.other_news_pages``, written once for every surface that splices:
    the page's curated stories are rendered for it, first; the others (stories sharing a
    topic, newest first, then the newest: ``queries.ranked_others``) are merged from one
    fragment per language (``name``) and topic, then one of the language's newest, leaving
    out the page and its curated stories. ``render(pages)`` gives ``(prefix, [(story key,
    item)], suffix, empty, sep)`` in bytes; ``soft_curated``: the curated stories are soft keys.
    """
    limit = limit or conf.OTHER_NEWS_COUNT
    if getattr(cache_keys.collecting(), "base", None) is None:
        return None
    curated = queries.curated_keys(page)
    if len(curated) >= limit:
        return None
    head = []
    if curated:
        with cache_keys.soft() if soft_curated else contextlib.nullcontext():
            # Every curated story's key (shown or not yet: one published later must
            # appear), not the listing's, which any new story purges.
            cache_keys.add(*(cache_keys.story(key) for key in curated))
            pages = queries.curated_news_pages(page, language, curated)
            head = [item for _key, item in render(pages)[1]]

    def ordered(pages):  # each item with its place in the listing's order (LISTING_ORDER)
        prefix, items, *rest = _with_changed(render, pages)
        order = {page.translation_key.hex: (page.date.toordinal(), page.pk) for page in pages}
        return prefix, [(key, item, order[key]) for key, item in items], *rest

    def sharing(topic_key):  # the stories of one topic: only its stories change it
        def build(capacity):
            cache_keys.add(cache_keys.listing(language, "topic", topic_key))
            pages = queries.ranked_for_topics(language, [topic_key], capacity)
            return ordered([page for page in pages if getattr(page, "related", 1) == 0])

        return (name, language, "topic", topic_key), build

    def newest(capacity):  # the newest others, once those sharing a topic run out
        declare_listing(language)
        return ordered(queries.ranked_for_topics(language, [], capacity))

    return fragments.use(
        [sharing(key) for key in queries.topic_keys_of(page)],
        ((name, language), newest),
        limit=limit,
        head=head,
        exclude={page.translation_key.hex, *(key.hex for key in curated)},
        quoted=quoted,
    )


def _with_changed(render, pages):
    """``render(pages)`` and when the newest of ``pages`` last changed (Last-Modified)."""
    times = [queries.story_changed_at(page) for page in pages]
    return (*render(pages), max(filter(None, times), default=None))


def other_news_fragment(page, language, request=None):
    """The marker of ``page``'s "other news" block (``shared_other_news``), or None.

    The curated stories are the page's own: soft keys, as inline.
    """
    return shared_other_news(
        page,
        language,
        "other-news-html",
        lambda pages: _other_news_html(pages, language, request),
        soft_curated=True,
    )


_SPLIT = "\x1f"


def _other_news_html(pages, language, request):
    """The "other news" block of ``pages`` in ``shared_other_news``'s shape (its ``<li>``s)."""
    items = decorate(pages, language, request)
    html = render_to_string(
        "news/components/other_news.html", {"other_news": items, "split": _SPLIT}
    )
    if not items:
        return b"", [], b"", b"", b""
    parts = html.split(_SPLIT)
    lis = [
        (item.translation_key.hex, li.encode()) for item, li in zip(items, parts[1:-1], strict=True)
    ]
    return parts[0].encode(), lis, parts[-1].encode(), b"", b""


def language_links(versions, page, language, request=None):
    """For each configured language: where its reader should go from this story.

    To the live translation when it exists, else to the fallback URL in that
    language (the best available version, served under that language's prefix),
    so the switcher never leads to a 404.
    """

    def url_for(code):
        version = versions.get(code)
        if version is not None:
            return version.get_url(request), True
        best = i18n.best_version(versions, code) or page
        return i18n.swap_language_prefix(best.get_url(request), code), False

    return edition.alternate_links(i18n.language_links(language, url_for))


def article_context(page, language, request=None):
    """The context of a page served to readers of ``language``: fallback, switcher, hreflang."""
    versions = translations_of(page)
    cache_keys.add(cache_keys.story(page.translation_key))
    found = i18n.localized(page, language)
    content_language = found.language
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
        "is_fallback": found.is_fallback,
        "available_languages": available,
        "language_links": language_links(versions, page, language, request),
        "hreflang_links": edition.alternate_links(
            [
                {"code": code, "url": versions[code].get_full_url(request)}
                for code in i18n.language_codes()
                if code in versions
            ]
        ),
        "x_default_url": default_version.get_full_url(request),
        "canonical_url": page.get_full_url(request),
        # Untranslated segments of a translation keep their language (lang="kk" in templates).
        "segment_languages": untranslated.field_languages(
            page, preview=getattr(request, "is_preview", False)
        ),
    }


def prepare_article(page, language):
    """Load what the article's template will show, in one query each, before it renders.

    The hero image and the body's images come with their renditions in one query
    (the hero is then also the one SEO tags read), and every internal link of the
    body's paragraphs is resolved in one query (``links.resolved``) and written out:
    rendered one paragraph at a time, each paragraph would cost a query of its own.
    """
    ids = blocks.image_ids(page.body.raw_data if page.body else [])
    ids |= queries.author_image_ids(page)
    images = renditions.images_with_renditions(ids | {page.image_id})
    if page.image_id:
        page.image = images.get(page.image_id)
    page.newsdesk_images = images  # the authors' photos are among them
    paragraphs = []
    with blocks.preloaded(images=images):
        for block in page.body or []:  # converts every block now, its images preloaded
            if block.block_type == "paragraph" and block.value:
                paragraphs.append(block.value)
    # Imported here: home.models imports this module while models load, and the link
    # handler's module needs Wagtail's Page model loaded.
    from news import links

    with links.resolved([value.source for value in paragraphs], language):
        for value in paragraphs:
            value.source = expand_db_html(value.source)
    return page


def news_page_context(page, language, request=None):
    """``article_context`` plus what a news page adds: topics and other news."""
    prepare_article(page, language)
    context = article_context(page, language, request)
    context["display_topics"] = localized_topics(topics_of(page), language)
    cache_keys.add(
        *(cache_keys.topic(topic.translation_key) for topic in context["display_topics"])
    )
    context["other_news_fragment"] = other_news_fragment(page, language, request)
    if context["other_news_fragment"] is None:
        # Rendered inline (not cached, or too many curated items): shown a little on
        # every story, soft keys (a new story refreshes a cached one within a bound).
        with cache_keys.soft():
            context["other_news"] = other_news(page, language, request=request)
    context["bylines"] = bylines(authors_of([page], language)[page.pk], language)
    display_notes([page], language)
    context["display_notes"] = page.display_notes
    context["corrections"] = [note for note in page.display_notes if note["kind"] == "correction"]
    return context


def memoized_count(queryset, key):
    """``queryset.count()`` (or a function's queryset's), kept until a listing changes
    (``cache_keys.LISTINGS``); ``key`` names it, else its SQL does."""
    if key is None:
        try:
            key = hashlib.sha256(str(queryset.query).encode()).hexdigest()[:32]
        except EmptyResultSet:
            return 0  # the ORM knows without asking the database (e.g. ``pk__in=[]``)
    return store.memoize(
        f"count:{key}", lambda: _built(queryset).count(), keys=[cache_keys.LISTINGS]
    )


def memoized_ids(queryset, offset, size, key):
    """The ids of ``queryset[offset:offset + size]`` (a listing page), kept like the count."""
    page = lambda: list(_built(queryset).values_list("pk", flat=True)[offset : offset + size])  # noqa: E731
    return store.memoize(f"ids:{key}:{offset}:{size}", page, keys=[cache_keys.LISTINGS])


def _built(queryset):
    return queryset() if callable(queryset) else queryset


class ListingPaginator(Paginator):
    """Django's paginator over ``listing(language, **filters)``: the count and each page's
    ids memoised (``memoized_count``, ``memoized_ids``: no query and no SQL
    built on a warm memo), the page's rows by id (``queries.listed_stories``, compiled once
    per process). Declares the listing's keys."""

    def __init__(self, language, per_page, **filters):
        super().__init__([], per_page)
        declare_listing(language, **filters)
        named = {name: getattr(value, "translation_key", value) for name, value in filters.items()}
        self.key = f"html-list:{language}:" + ",".join(f"{k}={v}" for k, v in sorted(named.items()))
        self.language = language
        self.build = lambda: queries.news_for_locale(language, listing_data=False, **filters)

    @cached_property
    def count(self):
        return memoized_count(self.build, self.key)

    def page(self, number):
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        ids = memoized_ids(self.build, offset, self.per_page, self.key)
        return self._get_page(queries.listed_stories(self.language, ids), number, self)


def news_index_context(index, language, request):
    """A news index page: one page of stories (``?page=``, ``?topic=``) and the article context."""
    topic = queries.topic_from_slug(request.GET.get("topic"), language)
    paginator = ListingPaginator(language, conf.PAGE_SIZE, index=index, topic=topic)
    page_obj = paginator.get_page(request.GET.get("page"))
    return {
        **article_context(index, language, request),
        "news_items": decorate(page_obj.object_list, language, request),
        "page_obj": page_obj,
        "paginator": paginator,
        "topic": topic,
        "topic_slug_unknown": bool(request.GET.get("topic")) and topic is None,
    }


def author_page_context(author, language, request):
    """An author's page: the author in ``language`` (or its fallback) and their stories,
    one page at a time, with the news index's fallback rules."""
    author = localized_authors([author], language)[0]
    paginator = ListingPaginator(language, conf.PAGE_SIZE, author=author)
    page_obj = paginator.get_page(request.GET.get("page"))
    return {
        "author": author,
        "author_links": [block.value for block in author.links or []],
        "news_items": decorate(page_obj.object_list, language, request),
        "page_obj": page_obj,
        "paginator": paginator,
        "requested_language": language,
        "news_index_url": news_index_url(language),
    }


def corrections(language, request=None):
    """Every correction of the stories readers of ``language`` see, newest first.

    The stories come from the news listing (same fallback and visibility rules);
    each note carries its story (decorated). A constant number of queries.
    """
    # A first correction to any story adds it here without moving it in any listing.
    cache_keys.add(cache_keys.ANY)
    pages = decorate(listing(language).filter(corrected_at__isnull=False), language, request)
    display_notes(pages, language)
    found = [note for page in pages for note in page.display_notes if note["kind"] == "correction"]
    return sorted(found, key=lambda note: note["at"], reverse=True)


def reader_context(page, request):
    """The ``newsdesk_reader_context`` of the news page types (news.models.reader_context)."""
    language = queries.request_language(request)
    if isinstance(page, NewsPage):
        return news_page_context(page, language, request)
    if isinstance(page, NewsIndex):
        return news_index_context(page, language, request)
    return {}
