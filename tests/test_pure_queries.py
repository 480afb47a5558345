"""Queries and querysets know nothing of caching (issue 26 item 4).

The import-linter contract in pyproject.toml keeps news.tagged_cache, news.cache_keys,
news.caching and news.fragments out of news.queries and news.querysets; it can only
forbid a whole external package, so Django's cache is checked here. Building and running
a query registers no cache key: the surfaces that show an answer declare them.
"""

import ast
from pathlib import Path

import pytest

from news import cache_keys, presentation, queries
from tests.factories import NewsTopicFactory, make_news

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("module", ["news/queries.py", "news/querysets.py"])
def test_no_cache_import(module):
    tree = ast.parse((ROOT / module).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for name in imported if name and name.startswith("django.core.cache")}


@pytest.mark.django_db
def test_queries_register_no_keys_and_the_surface_declares_them(site_tree):
    _home, index = site_tree
    topic = NewsTopicFactory(name="Саясат", slug="sayasat")
    page = make_news(index, "Бірінші жаңалық", topics=[topic])
    with cache_keys.collect() as collected:
        list(queries.news_for_locale("kk"))
        queries.translations_of(page)
        list(queries.other_news_pages(page, "kk"))
    assert not collected.hard and not collected.soft
    with cache_keys.collect() as collected:
        list(presentation.listing("kk", topic=topic))
    assert collected.hard == {cache_keys.listing("kk", "topic", topic.translation_key)}
