import os

import pytest
from django.core.cache import caches
from django.test import TransactionTestCase

import tests.factories as factories
from news import tagged_cache
from tests.factories import make_site
from tests.module_rows import module_rows, rows_for_test
from tests.syndication import build_newsroom

DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def touches_a_database(item):
    """Whether a test can give another answer on another database: it uses the test
    database, or it is ``slow`` (it starts servers, whose sites follow the suite's
    ``DATABASE_URL``: tests/servers.py ``migrated_site``), unless it is marked
    ``database_incidental`` (its subject is elsewhere: Redis's keys, a cache's restart)."""
    if item.get_closest_marker("database_incidental") is not None:
        return False
    test_case = getattr(item, "cls", None)
    return (
        bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))
        or (test_case is not None and issubclass(test_case, TransactionTestCase))
        or item.get_closest_marker("django_db") is not None
        or item.get_closest_marker("slow") is not None
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # Browser tests and fuzzing start servers: they are ``slow`` too, so that
    # ``-m "not slow"`` (which replaces the ``-m`` of pyproject's addopts) leaves them out.
    for item in items:
        if item.get_closest_marker("e2e") or item.get_closest_marker("fuzz"):
            item.add_marker(pytest.mark.slow)
    # CI's second run (PostgreSQL) sets TESTS_DATABASE_ONLY: a test that touches no
    # database (catalogues, transliteration, checks of settings) gave its answer in the
    # SQLite run already, and would give the same one again.
    if os.environ.get("TESTS_DATABASE_ONLY"):
        skip = pytest.mark.skip(reason="touches no database: run once, by make test")
        for item in items:
            if not touches_a_database(item):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database; its copy, made before any test uses it, is the
    template of the sites the server tests start (tests/servers.py ``migrated_site``)."""
    from tests.servers import keep_test_database_as_template

    with django_db_blocker.unblock():
        keep_test_database_as_template()


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
def site_tree(request, db):
    """(home, news_index): a Kazakh site with ru and en locales ready (the newsroom's,
    when the test has one)."""
    if "newsroom" in request.fixturenames:
        room = request.getfixturevalue("newsroom")
        return room.home, room.index
    return make_site()


@pytest.fixture
def editor(client, django_user_model):
    """The test client, logged in as a superuser ("editor")."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


# --- The translated sites: one shape per name ------------------------------------------


@pytest.fixture
def ru_site(site_tree):
    """(home, index, ru_home, ru_index): home and news index translated into Russian, with
    Russian words (/ru/novosti/)."""
    home, index = site_tree
    ru_home = factories.translate(home, "ru", strings={"Басты бет": "Главная"})
    ru_index = factories.translate(
        index, "ru", strings={"Жаңалықтар": "Новости", "zhanalyqtar": "novosti"}
    )
    return home, index, ru_home, ru_index


_newsroom_rows = module_rows(lambda: build_newsroom(*make_site()))


@pytest.fixture
def newsroom(_newsroom_rows, db, settings):
    """The syndication newsroom (tests/syndication.py): stories in every state a feed,
    a sitemap or the SEO tags must tell apart. Built once per module (wagtail-localize
    makes each translation in hundreds of queries): tests/module_rows.py."""
    return rows_for_test(_newsroom_rows, settings)


@pytest.fixture
def ru_en_site(site_tree):
    """(home, index): home and news index published in ru and en, their text marked
    ``[ru] …``/``[en] …`` (the factories' placeholder translations)."""
    home, index = site_tree
    for language in ("ru", "en"):
        factories.translate(home, language)
        factories.translate(index, language)
    return home, index


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
