"""Page-number pagination whose cost does not grow with the number of stories.

The page is a plain LIMIT/OFFSET query, which the database answers by walking the
date index and stopping after ``page_size`` rows. The total is a ``count()`` that
must visit every matching story, so it is memoised per content version
(``news.presentation.memoized_count``): it is computed once after each publish, not per request.
A window count (``COUNT(*) OVER ()``) in the page query looked cheaper (one query)
but makes the database materialise every matching row before LIMIT — 80–90% of a
request at 3,000 stories (docs/benchmarks.md).
"""

from django.utils.translation import gettext as _
from rest_framework.utils.urls import remove_query_param, replace_query_param

from news.api.errors import ParameterError
from news.presentation import memoized_count, memoized_ids


def paginate(queryset, page, page_size, key=None, memoize_count=True):
    """``(rows, count)`` of ``page`` (1-based) of ``queryset`` (or a list); ParameterError when
    the page is past the end.

    ``key`` (naming the listing and its filters): the page's ids, memoised
    (``presentation.memoized_ids``), instead of its rows. ``memoize_count=False`` for free text
    (search ``q``): one count per query kept would fill the cache (issue 27 #7).
    """
    offset = (page - 1) * page_size
    if isinstance(queryset, list):  # already in memory (the corrections)
        rows, count = queryset[offset : offset + page_size], len(queryset)
    else:
        if key is None:
            rows = list(queryset[offset : offset + page_size])
        else:
            rows = memoized_ids(queryset, offset, page_size, key)
        count = memoized_count(queryset, key) if memoize_count else queryset.count()
    if rows or page == 1:
        return rows, count
    last = max(1, -(-count // page_size))
    raise ParameterError(
        [
            (
                "page",
                _("Page %(page)s is past the last page (%(last)s).") % {"page": page, "last": last},
            )
        ]
    )


def page_links(request, page, page_size, count):
    """``(next, previous)`` absolute URLs, or None at either end."""
    url = request.build_absolute_uri()
    next_url = None
    if page * page_size < count:
        next_url = replace_query_param(url, "page", page + 1)
    previous_url = None
    if page > 1:
        previous_url = (
            remove_query_param(url, "page")
            if page == 2
            else replace_query_param(url, "page", page - 1)
        )
    return next_url, previous_url
