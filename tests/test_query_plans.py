"""Listings stay flat as stories grow: SQLite's plans walk the date index and stop.

The bench measures the cost (docs/benchmarks.md); these tests pin the plans that make it
flat, with and without planner statistics, so that a change to the listing query that
makes the database sort every story fails here rather than in production.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from news import queries
from tests.factories import make_news, translate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner"),
]


def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[3] for row in cursor.fetchall()]


@pytest.fixture
def stories(site_tree):
    _home, index = site_tree
    translate(index, "ru")
    for number in range(12):
        story = make_news(index, f"Жаңалық {number}")
        if number % 2:
            translate(story, "ru")
    return index


@pytest.fixture(params=["no statistics", "after ANALYZE"])
def statistics(request, stories):
    if request.param == "after ANALYZE":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return request.param


def assert_walks_the_date_index(steps):
    assert steps[0] == "SCAN news_newspage USING INDEX newspage_date_id_desc", steps
    assert not any("TEMP B-TREE" in step for step in steps), steps
    # No step reads the page tree except by primary key or an index lookup.
    assert not any(step.startswith(("SCAN wagtailcore_page", "SCAN U")) for step in steps), steps


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_listing_walks_the_date_index(statistics, language):
    assert_walks_the_date_index(plan(queries.news_for_locale(language)[:20]))


def test_listing_of_one_index_and_without_fallback(statistics, stories):
    assert_walks_the_date_index(plan(queries.news_for_locale("ru", index=stories)[:20]))
    assert_walks_the_date_index(plan(queries.news_for_locale("ru", fallback=False)[:20]))


def test_view_restrictions_add_no_subquery(statistics, stories):
    PageViewRestriction.objects.create(
        page=stories.get_children().first(), restriction_type="password", password="x"
    )
    steps = plan(queries.news_for_locale("ru")[:20])
    assert_walks_the_date_index(steps)
    assert not any("pageviewrestriction" in step for step in steps), steps


def test_news_indexes_never_scan_the_page_tree(statistics):
    with CaptureQueriesContext(connection) as captured:
        found = queries.news_indexes(["ru", "kk"])
    assert [page.locale.language_code for page in found] == ["ru", "kk"]
    (sql,) = [q["sql"] for q in captured.captured_queries if "news_newsindex" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        steps = [row[3] for row in cursor.fetchall()]
    # From the content-type index (no statistics) or the small news_newsindex table.
    assert not any(step.startswith("SCAN wagtailcore_page") for step in steps), steps
