"""List items kept on their own (news.api.items): a listing the response cache has not
kept builds only the items no answer has built before, and never shows a stale one.

The response cache is off here, so every request runs the view: what is measured is the
item cache alone.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import dated, make_news, translate
from tests.factories import NewsTopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_response_cache(settings):
    settings.NEWSDESK_RESPONSE_CACHE = False


@pytest.fixture
def stories(ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    topic = NewsTopicFactory(name="Саясат", slug="sayasat")
    made = [
        make_news(index, f"Жаңалық {n}", slug=f"story-{n}", date=dated(n), topics=[topic])
        for n in range(12)
    ]
    return index, topic, made


def titles(response):
    assert response.status_code == 200, response.content[:300]
    return [item["title"] for item in response.json()["results"]]


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return [query["sql"] for query in queries.captured_queries], response


def loads_rows(sqls):
    """Whether a listing loaded story rows (their fields), not only the page's ids."""
    return any('"news_newspage"."lead"' in sql for sql in sqls)


def test_a_listing_reuses_the_items_other_listings_built(client, stories):
    _index, _topic, _made = stories
    first, _ = queries_of(client, "/api/v1/news/?locale=kk&page_size=12")
    assert loads_rows(first)  # builds every item
    # Other listings of the same stories: the page's ids (and a first count), no rows.
    page_2, response = queries_of(client, "/api/v1/news/?locale=kk&page_size=5&page=2")
    assert titles(response) == [f"Жаңалық {n}" for n in range(6, 1, -1)]
    topic, response = queries_of(client, "/api/v1/news/?locale=kk&topic=sayasat&page_size=6")
    assert titles(response) == [f"Жаңалық {n}" for n in range(11, 5, -1)]
    assert not loads_rows(page_2) and not loads_rows(topic)
    assert len(page_2) <= 3 and len(topic) <= 4, (page_2, topic)


def test_a_kept_item_never_outlives_a_change_to_its_story(client, stories):
    _index, _topic, made = stories
    url = "/api/v1/news/?locale=ru&page_size=3"
    assert titles(client.get(url))[0] == "Жаңалық 11"
    newest = made[-1]
    newest.title = "Түзетілген тақырып"
    newest.save_revision().publish()
    assert titles(client.get(url))[0] == "Түзетілген тақырып"
    # A translation: readers of ru now get the Russian version, no longer the fallback.
    translate(newest, "ru", strings={"Түзетілген тақырып": "Исправленный заголовок"})
    item = client.get(url).json()["results"][0]
    assert (item["title"], item["locale"], item["is_fallback"]) == (
        "Исправленный заголовок",
        "ru",
        False,
    )


def test_a_renamed_topic_reaches_kept_items(client, stories):
    _index, topic, _made = stories
    url = "/api/v1/news/?locale=kk&page_size=2"
    assert client.get(url).json()["results"][0]["topics"][0]["name"] == "Саясат"
    topic.name = "Экономика"
    topic.save()
    assert client.get(url).json()["results"][0]["topics"][0]["name"] == "Экономика"


def test_items_are_kept_per_host(client, stories, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    url = "/api/v1/news/?locale=kk&page_size=1"
    first = client.get(url).json()["results"][0]["api_url"]
    other = client.get(url, HTTP_HOST="other.example").json()["results"][0]["api_url"]
    assert first.startswith("http://testserver/") and other.startswith("http://other.example/")


def test_a_memoised_page_follows_stories_entering_and_leaving(client, stories):
    index, _topic, made = stories
    url = "/api/v1/news/?locale=kk&page_size=3"
    assert titles(client.get(url)) == ["Жаңалық 11", "Жаңалық 10", "Жаңалық 9"]
    fresh = make_news(index, "Шұғыл", slug="shughyl", date=dated(30))
    assert titles(client.get(url)) == ["Шұғыл", "Жаңалық 11", "Жаңалық 10"]
    assert client.get(url).json()["count"] == 13
    fresh.unpublish()
    made[-1].unpublish()
    assert titles(client.get(url)) == ["Жаңалық 10", "Жаңалық 9", "Жаңалық 8"]
    assert client.get(url).json()["count"] == 11
