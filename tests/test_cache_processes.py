"""Invalidation across real processes: two gunicorn workers, and two app servers on Redis.

Each test builds a fresh SQLite file, serves it with gunicorn and production settings on
loopback, reads until the page is cached (in the shared cache and each worker's memory
tier), publishes a change from a separate process, then checks that every following read
shows the change.
"""

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.servers import gunicorn, manage, migrated_site, redis_url

pytestmark = pytest.mark.slow  # gunicorn and manage.py subprocesses

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = redis_url()
URL_PATH = "/kk/zhanalyqtar/breaking/"

SETUP = """
from tests.factories import make_site, make_news
_home, index = make_site()
make_news(index, "Original headline", slug="breaking")
"""

PUBLISH = """
from news.models import NewsPage
page = NewsPage.objects.get(slug="breaking")
page.title = "Updated headline"
page.save_revision().publish()
"""


@pytest.fixture
def site_env(tmp_path):
    env = migrated_site(tmp_path)
    manage(env, "shell", "-c", SETUP)
    return env


def _fetch(url):
    """(status, X-Cache header, body); a fresh connection each time."""
    request = urllib.request.Request(url, headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("X-Cache"), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Cache"), ""


def _burst(url, count=40):
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda _i: _fetch(url), range(count)))


def _fill_caches(url, expected_misses, max_rounds=25):
    """Read until ``expected_misses`` cache fills were seen (one per worker process)."""
    misses = 0
    for _round in range(max_rounds):
        results = _burst(url)
        assert all(status == 200 for status, _x, _b in results)
        assert not any("Updated headline" in body for _s, _x, body in results)
        misses += sum(1 for _s, x_cache, _b in results if x_cache == "miss")
        if misses >= expected_misses:
            return misses
    pytest.fail(f"only {misses} of {expected_misses} worker caches filled")


def test_publish_is_seen_by_every_gunicorn_worker(site_env):
    with gunicorn(site_env, workers=2, quiet=True) as base:
        url = base + URL_PATH
        # The workers share the on-disk default cache: filled once (twice if both missed
        # at the same moment), then each also holds the answer in its own memory tier.
        assert _fill_caches(url, expected_misses=1) >= 1
        assert all(x_cache == "hit" for _s, x_cache, _b in _burst(url))
        manage(site_env, "shell", "-c", PUBLISH)
        after = _burst(url, count=60)
        assert all(status == 200 for status, _x, _b in after)
        assert all("Updated headline" in body for _s, _x, body in after)


def _redis_available():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.mark.skipif(not _redis_available(), reason="Redis is not running on 127.0.0.1:6379")
def test_publish_is_seen_by_two_app_servers_sharing_redis(site_env):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {**site_env, "REDIS_URL": REDIS_URL}
    try:
        with (
            gunicorn(env, workers=1, quiet=True) as first,
            gunicorn(env, workers=1, quiet=True) as second,
        ):
            # The shared cache is filled once, by whichever server answers first.
            assert _fill_caches(first + URL_PATH, expected_misses=1) == 1
            assert all(x == "hit" for _s, x, _b in _burst(second + URL_PATH))
            manage(env, "shell", "-c", PUBLISH)
            for base in (first, second, first, second):
                results = _burst(base + URL_PATH, count=20)
                assert all("Updated headline" in body for _s, _x, body in results)
            # The purge moved the shared generation (no server re-read the database to see it).
            keys = redis.Redis.from_url(REDIS_URL).keys("*newsdesk:generation")
            assert keys
    finally:
        redis.Redis.from_url(REDIS_URL).flushdb()


SETUP_OTHER = """
from tests.factories import make_site, make_news
_home, index = make_site()
make_news(index, "Other site's headline", slug="breaking")
"""


@pytest.mark.parametrize("shared", ["folder", "redis"])
def test_two_sites_on_two_databases_never_read_each_others_entries(tmp_path, shared):
    """Two sites, each its own database, over one cache folder or one Redis database: each
    shows its own story under the same URL (keys are namespaced by the database)."""
    cache_dir = tmp_path / "one-cache"
    envs = []
    for name, setup in (("first", SETUP), ("second", SETUP_OTHER)):
        (tmp_path / name).mkdir()
        if shared == "redis" and not _redis_available():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        env = migrated_site(tmp_path / name, NEWSDESK_CACHE_DIR=str(cache_dir))
        if shared == "redis":
            env["REDIS_URL"] = REDIS_URL
        manage(env, "shell", "-c", setup)
        envs.append(env)
    try:
        with (
            gunicorn(envs[0], workers=1, quiet=True) as first,
            gunicorn(envs[1], workers=1, quiet=True) as second,
        ):
            pairs = ((first, "Original headline", "Other site"), (second, "Other site", "Original"))
            for _round in range(3):
                for base, own, others in pairs:
                    status, _x_cache, body = _fetch(base + URL_PATH)
                    assert status == 200
                    assert own in body and others not in body, base
    finally:
        if shared == "redis":
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()
