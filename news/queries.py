"""The news queries of every surface: listings, "other news", translations, topics.

Templates, the API, feeds, sitemaps and search all call these functions; they are
built on the queryset rules of ``news.querysets`` (live and public only, one entry
per story, locale fallback), so no surface writes a query of its own. Each function
runs a constant number of SQL queries whatever the number of items.
"""

import uuid
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils.module_loading import import_string
from wagtail.models import Page, ReferenceIndex

from news import i18n, prepared, reference
from news.conf import conf
from news.i18n import best_version  # noqa: F401 - re-exported for the surfaces
from news.models import Author, NewsIndex, NewsPage, NewsPageAuthor, NewsPageTopic, NewsTopic
from news.querysets import (  # noqa: F401 - re-exported: the one place surfaces import from
    CURATED_KEYS,
    LISTING_ORDER,
    TOPIC_IDS,
    InAnyOf,
    author_ids,
    author_image_ids,
    flagged_languages,
    in_best_language,
    in_languages,
    language_rank,
    linked_values,
    list_position,
    private_q,
    restricted_paths,
    story_changed_at,
    visible_pages,
    with_listing_data,
)


def request_language(request):
    """The language the reader asked for (URL prefix, else the active language)."""
    return i18n.active_language()


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
    """The topic with ``slug``, in the best language of ``language``'s chain (else in any
    language), or None."""
    if not slug or len(slug) > 100 or "\x00" in slug:  # PostgreSQL rejects NUL in text
        return None
    topics = list(NewsTopic.objects.filter(slug=slug).select_related("locale").order_by("pk"))
    # The best version along the chain; a topic known only outside it still answers.
    return i18n.best_version(topics, language) or (topics[0] if topics else None)


def news_for_locale(
    language,
    *,
    index=None,
    topic=None,
    author=None,
    fallback=None,
    date_from=None,
    date_to=None,
    exclude_translation_key=None,
    listing_data=True,
):
    """Live, public news for readers of ``language``, newest first, one entry per story.

    With ``fallback`` (default: ``NEWSDESK_LISTING_FALLBACK``), stories not yet
    translated into ``language`` are included in the best language of its
    fallback chain. ``listing_data=False``: without what a listing item shows (for
    finding which stories are on a page: ``.values_list("pk")``).
    """
    if fallback is None:
        fallback = conf.LISTING_FALLBACK
    chain = i18n.fallback_chain(language) if fallback else [language]
    qs = NewsPage.objects.visible().in_best_language(chain)
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
    if author is not None:
        qs = qs.filter(
            Exists(
                NewsPageAuthor.objects.filter(
                    page=OuterRef("pk"), author__translation_key=author.translation_key
                )
            )
        )
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    if exclude_translation_key is not None:
        qs = qs.exclude(translation_key=exclude_translation_key)
    return qs.for_listing() if listing_data else qs.order_by(*LISTING_ORDER)


def listed_stories(language, ids, fallback=None):
    """The listing rows (``news_for_locale(language, fallback=…)``, so still visible and in
    their best language) of the stories ``ids``, a page of a listing's memoised ids, in its
    order.

    Compiled once per process and number of ids (news.prepared): building the listing's
    query costs ten times running it.
    """
    return prepared.run(
        ("listed-stories", language, fallback, restricted_paths()),
        lambda ids: news_for_locale(language, fallback=fallback).filter(pk__in=ids),
        list(ids),
    )


def _index_of(page_id, path):
    parent = path[: -Page.steplen]
    return Page.objects.filter(path=parent).values_list("translation_key", flat=True)[:1]


# What each listing dimension of ``news_for_locale`` holds of one story version: the
# translation keys of its values. A host (or a later dimension) adds its own here.
LISTING_DIMENSIONS = {
    "index": lambda page_id, path: _index_of(page_id, path),
    "topic": lambda page_id, path: NewsPageTopic.objects.filter(page_id=page_id).values_list(
        "topic__translation_key", flat=True
    ),
    "author": lambda page_id, path: NewsPageAuthor.objects.filter(page_id=page_id).values_list(
        "author__translation_key", flat=True
    ),
}


def story_listing_state(page_id):
    """Where a story version stands in listings: None when readers do not see it.

    ``(language, date, {(dimension, translation key)})``: a publish that leaves it as it
    was (a correction) changes no listing's membership or order, so it purges the
    story's own key only; any other change purges ``story_listing_keys`` of both states.
    """
    row = (
        visible_pages(NewsPage)
        .filter(pk=page_id)
        .values_list("locale__language_code", "date", "path")
        .first()
    )
    if row is None:
        return None
    language, date, path = row
    dimensions = frozenset(
        (name, key)
        for name, values_of in LISTING_DIMENSIONS.items()
        for key in values_of(page_id, path)
    )
    return language, date, dimensions


def _children_of_translations_q(index):
    paths = Page.objects.filter(translation_key=index.translation_key).values_list(
        "path", flat=True
    )
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path, depth=index.depth + 1)
    return condition


def topic_versions():
    """``{(translation_key, language code): topic}`` of every topic.

    A newsroom has tens of topics, read by every listing item: the table is reference
    data (news.reference: the cache keeps it until a site-wide change, which saving a
    topic is), so localizing topics costs no query.
    """

    def load():
        return {
            (topic.translation_key, topic.language_code): topic
            for topic in NewsTopic.objects.annotate(language_code=F("locale__language_code"))
        }

    return reference.read("topic-versions", load)


def localized_topics(topics, language):
    """``topics`` in ``language`` where a translation exists, else as they are. No query."""
    topics = list(topics)
    if not topics:
        return topics
    versions = topic_versions()
    return [versions.get((topic.translation_key, language), topic) for topic in topics]


def public_authors(authors):
    """Only the authors readers may see: those with at least one live, public story (in any
    language). An author whose stories are all drafts, scheduled, private or unpublished is
    not public: no page, no API entry (docs/bylines-and-corrections.md)."""
    signed = NewsPageAuthor.objects.filter(page__in=NewsPage.objects.visible()).values(
        "author__translation_key"
    )
    return authors.filter(translation_key__in=signed)


def author_from_slug(slug, language):
    """The public author with ``slug`` in the best language of ``language``'s chain, or None."""
    if not slug or len(slug) > 100 or "\x00" in slug:
        return None
    authors = public_authors(Author.objects.filter(slug=slug))
    authors = list(authors.select_related("locale", "image", "image__rights").order_by("pk"))
    # The best version along the chain; an author known only outside it still answers.
    return i18n.best_version(authors, language) or (authors[0] if authors else None)


def localized_authors(authors, language):
    """``authors`` in the best language of ``language``'s fallback chain. One query.

    Each author returned carries ``is_fallback`` (its name is not in ``language``) and
    ``content_language``. Authors with no version in the chain stay as they are.
    """
    authors = list(authors)
    chain = i18n.fallback_chain(language)
    by_key = {}
    keys = {author.translation_key for author in authors}
    if keys:
        versions = in_languages(Author.objects.filter(translation_key__in=keys), chain)
        for version in versions.select_related("locale", "image", "image__rights").order_by("pk"):
            by_key.setdefault(version.translation_key, []).append(version)
    best = {key: i18n.best_version(versions, language) for key, versions in by_key.items()}
    localized = []
    for author in authors:
        version = best.get(author.translation_key)
        if version is None:
            i18n.mark(author, language, content_language=None)
            localized.append(author)
        else:
            i18n.mark(version, language)
            localized.append(version)
    return localized


def _author_links(page):
    if "author_links" in getattr(page, "_prefetched_objects_cache", {}):
        return page.author_links.all()
    return page.author_links.select_related("author__locale")


def authors_of(pages, language):
    """``{page.pk: [author, …]}``: each page's authors in the best language of
    ``language``'s fallback chain, in the editor's order, marked as ``localized_authors``
    marks them.

    Pages loaded ``for_listing`` or ``for_reading`` carry their author ids: one query for
    all of them (all the versions of those authors), none when no page has an author, and
    the photos come from the images loaded with the pages (``newsdesk_images``). Other
    pages: their links, then ``localized_authors``.
    """
    pages = list(pages)
    found = {}
    ids_by_page = {page.pk: author_ids(page) for page in pages}
    others = [page for page in pages if ids_by_page[page.pk] is None]
    if others:
        linked_authors = {page.pk: [link.author for link in _author_links(page)] for page in others}
        localized = iter(
            localized_authors([a for authors in linked_authors.values() for a in authors], language)
        )
        found = {
            pk: [next(localized) for _author in authors] for pk, authors in linked_authors.items()
        }
    ids_by_page = {pk: ids for pk, ids in ids_by_page.items() if ids is not None}
    wanted = {pk for ids in ids_by_page.values() for pk in ids}
    if not wanted:
        return {**found, **{pk: [] for pk in ids_by_page}}
    keys = Author.objects.filter(pk__in=wanted).values("translation_key")
    rows = Author.objects.filter(Q(pk__in=wanted) | Q(translation_key__in=keys)).select_related(
        "locale", "image", "image__rights"
    )
    by_pk, by_key = {}, {}
    for author in rows.order_by("pk"):
        by_pk[author.pk] = author
        by_key.setdefault(author.translation_key, []).append(author)
    best = {key: i18n.best_version(versions, language) for key, versions in by_key.items()}
    images = {}
    for page in pages:
        images.update(getattr(page, "newsdesk_images", None) or {})
    for page_pk, ids in ids_by_page.items():
        authors = []
        for author in (by_pk[pk] for pk in ids if pk in by_pk):
            version = best.get(author.translation_key)
            if version is None:  # no version in the chain: as it is, language unknown
                version = author
                i18n.mark(version, language, content_language=None)
            else:
                i18n.mark(version, language)
            if version.image_id in images:
                version.image = images[version.image_id]
            authors.append(version)
        found[page_pk] = authors
    return found


def authors_for_locale(language):
    """Every public author for readers of ``language``: one row per author, in the best
    language of its fallback chain, by name. Counts and pagination stay exact (a filter in
    SQL)."""
    chain = i18n.fallback_chain(language)
    public = public_authors(Author.objects.all())
    qs = in_best_language(public, chain, versions=Author.objects.all())
    return qs.select_related("locale", "image", "image__rights").order_by("name", "pk")


def author_in_language(pk, language):
    """The best version, for ``language``, of the author whose any version has id ``pk``."""
    key = Author.objects.filter(pk=pk).values("translation_key")[:1]
    return authors_for_locale(language).filter(translation_key=Subquery(key)).first()


def first_publications(pages):
    """{translation_key: when the story first went live in any language} (one query).

    A translation published a day later is still the same story: feeds date every
    version by the story's first publication, so the kk and ru items agree.
    """
    keys = {page.translation_key for page in pages}
    if not keys:
        return {}
    rows = (
        NewsPage.objects.filter(translation_key__in=keys, first_published_at__isnull=False)
        .values("translation_key")
        .annotate(first=Min("first_published_at"))
        .order_by()
        .values_list("translation_key", "first")
    )
    return dict(rows)


def available_languages(pages):
    """{translation_key: {language codes}} of every visible version of ``pages``.

    Listing rows carry the answer already (``available_language_flags``): no query
    then; one query otherwise.
    """
    available = {}
    flagged = {page.translation_key: flagged_languages(page) for page in pages}
    if flagged and None not in flagged.values():
        return flagged
    for key, code in (
        visible_pages()
        .filter(translation_key__in={p.translation_key for p in pages})
        .values_list("translation_key", "locale__language_code")
    ):
        available.setdefault(key, set()).add(code)
    return available


def topics_of(page):
    """The topics of ``page``, in the editor's order.

    No query when the page was loaded with its topic ids (``for_listing``,
    ``for_reading``): the topics come from the memoised table. Else its prefetched
    links, else one query, once per page object (the article and its "other news" ask).
    """
    if hasattr(page, TOPIC_IDS):
        by_pk = {topic.pk: topic for topic in topic_versions().values()}
        ids = [int(value) for value in linked_values(getattr(page, TOPIC_IDS))]
        if all(pk in by_pk for pk in ids):
            return [by_pk[pk] for pk in ids]
    if "topic_links" in getattr(page, "_prefetched_objects_cache", {}):
        return [link.topic for link in page.topic_links.all()]
    known = page.__dict__.get("_newsdesk_topics")
    if known is None:
        known = [
            link.topic for link in page.topic_links.select_related("topic").order_by("sort_order")
        ]
        if page.pk:
            page.__dict__["_newsdesk_topics"] = known
    return list(known)


def curated_keys(page):
    """Translation keys of the editor's curated related news, in the editor's order.

    No query for a page loaded ``for_reading``; one for another saved page; a previewed
    page's unsaved choices are read in memory.
    """
    if hasattr(page, CURATED_KEYS):
        ordered_keys = [uuid.UUID(value) for value in linked_values(getattr(page, CURATED_KEYS))]
    elif page.pk and "related_news" not in getattr(page, "_cluster_related_objects", {}):
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


def curated_news_pages(page, language, keys):
    """The curated stories (``keys``, from ``curated_keys``) readers of ``language`` see,
    in the editor's order (``other_news_pages`` without the newest others).

    Which of them readers see depends on those stories alone, not on the rest of the
    listing (an answer that shows them declares every curated story's key, not the
    listing's: ``presentation.shared_other_news``).
    """
    listing = news_for_locale(language, exclude_translation_key=page.translation_key)
    return (
        listing.filter(translation_key__in=keys)
        .annotate(curated=list_position("translation_key", keys))
        .order_by("curated", *LISTING_ORDER)
    )


def topic_keys_of(page):
    """The translation keys of ``page``'s topics, sorted (the same in every language)."""
    return sorted({topic.translation_key.hex for topic in topics_of(page)})


def _topic_ids(topic_keys):
    """The ids of every language version of the topics ``topic_keys`` (from the memoised
    topic table, so no join), sorted."""
    wanted = set(topic_keys)
    return sorted(
        topic.pk for topic in topic_versions().values() if topic.translation_key.hex in wanted
    )


def _sharing_a_topic(topic_ids):
    """A condition: the row's story has one of the topics ``topic_ids``, or None."""
    if not topic_ids:
        return None
    return Exists(NewsPageTopic.objects.filter(page=OuterRef("pk"), topic_id__in=topic_ids))


def ranked_others(qs, curated, topic_ids, limit):
    """``qs`` (a listing of ``news_for_locale(…, listing_data=False)``) in the order of
    "other news", with what a listing item shows: the ``curated`` stories (the editor's
    order), then stories sharing a topic of ``topic_ids`` (``_topic_ids``), newest first,
    then the newest others; at most ``limit`` of each kind, in one query.

    Each kind is a small index walk (a subquery with its LIMIT, without the listing's
    annotations) and the final query an IN on ``translation_key``: ordering the whole
    listing by "curated first" or "shares a topic" would sort every story, a cost that
    grows with the archive.
    """
    sharing = _sharing_a_topic(topic_ids)
    if not curated and sharing is None:
        return qs.for_listing()
    rest = qs.exclude(translation_key__in=curated) if curated else qs
    candidates = [rest.values("translation_key")[:limit]]
    order = []
    if curated:
        candidates.append(
            Page.objects.filter(translation_key__in=curated).values("translation_key")
        )
        qs = qs.annotate(curated=list_position("translation_key", curated))
        order.append("curated")
    if sharing is not None:
        candidates.append(rest.filter(sharing).values("translation_key")[:limit])
        qs = qs.annotate(
            related=Case(
                When(sharing, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        order.append("related")
    return (
        qs.filter(InAnyOf("translation_key", *candidates))
        .for_listing()
        .order_by(*order, *LISTING_ORDER)
    )


def ranked_for_topics(language, topic_keys, limit):
    """``ranked_others`` of the whole listing of ``language`` for the topics ``topic_keys``,
    no story left out and none curated: the stories one shared "other news" fragment
    offers every story with those topics (``presentation.shared_other_news``). Compiled once
    per process and shape (news.prepared)."""
    return prepared.run(
        ("ranked-for-topics", language, limit, restricted_paths()),
        lambda topic_ids: ranked_others(
            news_for_locale(language, listing_data=False), (), topic_ids, limit
        )[:limit],
        prepared.padded(_topic_ids(topic_keys)),
    )


def other_news_pages(page, language, limit=None):
    """The stories of "other news" for ``page``: the curated items first, then the stories
    sharing one of its topics (newest first), then the newest others (``ranked_others``).

    Never the page itself nor any of its translations; stories missing in
    ``language`` appear in their fallback language (when listings allow it).
    """
    limit = limit or conf.OTHER_NEWS_COUNT
    keys = curated_keys(page)
    if len(keys) >= limit:
        # As many curated stories as it shows: the others appear only when some of them
        # are not visible, and only then does the answer depend on the listing.
        curated = list(curated_news_pages(page, language, keys)[:limit])
        if len(curated) == limit:
            return curated
    # Built and compiled once per shape and process (news.prepared): the SQL of this query
    # costs ten times its execution.
    return prepared.run(
        ("other-news", language, limit, restricted_paths()),
        lambda exclude, curated, topic_ids: ranked_others(
            news_for_locale(language, exclude_translation_key=exclude, listing_data=False),
            curated,
            topic_ids,
            limit,
        )[:limit],
        page.translation_key,
        list(keys),
        prepared.padded(_topic_ids(topic_keys_of(page))),
    )


def story_versions(translation_key):
    """Every visible version of a story, by language code, loaded ``for_reading``. One query.

    A detail serves the best of them (``i18n.best_version``) and lists them all as its
    translations.
    """
    return _versions_by_language(
        prepared.run(("story-versions", restricted_paths()), _story_versions, translation_key)
    )


def visible_story(pk):
    """The visible story page ``pk``, loaded ``for_reading``, or None. Compiled once per
    process (news.prepared)."""
    rows = prepared.run(
        ("visible-story", restricted_paths()),
        lambda pk: visible_pages(NewsPage).filter(pk=pk).for_reading()[:1],
        pk,
    )
    return rows[0] if rows else None


def story_versions_of_page(pk):
    """``story_versions`` of the story of visible page ``pk`` (empty if there is none)."""
    return _versions_by_language(
        prepared.run(
            ("story-versions-of-page", restricted_paths()),
            lambda pk: _story_versions(
                Subquery(visible_pages(NewsPage).filter(pk=pk).values("translation_key")[:1])
            ),
            pk,
        )
    )


def _story_versions(translation_key):
    return (
        NewsPage.objects.visible()
        .filter(translation_key=translation_key)
        .for_reading()
        .select_related("locale")
    )


def _versions_by_language(versions):
    return {version.locale.language_code: version for version in versions}


def translations_of(page):
    """Every live, public version of ``page``'s story, keyed by language code."""
    known = getattr(page, "story_versions", None)  # loaded with the page (news.models)
    if known is not None:
        return dict(known)
    versions = visible_pages().filter(translation_key=page.translation_key).select_related("locale")
    return {version.locale.language_code: version for version in versions}


@cache
def search_function():
    """The function that answers ``q`` in listings (``NEWSDESK_SEARCH_FUNCTION``), or None.

    A dotted path, so that news never imports the search app (search imports news).
    """
    path = conf.SEARCH_FUNCTION
    return import_string(path) if path else None


def news_index_url(language):
    """The news index for readers of ``language`` (its fallback, under their prefix).

    Every page's navigation shows it: ``presentation.news_index_url`` keeps it.
    """
    best = news_indexes(i18n.fallback_chain(language))
    if not best:
        return f"/{language}/"
    return i18n.swap_language_prefix(best[0].url, language)


def document_served_to_readers(document):
    """Whether an anonymous reader may download ``document`` (Hardening v2 #3).

    Wagtail serves a document to anyone unless its collection is restricted, so one an
    editor attached only to a draft, scheduled or private page was public. A document
    that pages use (Wagtail's reference index: saved pages, not unsaved revisions) is
    served only while one of them is live and public; one that no page uses keeps
    Wagtail's own rules.
    """
    page_ids = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(document)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    }
    return not page_ids or visible_pages().filter(pk__in=page_ids).exists()


# --- topics of a language (API topics/) ---------------------------------------------------


def topics_for_locale(language):
    """Every topic once, in the best language of ``language``'s fallback chain (a topic in
    none of them: in its own), by name. No query on a warm memo (``topic_versions``)."""
    best = {}
    for (key, code), topic in topic_versions().items():
        rank = i18n.chain_rank(code, language)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, topic)
    return sorted((topic for _rank, topic in best.values()), key=lambda t: (t.name.lower(), t.pk))


def listing_changed_at(language):
    """When the newest publish among the stories of ``language``'s listing happened, or
    None: one query (``presentation.listing_changed_at`` keeps it)."""
    rows = news_for_locale(language, listing_data=False).order_by()
    return rows.aggregate(newest=Max("last_published_at"))["newest"]


def topic_counts(language):
    """``{topic translation key: stories}`` in the listing of ``language`` (the same
    fallback and visibility rules), in one query."""
    stories = news_for_locale(language, listing_data=False).values("pk")
    rows = (
        NewsPageTopic.objects.filter(page_id__in=Subquery(stories))
        .values_list("topic__translation_key")
        .annotate(stories=Count("page_id", distinct=True))
    )
    return dict(rows)
