"""Listings stay flat as stories grow: SQLite's plans walk the date index and stop.

The bench measures the cost (docs/benchmarks.md); these tests pin the shape of the plans
that make it flat, with and without planner statistics, so that a change to the listing
query that makes the database sort every story fails here rather than in production.

The ``EXPLAIN QUERY PLAN`` rows are parsed into steps (loop over which table, through
which index; temporary b-trees; subqueries) and the tests assert on those, not on
SQLite's wording: the wording changes between SQLite versions ("SCAN TABLE t" became
"SCAN t", aliases are printed instead of table names), the plan's shape must not.
"""

import re
from dataclasses import dataclass

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

# "SCAN t", "SEARCH t", older "SCAN TABLE t AS a"; then an optional access path.
LOOP = re.compile(
    r"^(?P<action>SCAN|SEARCH) (?:TABLE )?(?P<name>\S+)(?: AS (?P<alias>\S+))?"
    r"(?: USING (?:(?P<covering>(?:AUTOMATIC )?(?:PARTIAL )?COVERING )?INDEX (?P<index>\S+)"
    r"|(?P<pk>(?:INTEGER )?PRIMARY KEY)))?"
)
TEMP_BTREE = re.compile(r"^USE TEMP B-TREE FOR (?P<purpose>.+)$")
# Django's table aliases: FROM "wagtailcore_page" U0, INNER JOIN "wagtailcore_locale" T3.
ALIAS = re.compile(r'(?:FROM|JOIN) "(?P<table>\w+)" (?:AS )?(?P<alias>[A-Z]\d+)\b')


@dataclass(frozen=True)
class Step:
    id: int
    parent: int
    detail: str
    action: str = ""  # SCAN, SEARCH, SORT (a temp b-tree) or "" (subquery headers, ...)
    table: str = ""  # the real table, aliases resolved
    index: str = ""  # index name, "PRIMARY KEY", or "" for a full table scan
    purpose: str = ""  # for a temp b-tree: "ORDER BY", "DISTINCT", "GROUP BY", ...


class Plan(list):
    """The parsed steps of one query plan, in SQLite's order (outer loops first)."""

    def loops(self):
        return [step for step in self if step.action in ("SCAN", "SEARCH")]

    def outer_loop(self):
        """The loop the main query drives: its first top-level SCAN or SEARCH."""
        return next(step for step in self.loops() if step.parent == 0)

    def scans_of(self, table):
        return [step for step in self.loops() if step.table == table and step.action == "SCAN"]

    def sorts(self):
        return [step for step in self if step.action == "SORT"]

    def tables(self):
        return {step.table for step in self.loops()}


def parse_plan(sql, rows):
    aliases = {match["alias"]: match["table"] for match in ALIAS.finditer(sql)}
    plan = Plan()
    for row_id, parent, _unused, detail in rows:
        step = Step(row_id, parent, detail)
        if loop := LOOP.match(detail):
            name = loop["name"]
            table = name if loop["alias"] else aliases.get(name, name)
            index = loop["index"] or ("PRIMARY KEY" if loop["pk"] else "")
            step = Step(row_id, parent, detail, loop["action"], table, index)
        elif sort := TEMP_BTREE.match(detail):
            step = Step(row_id, parent, detail, "SORT", purpose=sort["purpose"])
        elif detail.startswith(("SCAN", "SEARCH")):
            raise AssertionError(f"unparsed plan step: {detail!r}")
        plan.append(step)
    return plan


def explain(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return parse_plan(sql, cursor.fetchall())


def plan(queryset):
    return explain(*queryset.query.sql_with_params())


@pytest.fixture
def plan_stories(site_tree):
    _home, index = site_tree
    translate(index, "ru")
    for number in range(12):
        story = make_news(index, f"Жаңалық {number}")
        if number % 2:
            translate(story, "ru")
    return index


@pytest.fixture(params=["no statistics", "after ANALYZE"])
def statistics(request, plan_stories):
    if request.param == "after ANALYZE":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return request.param


def assert_walks_the_date_index(steps):
    outer = steps.outer_loop()
    # The outer loop reads news_newspage in (date, id) order and can stop after the page.
    assert (outer.table, outer.index) == ("news_newspage", "newspage_date_id_desc"), steps
    # No temporary b-tree: nothing sorts (or de-duplicates) every story.
    assert not steps.sorts(), steps
    # The page tree is reached by primary key or an index lookup, never scanned.
    assert not steps.scans_of("wagtailcore_page"), steps


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_listing_walks_the_date_index(statistics, language):
    assert_walks_the_date_index(plan(queries.news_for_locale(language)[:20]))


def test_listing_of_one_index_and_without_fallback(statistics, plan_stories):
    assert_walks_the_date_index(plan(queries.news_for_locale("ru", index=plan_stories)[:20]))
    assert_walks_the_date_index(plan(queries.news_for_locale("ru", fallback=False)[:20]))


def test_view_restrictions_add_no_subquery(statistics, plan_stories):
    PageViewRestriction.objects.create(
        page=plan_stories.get_children().first(), restriction_type="password", password="x"
    )
    steps = plan(queries.news_for_locale("ru")[:20])
    assert_walks_the_date_index(steps)
    assert "wagtailcore_pageviewrestriction" not in steps.tables(), steps


def test_news_indexes_never_scan_the_page_tree(statistics):
    with CaptureQueriesContext(connection) as captured:
        found = queries.news_indexes(["ru", "kk"])
    assert [page.locale.language_code for page in found] == ["ru", "kk"]
    (sql,) = [q["sql"] for q in captured.captured_queries if "news_newsindex" in q["sql"]]
    steps = explain(sql)
    # From the content-type index (no statistics) or the small news_newsindex table.
    assert not steps.scans_of("wagtailcore_page"), steps


def test_a_listing_that_sorts_every_story_fails_the_check(plan_stories):
    """The checks can fail: ordered by title, SQLite must sort all stories in a b-tree."""
    steps = plan(queries.news_for_locale("ru").order_by("title")[:20])
    assert "ORDER BY" in {step.purpose for step in steps.sorts()}, steps
    with pytest.raises(AssertionError):
        assert_walks_the_date_index(steps)


def test_aliases_resolve_to_their_tables():
    """The subquery's ``U0`` is the page tree: a scan of it would be caught."""
    sql = 'SELECT 1 FROM "news_newspage" WHERE EXISTS(SELECT 1 FROM "wagtailcore_page" U0)'
    steps = parse_plan(sql, [(2, 0, 0, "SCAN news_newspage"), (5, 2, 0, "SCAN U0")])
    assert [(s.action, s.table, s.index) for s in steps.loops()] == [
        ("SCAN", "news_newspage", ""),
        ("SCAN", "wagtailcore_page", ""),
    ]
    assert steps.scans_of("wagtailcore_page")
    old_style = parse_plan(sql, [(2, 0, 0, "SCAN TABLE wagtailcore_page AS U0 USING INDEX x")])
    assert (old_style[0].table, old_style[0].index) == ("wagtailcore_page", "x")
