"""Wagtail's API v2 is rate limited like API v1, on the same counters (issue 27, finding 8)."""

from django.core.cache import caches


def test_api_v2_is_rate_limited_like_v1(client, site_tree, settings):
    settings.NEWSDESK_API_RATE = "3/min"
    for cache in caches.all():
        cache.clear()
    for _ in range(3):
        assert client.get("/api/v2/pages/").status_code == 200
    response = client.get("/api/v2/pages/")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/problem+json")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["status"] == 429
    # One budget per client across both APIs: v1 is refused too; another client is not.
    assert client.get("/api/v1/locales/").status_code == 429
    assert client.get("/api/v2/pages/", REMOTE_ADDR="10.0.0.9").status_code == 200
