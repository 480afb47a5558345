"""Querysets of the news content: what readers may see, in which language, in what order.

Wagtail's own pattern (``live()``, ``public()`` on ``PageQuerySet``): the rules are
queryset methods, so every caller (delivery rules, surfaces, search) chains them
instead of repeating them. ``NewsPage.objects`` is a ``NewsPageQuerySet``; the
module-level functions serve queries over ``Page`` and other page types.
"""

from django.apps import apps
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, Value, When
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from news.content_version import memoize
from news.renditions import image_prefetch


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


def with_listing_data(qs):
    """Everything a listing item shows, loaded in a fixed number of queries."""
    return qs.select_related("locale").prefetch_related(
        Prefetch(
            "topic_links",
            # By name: news.models imports this module for NewsPage's manager.
            queryset=apps.get_model("news", "NewsPageTopic")
            .objects.select_related("topic")
            .order_by("sort_order"),
        ),
        Prefetch(
            "author_links",
            queryset=apps.get_model("news", "NewsPageAuthor")
            .objects.select_related("author__locale")
            .order_by("sort_order"),
        ),
        image_prefetch("image"),
    )


class NewsPageQuerySet(PageQuerySet):
    """``NewsPage.objects``: Wagtail's page queryset with the newsroom's rules."""

    def visible(self):
        """Live pages that anonymous readers may see (not under a view restriction)."""
        return self.live().exclude(private_q())

    def in_best_language(self, chain):
        """One row per story: its version in the best language of ``chain``."""
        return in_best_language(self, chain)

    def for_listing(self):
        """Newest first, with everything a listing item shows, in a fixed number of queries."""
        return with_listing_data(self).order_by(*LISTING_ORDER)
