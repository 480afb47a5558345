"""Querysets of the news content: what readers may see, in which language, in what order.

Wagtail's own pattern (``live()``, ``public()`` on ``PageQuerySet``): the rules are
queryset methods, so every caller (delivery rules, surfaces, search) chains them
instead of repeating them. ``NewsPage.objects`` is a ``NewsPageQuerySet``; the
module-level functions serve queries over ``Page`` and other page types.
"""

from django.apps import apps
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.query import ModelIterable
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from news import i18n
from news.content_version import memoize
from news.renditions import attach_images, image_prefetch


def restricted_paths():
    """Tree paths of the pages that carry a view restriction (password, login or groups).

    One small query, memoised per content version: saving or deleting a restriction
    and moving a page bump that version (news.caching.invalidation), so a change is seen at once.
    """
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


# Newest first. Both columns are NewsPage's own, so one index (date, page_ptr_id), both
# descending, serves the order and the database reads only the rows it returns.
LISTING_ORDER = ("-date", "-page_ptr_id")


# Listing rows carry one flag per configured language: "a visible version exists".
AVAILABLE_FLAG = "newsdesk_in_language_%d"


def available_language_flags():
    """Annotations: for each configured language, whether the story is visible in it.

    A correlated EXISTS per language over the (translation_key, locale) index, evaluated
    for the rows of one page only: a listing learns which languages each story exists
    in without a query of its own (see :func:`flagged_languages`).
    """
    return {
        AVAILABLE_FLAG % position: Exists(
            visible_pages().filter(
                translation_key=OuterRef("translation_key"), locale__language_code=code
            )
        )
        for position, code in enumerate(i18n.language_codes())
    }


def flagged_languages(page):
    """The language codes ``available_language_flags`` found for ``page``, or None."""
    if not hasattr(page, AVAILABLE_FLAG % 0):
        return None
    return {
        code
        for position, code in enumerate(i18n.language_codes())
        if getattr(page, AVAILABLE_FLAG % position, False)
    }


class JoinedText(Aggregate):
    """The texts of a group joined with commas: SQLite's GROUP_CONCAT, PostgreSQL's STRING_AGG.

    Django 5.2 has no portable string aggregate (``StringAgg`` is PostgreSQL's only).
    """

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _text(field):
    return Cast(field, output_field=CharField())


def linked(link_model, value):
    """A correlated subquery: the ``value`` of each ``link_model`` row of the page, in order.

    ``"sort_order:id:value,…"``, read back by :func:`linked_values`. A listing row then
    carries its topic ids (the topics themselves come from a memoised table) instead of
    costing a prefetch query per relation.
    """
    links = (
        apps.get_model("news", link_model)
        .objects.filter(page=OuterRef("pk"))
        .order_by()
        .values("page")
        .annotate(
            joined=JoinedText(
                Concat(
                    _text(Coalesce("sort_order", Value(0))),
                    Value(":"),
                    _text("pk"),
                    Value(":"),
                    _text(value),
                    output_field=CharField(),
                )
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


# Annotations of rows read by news.presentation: topic ids, curated stories' keys.
TOPIC_IDS = "newsdesk_topic_ids"
CURATED_KEYS = "newsdesk_curated_keys"


def with_reading_data(qs):
    """A story as an article shows it: its topic ids and curated stories, no extra query."""
    return qs.annotate(
        **{
            TOPIC_IDS: linked("NewsPageTopic", "topic_id"),
            CURATED_KEYS: linked("NewsPageRelated", "related_page__translation_key"),
        }
    )


def with_listing_data(qs):
    """Everything a listing item shows, loaded in a fixed number of queries."""
    qs = qs.select_related("locale").annotate(
        **available_language_flags(), **{TOPIC_IDS: linked("NewsPageTopic", "topic_id")}
    )
    if isinstance(qs, NewsPageQuerySet):
        qs = qs.with_hero_images()
    else:
        qs = qs.prefetch_related(image_prefetch("image"))
    return qs.prefetch_related(
        Prefetch(
            "author_links",
            queryset=apps.get_model("news", "NewsPageAuthor")
            .objects.select_related("author__locale")
            .order_by("sort_order"),
        ),
    )


class NewsPageQuerySet(PageQuerySet):
    """``NewsPage.objects``: Wagtail's page queryset with the newsroom's rules."""

    _hero_images = False

    def _clone(self):
        clone = super()._clone()
        clone._hero_images = self._hero_images
        return clone

    def with_hero_images(self):
        """The hero images come with their renditions in one query (news.renditions)."""
        clone = self._chain()
        clone._hero_images = True
        return clone

    def prefetch_related(self, *lookups):
        clone = super().prefetch_related(*lookups)
        if lookups == (None,):
            clone._hero_images = False
        return clone

    def _prefetch_related_objects(self):
        super()._prefetch_related_objects()
        if self._hero_images and self._iterable_class is ModelIterable:
            attach_images(self._result_cache)

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
