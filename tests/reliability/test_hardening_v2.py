"""Hardening v2 (issue 16): each attack found by probing the site, reproduced.

Every test here failed on commit a8a3e2d (see docs/reliability.md, "Hardening v2").
"""

import pytest

from tests.factories import make_news

HOSTILE_IMS = "Sat, 01 Jan 2000 00:00:00 +99999999999999"


# --- 2. An unparseable If-Modified-Since is ignored -------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("use_cache", [True, False])
def test_overflowing_if_modified_since_is_ignored(client, site_tree, settings, use_cache):
    settings.NEWSDESK_RESPONSE_CACHE = use_cache
    settings.NEWSDESK_API_RATE = ""
    _home, index = site_tree
    story = make_news(index, "Жаңалық")
    urls = [
        "/kk/",
        story.url,
        "/api/v1/news/?lang=kk",
        "/api/v2/pages/",
        "/sitemap.xml",
        "/kk/news/feed/rss/",
    ]
    for url in urls:
        # Twice: the second request is a cache hit when the response cache is on.
        for _ in range(2):
            response = client.get(url, HTTP_IF_MODIFIED_SINCE=HOSTILE_IMS)
            assert response.status_code == 200, (url, response.status_code)
