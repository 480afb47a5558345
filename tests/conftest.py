import pytest
from django.core.cache import caches

from news import tagged_cache
from tests.factories import make_site


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # Browser tests and fuzzing start servers: they are ``slow`` too, so that
    # ``-m "not slow"`` (which replaces the ``-m`` of pyproject's addopts) leaves them out.
    for item in items:
        if item.get_closest_marker("e2e") or item.get_closest_marker("fuzz"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _clean_cache():
    # Each test has its own database, so no entry may survive one.
    for cache in caches.all():
        cache.clear()
    tagged_cache.local.clear()
    yield
    for cache in caches.all():
        cache.clear()
    tagged_cache.local.clear()


@pytest.fixture
def site_tree(db):
    """(home, news_index): a Kazakh site with ru and en locales ready."""
    return make_site()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
