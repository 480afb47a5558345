"""The purge generation kept in process through Redis client tracking (news.redis_tracking).

Against real Redis: a cached answer's read of the generation costs no round trip while
nothing changed, and a change made by anyone else (another worker, another app server:
here a second Redis client) is seen by the very next read. The cross-process cases
through real gunicorn workers are in tests/test_cache_processes.py.
"""

import pytest
import redis
from django.core.cache import caches

from news import cache_keys
from tests.servers import redis_url

URL = redis_url()


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": URL,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        },
    }
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def _gets(client):
    return client.info("commandstats").get("cmdstat_get", {}).get("calls", 0)


def test_the_generation_is_read_from_redis_only_when_it_changed(redis_cache):
    other = redis.Redis.from_url(URL)  # another app server's client
    raw_key = redis_cache.make_key(cache_keys.GENERATION_KEY)
    first = cache_keys.generation()
    assert isinstance(first, int)

    before = _gets(other)
    for _ in range(200):
        assert cache_keys.generation() == first
    # At most the one read that started tracking (and the stats' own count): not 200.
    assert _gets(other) - before <= 2

    other.incr(raw_key)
    other.ping()  # what a purge does next (it writes its log): see test below
    assert cache_keys.generation() == first + 1  # the very next read sees it
    cache_keys.purge(["s-x"])  # this process's own purge
    assert cache_keys.generation() == first + 2

    other.flushdb()  # a flushed Redis: a new generation is started, never the old one kept
    fresh = cache_keys.generation()
    assert isinstance(fresh, int) and fresh != first + 2
    assert int(other.get(raw_key)) == fresh


def test_a_read_right_after_a_purge_elsewhere_always_sees_it(redis_cache):
    """Many purges by another client, each read at once: never the previous number.

    A purge moves the generation, then waits for Redis's answer to one more command (it
    writes its purge log): Redis has written the invalidation to every tracking
    connection before it answers that. Right after the INCR's own answer the message
    may still be on its way (CI caught that once, under load), so the other client does
    what a purge does."""
    other = redis.Redis.from_url(URL)
    raw_key = redis_cache.make_key(cache_keys.GENERATION_KEY)
    cache_keys.generation()
    for _ in range(300):
        expected = other.incr(raw_key)
        other.ping()
        assert cache_keys.generation() == expected
