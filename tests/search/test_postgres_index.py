"""On PostgreSQL the match goes through the GIN index on the 'simple' tsvector."""

import pytest
from django.db import connection

from search import analysis
from search.query import postgres_matching_entries, search_news
from tests.factories import make_news

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search only"
)


def test_gin_index_exists_and_answers_the_match(site_tree):
    _home, index = site_tree
    page = make_news(index, "Жапония")
    terms = {code: analysis.query_terms("Жапонияға", code) for code in ("kk", "ru", "en")}
    entries = postgres_matching_entries(terms)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_terms_gin'")
        (definition,) = cursor.fetchone()
        assert "gin" in definition and "to_tsvector" in definition
        sql, params = entries.query.sql_with_params()
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # The query's expression is the index's expression, so the planner can use it.
    assert "Bitmap Index Scan on search_entry_terms_gin" in plan, plan
    assert [row["page_id"] for row in entries] == [page.pk]
    assert [p.pk for p in search_news("Жапонияға", "kk")] == [page.pk]
