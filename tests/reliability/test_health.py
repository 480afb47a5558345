"""/healthz and /readyz: outside the language prefix, never cached, never a 500."""

import pytest
from django.core.cache import caches


def test_healthz_needs_no_database(client):
    # No ``db`` marker: pytest-django makes any database access raise, so a 200 here
    # proves liveness does not touch the database.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_ok_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert "no-store" in response["Cache-Control"]


def test_readyz_503_when_database_unreachable(client):
    # Without the ``db`` marker every query fails, as with a database that is down.
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["status"] == "error"
    assert body["checks"]["database"]["detail"]


@pytest.mark.django_db
def test_readyz_503_when_cache_unreachable(client, settings):
    # A real Redis client pointed at a closed port, configured as production does
    # (errors swallowed): the readiness probe must still notice.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    caches._settings = None  # let Django rebuild the cache handler from the new settings
    try:
        del caches["default"]
    except (AttributeError, KeyError):
        pass
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "error"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_health_endpoints_refuse_writes(client, method):
    assert getattr(client, method)("/healthz").status_code == 405


@pytest.mark.django_db
def test_health_is_outside_the_language_prefix(client):
    assert client.get("/kk/healthz/").status_code == 404
