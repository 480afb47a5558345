"""Content-Language names the language the content is in; Last-Modified is when it changed."""

import datetime
from email.utils import parsedate_to_datetime

import pytest
from django.utils.http import http_date

from news.models import NewsPage
from tests.api.conftest import make_news, translate

PUBLISHED = datetime.datetime(2024, 3, 1, 9, 30, tzinfo=datetime.UTC)
TRANSLATED = datetime.datetime(2024, 3, 2, 14, 0, tzinfo=datetime.UTC)


@pytest.fixture
def stories(ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    kazakh = make_news(index, "Тек қазақша", slug="tek-qazaqsha")
    both = make_news(index, "Екі тілде", slug="eki-tilde")
    russian = translate(both, "ru", strings={"eki-tilde": "na-dvuh"})
    NewsPage.objects.filter(pk__in=[kazakh.pk, both.pk]).update(last_published_at=PUBLISHED)
    NewsPage.objects.filter(pk=russian.pk).update(last_published_at=TRANSLATED)
    return kazakh, both, russian


@pytest.mark.parametrize("cache", [False, True])
def test_content_language_is_the_contents(client, stories, settings, cache):
    settings.NEWSDESK_RESPONSE_CACHE = cache
    kazakh, both, russian = stories
    # A Kazakh story served for locale=ru (a fallback) is in Kazakh.
    response = client.get(f"/api/v1/news/{kazakh.pk}/?locale=ru")
    assert response.json()["is_fallback"] is True
    assert response["Content-Language"] == "kk"
    assert client.get(f"/api/v1/news/{both.pk}/?locale=ru")["Content-Language"] == "ru"
    response = client.get("/api/v1/resolve/?path=/ru/novosti/tek-qazaqsha/")
    assert response["Content-Language"] == "kk"
    # A listing in Russian with an untranslated story names both languages, in order.
    response = client.get("/api/v1/news/?locale=ru")
    locales = [item["locale"] for item in response.json()["results"]]
    assert response["Content-Language"] == ", ".join(dict.fromkeys(locales))
    assert set(locales) == {"ru", "kk"}
    # An empty page: the requested language (its texts, a hint, are in it).
    assert client.get("/api/v1/search/?locale=en")["Content-Language"] == "en"


@pytest.mark.parametrize("cache", [False, True])
def test_last_modified_is_when_the_content_changed(client, stories, settings, cache):
    settings.NEWSDESK_RESPONSE_CACHE = cache
    kazakh, both, _russian = stories
    response = client.get(f"/api/v1/news/{kazakh.pk}/?locale=ru")
    assert parsedate_to_datetime(response["Last-Modified"]) == PUBLISHED
    # The Kazakh story's translations changed when the Russian one was published.
    for url in (f"/api/v1/news/{both.pk}/", "/api/v1/resolve/?path=/ru/novosti/na-dvuh/"):
        response = client.get(url)
        assert parsedate_to_datetime(response["Last-Modified"]) == TRANSLATED, url
        again = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert again.status_code == 304
        assert again["Last-Modified"] == response["Last-Modified"]


@pytest.mark.parametrize("cache", [False, True])
def test_lists_last_modified_is_their_newest_contents(client, stories, settings, cache):
    """Issue 28.4: a list's Last-Modified is when its newest content last changed (it was
    the time the answer was built), and If-Modified-Since gives a 304 on it."""
    settings.NEWSDESK_RESPONSE_CACHE = cache
    kazakh, both, _russian = stories
    expected = {
        # Each story's newest version: the Russian translation changed "both".
        "/api/v1/news/?locale=kk": TRANSLATED,
        "/api/v1/news/?locale=kk&page_size=1&page=2": PUBLISHED,  # only the Kazakh story
        f"/api/v1/news/{kazakh.pk}/other/": TRANSLATED,
        # Inline: its one item, the Kazakh story. Cached, the items come from the shared
        # fragment (news.fragments), whose time is its newest story's, here the one left
        # out: later than the answer's content, never earlier (no wrong 304).
        f"/api/v1/news/{both.pk}/other/": TRANSLATED if cache else PUBLISHED,
        "/api/v1/search/?locale=kk&q=Тек": PUBLISHED,
        "/api/v1/news/?locale=kk&q=Тек": PUBLISHED,
        "/api/v1/topics/?locale=ru": TRANSLATED,
    }
    for url, when in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert parsedate_to_datetime(response["Last-Modified"]) == when, url
        again = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert again.status_code == 304, url
        older = http_date((when - datetime.timedelta(seconds=1)).timestamp())
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=older).status_code == 200, url
