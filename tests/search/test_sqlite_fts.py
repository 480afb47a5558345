"""On SQLite the match goes through FTS5 (kept by triggers); LIKE matching is the fallback."""

import pytest
from django.db import connection

from search import query
from search.models import SearchEntry
from search.query import search_news
from tests.factories import make_news

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def test_fts_table_follows_insert_update_delete(site_tree):
    _home, index = site_tree
    assert query.sqlite_fts_available()
    page = make_news(index, "Жапония", lead="Кездесу")

    def fts(term):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s", [f'"{term}"']
            )
            return [row[0] for row in cursor.fetchall()]

    entry = SearchEntry.objects.get(page=page)
    assert fts("жапония") == [entry.pk]
    page.title = "Қытай"
    page.body = []
    page.save_revision().publish()  # UPDATE
    assert fts("жапония") == [] and fts("қытай") == [entry.pk]
    page.unpublish()  # DELETE
    assert fts("қытай") == []
    page.save_revision().publish()  # INSERT
    new_entry = SearchEntry.objects.get(page=page)
    page.delete()  # cascade DELETE
    assert fts("қытай") == [] and not SearchEntry.objects.filter(pk=new_entry.pk).exists()


def test_search_uses_fts_and_like_fallback_agrees(site_tree, monkeypatch):
    _home, index = site_tree
    make_news(index, "Жапония елшісі", lead="Toyota орталығы")
    make_news(index, "Жапонияда жаңа орталық", lead="Инвестиция")
    make_news(index, "Қытай", lead="Басқа")
    queries = ["Жапонияға", "жапония toyota", "орталықтың", "Қытайдан", "пингвин"]
    sql = str(search_news("Жапонияға", "kk").query)
    assert "MATCH" in sql
    with_fts = {q: [p.pk for p in search_news(q, "kk")] for q in queries}
    monkeypatch.setattr(query, "sqlite_fts_available", lambda: False)
    assert "MATCH" not in str(search_news("Жапонияға", "kk").query)
    with_like = {q: [p.pk for p in search_news(q, "kk")] for q in queries}
    assert with_fts == with_like
    assert [len(with_fts[q]) for q in queries] == [2, 1, 2, 1, 0]
