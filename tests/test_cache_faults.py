"""Fresh under faults: a publish made while Redis is down is seen within the bound.

Real parts only: a ``redis-server`` of the test's own (AOF on) that the test kills and
restarts, gunicorn with two workers and production settings, and the publish made by
``manage.py shell``, by the task worker (a scheduled revision going live) and by the
admin's edit view (its publish action, through Django's test client in a process of its
own). docs/reliability.md states the bound: after Redis answers again, no reader gets
the older version more than ``BOUND`` seconds later; while it is down, every read works.
"""

import shutil
import time
import urllib.error
import urllib.request

import pytest

from tests.servers import RedisServer, gunicorn, manage, migrated_site, worker

pytestmark = pytest.mark.slow  # redis-server, gunicorn and manage.py subprocesses

BOUND = 10  # seconds (docs/reliability.md): NEWSDESK_PURGE_RECHECK_SECONDS (5) plus slack
URL_PATHS = ("/kk/zhanalyqtar/breaking/", "/api/v1/news/?locale=kk")

SETUP = """
from tests.factories import make_site, make_news
_home, index = make_site()
make_news(index, "Original headline", slug="breaking")
"""

PUBLISH_SHELL = """
from news.models import NewsPage
page = NewsPage.objects.get(slug="breaking")
page.title = "Updated headline"
page.save_revision().publish()
"""

SCHEDULE = """
from datetime import timedelta
from django.utils import timezone
from news.models import NewsPage
page = NewsPage.objects.get(slug="breaking")
page.title = "Updated headline"
page.save_revision(approved_go_live_at=timezone.now() + timedelta(seconds=1))
"""

PUBLISH_ADMIN = """
from django.contrib.auth import get_user_model
from django.test import Client
from news.models import NewsPage
from tests.factories import edit_form_data
user = get_user_model().objects.create_superuser("chief", "chief@example.com", "pw")
client = Client(HTTP_HOST="localhost")
client.force_login(user)
page = NewsPage.objects.get(slug="breaking")
data = edit_form_data(page, title="Updated headline")
data["action-publish"] = "action-publish"
response = client.post(f"/admin/pages/{page.pk}/edit/", data)
assert response.status_code == 302, response.content[:800]
assert NewsPage.objects.get(pk=page.pk).title == "Updated headline"
"""


def _fetch(url):
    """(status, body); a fresh connection each time."""
    request = urllib.request.Request(url, headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def _read_all(base, count=6):
    return [_fetch(base + path) for path in URL_PATHS for _n in range(count)]


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.kill()


@pytest.fixture
def site_env(tmp_path, redis_server):
    env = {
        **migrated_site(tmp_path),
        "REDIS_URL": redis_server.url,
        "TASKS_BACKEND": "database",
        # A shorter first timeout than production's 1 s: reads while Redis is down.
        "NEWSDESK_SCHEDULE_INTERVAL": "1",
    }
    manage(env, "shell", "-c", SETUP)
    return env


def _publish(env, how):
    if how == "shell":
        manage(env, "shell", "-c", PUBLISH_SHELL)
    elif how == "admin":
        manage(env, "shell", "-c", PUBLISH_ADMIN)
    else:  # the task worker publishes a revision whose go-live time has come
        manage(env, "shell", "-c", SCHEDULE)
        with worker(env):
            deadline = time.monotonic() + 60
            check = "from news.models import NewsPage; print(NewsPage.objects.get(slug='breaking'))"
            while "Updated headline" not in manage(env, "shell", "-c", check):
                assert time.monotonic() < deadline, "the worker did not publish"
                time.sleep(0.5)


@pytest.mark.parametrize(
    ("how", "back"),
    [
        ("shell", "saved"),
        ("worker", "saved"),
        ("admin", "saved"),
        ("shell", "empty"),
        ("shell", "flushed"),
    ],
)
def test_a_publish_while_redis_is_down_is_seen_within_the_bound(site_env, redis_server, how, back):
    with gunicorn(site_env, workers=2, quiet=True) as base:
        # Every worker holds the old answers, in Redis and in its own memory.
        for _round in range(3):
            results = _read_all(base)
            assert all(status == 200 and "Updated headline" not in body for status, body in results)

        redis_server.kill()
        _publish(site_env, how)
        # Down: every read works, and shows what the database says.
        results = _read_all(base, count=3)
        assert all(status == 200 for status, _body in results)
        assert all("Updated headline" in body for _status, body in results)

        redis_server.start(empty=back == "empty")
        if back == "flushed":
            redis_server.flush()
        back_at = time.monotonic()
        stale = []
        while time.monotonic() - back_at < BOUND + 5:
            for path in URL_PATHS:
                status, body = _fetch(base + path)
                assert status == 200
                if "Updated headline" not in body:  # (a fresh answer may name both)
                    stale.append((round(time.monotonic() - back_at, 1), path))
            time.sleep(0.1)
        assert all(at <= BOUND for at, _path in stale), stale
        # And afterwards, cached again and fresh.
        results = _read_all(base)
        assert all("Updated headline" in body for _status, body in results)


# --- A cache that one process holds alone ---------------------------------------------


@pytest.mark.django_db
def test_check_warns_and_deploy_check_errors_on_a_per_process_cache(settings):
    from django.core import checks

    settings.SILENCED_SYSTEM_CHECKS = []
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    warnings = [m for m in checks.run_checks() if m.id == "newsdesk.W060"]
    assert len(warnings) == 1
    assert "CACHES['default']" in warnings[0].hint
    errors = [
        m for m in checks.run_checks(include_deployment_checks=True) if m.id == "newsdesk.E061"
    ]
    assert len(errors) == 1
    # A shared cache (Redis) passes; so does DummyCache (no cache at all).
    for backend in ("django_redis.cache.RedisCache", "django.core.cache.backends.dummy.DummyCache"):
        settings.CACHES = {
            **settings.CACHES,
            "default": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:1/0"},
        }
        found = checks.run_checks(include_deployment_checks=True)
        assert not [m for m in found if m.id in ("newsdesk.W060", "newsdesk.E061")]


def test_entries_of_a_per_process_cache_live_only_seconds(settings):
    from news import tagged_cache

    settings.NEWSDESK_UNSHARED_CACHE_SECONDS = 5
    assert tagged_cache._ttl(600) == 5  # the test settings' LocMemCache
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    assert tagged_cache._ttl(600) == 600


def test_entries_of_a_shared_cache_live_until_purged(settings):
    """Issue 33.3: purges are exact, so a shared cache keeps an entry until a purge or
    eviction by size (no lifetime, tokens neither); a per-process cache keeps its bound."""
    from news import tagged_cache

    settings.NEWSDESK_UNSHARED_CACHE_SECONDS = 5
    assert settings.NEWSDESK_RESPONSE_CACHE_TTL == 0
    assert tagged_cache._ttl() == 5  # the test settings' LocMemCache
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    assert tagged_cache._ttl() is None
    assert tagged_cache._token_ttl() is None
    settings.NEWSDESK_RESPONSE_CACHE_TTL = 600  # a lifetime set again: tokens outlive it
    assert (tagged_cache._ttl(), tagged_cache._token_ttl()) == (600, 2400)
