"""Querysets of the news content: what readers may see, in which language, in what order.

Wagtail's own pattern (``live()``, ``public()`` on ``PageQuerySet``): the rules are
queryset methods, so every caller (delivery rules, surfaces, search) chains them
instead of repeating them. ``NewsPage.objects`` is a ``NewsPageQuerySet``; the
module-level functions serve queries over ``Page`` and other page types.
"""

import functools

from django.apps import apps
from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    Exists,
    Expression,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from news import reference
from news.image_rights import rights_changed
from news.renditions import image_prefetch, images_with_renditions


def restricted_paths():
    """Tree paths of the pages that carry a view restriction (password, login or groups).

    One small query, read as reference data (news.reference: the cache keeps it until a
    site-wide change; saving or deleting a restriction is one, news.caching.invalidation).
    """
    return reference.read(
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


def is_visible(page):
    """Whether anonymous readers see ``page`` (loaded): the rule of ``visible_pages``."""
    return page.live and not any(page.path.startswith(path) for path in restricted_paths())


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


def in_best_language(queryset, chain, versions=None):
    """Keep, for each story, only its version in the best language of ``chain``.

    ``i18n.best_version``'s rule in SQL. A row survives when its language is in ``chain``
    and none of ``versions`` (default: the visible pages) of the same story exists in a
    better one: a filter in SQL, so counts and pagination stay exact.
    Written as one rank comparison rather than an OR per language, so that neither
    SQLite nor PostgreSQL drives the query from the locale index: both walk the
    (date, id) index of NewsPage and stop after one page of rows, whatever the
    number of stories.
    """
    queryset = in_languages(queryset, chain)
    if len(chain) == 1:
        return queryset
    if versions is None:
        return queryset.exclude(_better_visible_version(tuple(chain), restricted_paths()))
    return queryset.exclude(_better_version(versions, chain))


def _better_version(versions, chain):
    """A condition: one of ``versions`` of the row's story is in a better language of
    ``chain`` than the row (its ``language_rank``)."""
    better = (
        versions.filter(translation_key=OuterRef("translation_key"))
        .alias(rank=language_rank(chain))
        .filter(rank__lt=OuterRef("language_rank"))
    )
    return Exists(better)


@functools.lru_cache(maxsize=64)
def _better_visible_version(chain, _restricted):
    """``_better_version`` among the visible pages, built once per process for each chain
    and set of restricted paths (``visible_pages`` reads them), not for every listing:
    Django copies it into each query that uses it."""
    return _better_version(visible_pages(), chain)


# Newest first. Both columns are NewsPage's own, so one index (date, page_ptr_id), both
# descending, serves the order and the database reads only the rows it returns.
LISTING_ORDER = ("-date", "-page_ptr_id")


# Listing rows carry the languages their story is visible in, and when it last changed.
AVAILABLE_LANGUAGES = "newsdesk_languages"
STORY_CHANGED = "newsdesk_story_changed"


def available_language_flags():
    """An annotation: the codes of the languages the story is visible in, joined.

    One correlated subquery over the (translation_key, locale) index, evaluated for the
    rows of one page only: a listing learns which languages each story exists in without
    a query of its own (see :func:`flagged_languages`).
    """
    return dict(_language_flags(restricted_paths()))


@functools.lru_cache(maxsize=16)
def _language_flags(_restricted):
    """``available_language_flags`` for one set of restricted paths (``visible_pages``'s
    rule reads them): built once per process and set, not for every listing. A built
    subquery can serve many queries: Django copies it into each (``resolve_expression``)."""
    versions = (
        visible_pages()
        .filter(translation_key=OuterRef("translation_key"))
        .order_by()
        .values("translation_key")
        .annotate(codes=JoinedText("locale__language_code"))
        .values("codes")
    )
    # The latest publish among the story's versions: a translation published changes the
    # others' ``available_locales`` (the API's Last-Modified, news.api.items).
    # An aggregate, not ORDER BY … LIMIT 1: no sort per row (tests/test_query_plans.py).
    changed = (
        visible_pages()
        .filter(translation_key=OuterRef("translation_key"))
        .order_by()
        .values("translation_key")
        .annotate(newest=Max("last_published_at"))
        .values("newest")
    )
    return {
        AVAILABLE_LANGUAGES: Subquery(versions, output_field=TextField()),
        STORY_CHANGED: Subquery(changed),
    }


def story_changed_at(page):
    """When what a listing item of ``page`` shows last changed, as a timestamp (or None):
    the latest publish among its story's versions (the listing's annotation, else the
    page's own), or its hero image's credit and licence edited since (news.image_rights)."""
    times = [
        getattr(page, STORY_CHANGED, None) or getattr(page, "last_published_at", None),
        rights_changed(getattr(page, "image", None)),
    ]
    times = [time for time in times if time is not None]
    return int(max(times).timestamp()) if times else None


def flagged_languages(page):
    """The language codes ``available_language_flags`` found for ``page``, or None."""
    if not hasattr(page, AVAILABLE_LANGUAGES):
        return None
    return set(filter(None, (getattr(page, AVAILABLE_LANGUAGES) or "").split(",")))


class JoinedText(Aggregate):
    """The texts of a group joined with commas: SQLite's GROUP_CONCAT, PostgreSQL's STRING_AGG.

    Django 5.2 has no portable string aggregate (``StringAgg`` is PostgreSQL's only).
    """

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


class InAnyOf(Expression):
    """A condition: ``field`` is in one of the uncorrelated ``subqueries``' rows.

    ``field IN (a) OR field IN (b) …`` on SQLite, whose planner turns it into one index
    lookup per list (MULTI-INDEX OR). PostgreSQL plans that OR as a scan of every row
    with hashed subplans (47 ms at 3,000 stories for "other news", growing with the
    archive), so there it is ``field = ANY(ARRAY(a) || ARRAY(b) …)``: each list is read
    once, and the rows come from the field's index. Hand-written: Django has no such
    lookup.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, field, *subqueries):
        super().__init__()
        self.column = F(field)
        self.subqueries = [Subquery(query) for query in subqueries]

    def get_source_expressions(self):
        return [self.column, *self.subqueries]

    def set_source_expressions(self, expressions):
        self.column, *self.subqueries = expressions

    def as_sql(self, compiler, connection):
        field_sql, field_params = compiler.compile(self.column)
        parts, params = [], []
        for query in self.subqueries:
            sql, query_params = compiler.compile(query)
            parts.append(f"{field_sql} IN {sql}")
            params += [*field_params, *query_params]
        return "(" + " OR ".join(parts) + ")", params

    def as_postgresql(self, compiler, connection):
        field_sql, params = compiler.compile(self.column)
        arrays = []
        for query in self.subqueries:
            sql, query_params = compiler.compile(query)
            arrays.append(f"ARRAY{sql}")
            params = [*params, *query_params]
        return f"{field_sql} = ANY({' || '.join(arrays)})", params


class JoinedParts(Expression):
    """Text: ``parts`` one after the other, each expression as text (NULL as ''), each
    ``str`` as it is; what ``Concat(Cast(a), Value(":"), Cast(b)…)`` writes.

    Hand-written for its cost: ``Concat`` builds a pair of expressions per part, and a
    ``Cast`` (and on SQLite a ``COALESCE``) node per column, all of which Django resolves
    and compiles again for every query that annotates them (a tenth of the build of an
    article's "other news" query); this is one node per column.
    """

    output_field = TextField()

    def __init__(self, *parts):
        super().__init__()
        self.parts = list(parts)

    def get_source_expressions(self):
        return [part for part in self.parts if not isinstance(part, str)]

    def set_source_expressions(self, expressions):
        given = iter(expressions)
        self.parts = [part if isinstance(part, str) else next(given) for part in self.parts]

    def as_sql(self, compiler, connection):
        sql, params = [], []
        for part in self.parts:
            if isinstance(part, str):
                sql.append("%s")
                params.append(part)
            else:
                part_sql, part_params = compiler.compile(part)
                sql.append(f"COALESCE(CAST({part_sql} AS TEXT), '')")
                params.extend(part_params)
        return "(" + " || ".join(sql) + ")", params


@functools.cache
def linked(link_model, *values):
    """A correlated subquery: the ``values`` of each ``link_model`` row of the page, in order.

    ``"sort_order:id:value[/value…],…"``, read back by :func:`linked_values`. A listing
    row then carries its topic ids (the topics themselves come from a memoised table)
    instead of costing a prefetch query per relation. Built once per process (it depends
    on nothing else): Django copies it into each query that uses it.
    """
    parts = [F(values[0])]
    for value in values[1:]:
        parts += ["/", F(value)]
    links = (
        apps.get_model("news", link_model)
        .objects.filter(page=OuterRef("pk"))
        .order_by()
        .values("page")
        .annotate(
            joined=JoinedText(
                JoinedParts(Coalesce("sort_order", Value(0)), ":", F("pk"), ":", *parts)
            )
        )
        .values("joined")
    )
    return Subquery(links, output_field=TextField())


def linked_values(joined):
    """The values of a :func:`linked` annotation, in the links' order (``sort_order``, id)."""
    rows = []
    for item in (joined or "").split(","):
        sort_order, pk, value = item.split(":", 2) if item.count(":") >= 2 else (0, 0, "")
        if value:
            rows.append((int(sort_order), int(pk), value))
    return [value for _sort, _pk, value in sorted(rows)]


# Annotations of rows read by news.presentation: topic ids, authors (and their photos),
# curated stories' keys.
TOPIC_IDS = "newsdesk_topic_ids"
AUTHORS = "newsdesk_authors"  # "author id/photo id" of each author
CURATED_KEYS = "newsdesk_curated_keys"


def _item_links():
    return {
        TOPIC_IDS: linked("NewsPageTopic", "topic_id"),
        AUTHORS: linked("NewsPageAuthor", "author_id", "author__image_id"),
    }


def author_ids(page):
    """The ids of ``page``'s authors, in order, from its annotation (None without one)."""
    if not hasattr(page, AUTHORS):
        return None
    return [int(value.split("/")[0]) for value in linked_values(getattr(page, AUTHORS))]


def author_image_ids(page):
    """The ids of the photos of ``page``'s authors, from its annotation (empty without one)."""
    ids = set()
    for value in linked_values(getattr(page, AUTHORS, None)):
        photo = value.split("/")[1] if "/" in value else ""
        if photo.isdigit():
            ids.add(int(photo))
    return ids


def with_reading_data(qs):
    """A story as an article shows it: topic ids, authors, curated stories, no extra query."""
    return qs.annotate(
        **_item_links(),
        **{CURATED_KEYS: linked("NewsPageRelated", "related_page__translation_key")},
    )


def with_listing_data(qs):
    """Everything a listing item shows, loaded in a fixed number of queries."""
    qs = qs.select_related("locale").annotate(**available_language_flags(), **_item_links())
    if isinstance(qs, NewsPageQuerySet):
        return qs.with_hero_images()
    return qs.prefetch_related(image_prefetch("image"))


def attach_item_images(pages):
    """Hero images and the authors' photos of ``pages``, with renditions, in one query.

    Each page keeps the loaded images as ``newsdesk_images`` (the authors' photos are
    taken from there, news.queries.authors_of).
    """
    ids = {page.image_id for page in pages}
    for page in pages:
        ids |= author_image_ids(page)
    images = images_with_renditions(ids)
    for page in pages:
        if page.image_id:
            page.image = images.get(page.image_id)
        page.newsdesk_images = images
    return images


class NewsPageQuerySet(PageQuerySet):
    """``NewsPage.objects``: Wagtail's page queryset with the newsroom's rules."""

    _hero_images = False

    def _clone(self):
        clone = super()._clone()
        clone._hero_images = self._hero_images
        return clone

    def with_hero_images(self):
        """Hero images and authors' photos come with renditions in one query (news.renditions)."""
        clone = self._chain()
        clone._hero_images = True
        return clone

    def prefetch_related(self, *lookups):
        clone = super().prefetch_related(*lookups)
        if lookups == (None,):
            clone._hero_images = False
        return clone

    def _fetch_all(self):
        loading = self._result_cache is None
        super()._fetch_all()
        if loading and self._hero_images and self._iterable_class is ModelIterable:
            attach_item_images(self._result_cache)

    def visible(self):
        """Live pages that anonymous readers may see (not under a view restriction)."""
        return self.live().exclude(private_q())

    def in_best_language(self, chain):
        """One row per story: its version in the best language of ``chain``."""
        return in_best_language(self, chain)

    def for_reading(self):
        """What an article shows besides its own fields, as annotations (``with_reading_data``)."""
        return with_reading_data(self)

    def for_listing(self):
        """Newest first, with everything a listing item shows, in a fixed number of queries."""
        return with_listing_data(self).order_by(*LISTING_ORDER)
