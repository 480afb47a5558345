"""The response cache decides by route and ``Vary``, never by path prefix (issue 26 item 6).

A host mounts the API, the sitemaps and the reader pages under ``/newsdesk/``
(tests/prefixed_urls.py): the JSON and browsable renderers of a negotiating view, and
each ``Accept-Language``, get their own variant, and none is served for another.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import make_news, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def prefixed(settings, site_tree):
    settings.ROOT_URLCONF = "tests.prefixed_urls"
    settings.NEWSDESK_RESPONSE_CACHE = True
    settings.NEWSDESK_API_RATE = ""
    _home, index = site_tree
    story = make_news(index, "Бірінші жаңалық", slug="birinshi")
    translate(story, "ru", strings={"Бірінші жаңалық": "Первая новость", "birinshi": "pervaya"})
    return story


def _get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content[:300]
    return response


def test_json_and_browsable_renderers_each_get_their_variant(client, prefixed):
    url = "/newsdesk/api/v2/pages/"
    json = {"Accept": "application/json"}
    html = {"Accept": "text/html"}
    assert _get(client, url, **json)["X-Cache"] == "miss"
    # The browsable page is its own variant: never the JSON's. It carries a CSRF token
    # (a cookie), so it is answered by the view each time and never stored.
    for _ in range(2):
        served_html = _get(client, url, **html)
        assert served_html.get("X-Cache") is None
        assert served_html["Content-Type"].startswith("text/html")
        assert b"<html" in served_html.content.lower()
    served_json = _get(client, url, **json)
    assert served_json["X-Cache"] == "hit"
    assert served_json["Content-Type"].startswith("application/json")
    assert b"<html" not in served_json.content.lower()
    assert "accept" in served_json["Vary"].lower()


def test_each_accept_language_gets_its_variant(client, prefixed):
    url = "/newsdesk/api/v1/news/"
    kk, ru = {"Accept-Language": "kk"}, {"Accept-Language": "ru"}
    assert _get(client, url, **kk)["X-Cache"] == "miss"
    assert _get(client, url, **ru)["X-Cache"] == "miss"
    served_kk, served_ru = _get(client, url, **kk), _get(client, url, **ru)
    assert served_kk["X-Cache"] == served_ru["X-Cache"] == "hit"
    assert "Бірінші жаңалық" in served_kk.content.decode()
    assert "Первая новость" in served_ru.content.decode()
    assert "Первая новость" not in served_kk.content.decode()


def test_reader_pages_and_sitemaps_under_the_prefix_are_cached(client, prefixed):
    with translation.override("kk"):
        corrections = reverse("news_corrections")
    assert corrections.startswith("/kk/newsdesk/")
    for url in (corrections, "/newsdesk/sitemap.xml"):
        assert _get(client, url)["X-Cache"] == "miss"
        assert _get(client, url)["X-Cache"] == "hit"


def test_the_preview_route_is_never_cached_under_the_prefix(client, prefixed):
    response = client.get("/newsdesk/api/v1/preview/?token=nope")
    assert "X-Cache" not in response


def test_routes_remembered_per_urlconf(client, prefixed, settings):
    """A path that is not ours under one URLconf may be ours under another."""
    settings.ROOT_URLCONF = "site_project.urls"
    assert client.get("/newsdesk/api/v1/news/").status_code in (302, 404)  # not ours there
    settings.ROOT_URLCONF = "tests.prefixed_urls"
    assert _get(client, "/newsdesk/api/v1/news/")["X-Cache"] == "miss"
