"""Redis configured but unreachable: the site keeps serving, fresh, and says so in /readyz.

A real django-redis client pointed at a closed loopback port, configured exactly as
production configures Redis (errors ignored, short socket timeouts): nothing is
mocked. bench/faults.py does the same with a real Redis stopped under load.
"""

import pytest
from django.core.cache import caches

from tests.factories import make_news


@pytest.fixture
def dead_redis(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    settings.NEWSDESK_RESPONSE_CACHE = True
    settings.NEWSDESK_API_RATE = "600/min"  # the throttle uses the cache too
    caches._settings = None
    try:
        del caches["default"]
    except (AttributeError, KeyError):
        pass
    yield
    caches._settings = None
    try:
        del caches["default"]
    except (AttributeError, KeyError):
        pass


@pytest.mark.django_db
def test_site_serves_and_stays_fresh_without_redis(client, site_tree, dead_redis):
    home, index = site_tree
    story = make_news(index, "Кэшсіз жаңалық")
    for url in (
        home.url,
        index.url,
        story.url,
        "/api/v1/news/?locale=kk",
        f"/api/v1/news/{story.pk}/",
        f"/api/v1/news/{story.pk}/other/",
        "/kk/news/feed/rss/",
        "/sitemap.xml",
        "/kk/search/?q=жаңалық",
        "/api/v1/search/?q=жаңалық&locale=kk",
        "/api/v1/search/suggest/?q=Кэш&locale=kk",
        "/healthz",
    ):
        assert client.get(url).status_code == 200, url
    # Writes still invalidate: the content version lives in the database.
    story.title = "Жаңартылған тақырып"
    story.save_revision().publish()
    assert client.get(f"/api/v1/news/{story.pk}/").json()["title"] == "Жаңартылған тақырып"
    assert "Жаңартылған тақырып" in client.get(index.url).content.decode()
    story.unpublish()
    assert client.get(f"/api/v1/news/{story.pk}/").status_code == 404
    assert "Жаңартылған тақырып" not in client.get(index.url).content.decode()
    # Readiness tells the truth about the cache, and keeps the site in the load
    # balancer: it serves without Redis (Hardening v2 #9).
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["cache"]["status"] == "degraded"
