"""Page-number pagination that counts and fetches a page in ONE query.

The total comes from a window function (``COUNT(*) OVER ()``) computed on the
filtered rows before LIMIT/OFFSET, so a listing costs one query for rows and
count together. Only a page past the end needs a second query (to say how many
pages there are, in the 400 answer).
"""

from django.db.models import Count, Window
from django.utils.translation import gettext as _
from rest_framework.utils.urls import remove_query_param, replace_query_param

from news.api.errors import ParameterError


def paginate(queryset, page, page_size):
    """``(rows, count)`` of ``page`` (1-based); ParameterError when the page is past the end."""
    offset = (page - 1) * page_size
    rows = list(queryset.annotate(total_count=Window(Count("pk")))[offset : offset + page_size])
    if rows:
        return rows, rows[0].total_count
    if page == 1:
        return rows, 0
    count = queryset.count()
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
