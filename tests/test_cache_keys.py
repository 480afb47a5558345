"""Keyed invalidation (news.cache_keys, news.caching.invalidation) through the test client.

A publish purges exactly the keys it affects: a correction to an old story leaves the
listing pages it is not on and every other article cached; a new story purges the
listings and refreshes articles' "other news" within NEWSDESK_SOFT_PURGE_SECONDS. Run
with the in-process cache and with real Redis (the key tokens shared by app servers).
"""

from datetime import date, timedelta

import pytest
from django.core.cache import caches

from news import cache_keys
from tests.factories import NewsTopicFactory, make_news
from tests.servers import redis_url

pytestmark = pytest.mark.django_db

REDIS = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": redis_url(),
    "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
}


@pytest.fixture(params=["local", "redis"])
def shared_cache(request, settings):
    """The shared cache of the answers and key tokens: in-process, or real Redis."""
    if request.param == "redis":
        settings.REDIS_URL = REDIS["LOCATION"]
        settings.CACHES = {**settings.CACHES, "default": REDIS}
    caches["default"].clear()
    yield request.param
    caches["default"].clear()


@pytest.fixture
def newsroom(site_tree, shared_cache):
    """15 stories, oldest first; listing page 1 shows the 10 newest, page 2 the 5 oldest."""
    _home, index = site_tree
    topic = NewsTopicFactory(name="Саясат", slug="sayasat")
    start = date(2026, 1, 1)
    stories = [
        make_news(
            index,
            f"Жаңалық {n}",
            slug=f"story-{n}",
            date=start + timedelta(days=n),
            topics=[topic] if n == 0 else [],
        )
        for n in range(15)
    ]
    return index, stories, topic


def _get(client, url, **headers):
    return client.get(url, headers=headers)


def _warm(client, *urls):
    for url in urls:
        assert _get(client, url).status_code == 200, url
        assert _get(client, url)["X-Cache"] == "hit", url


def test_a_correction_purges_the_story_and_the_listing_page_it_is_on_only(client, newsroom):
    index, stories, _topic = newsroom
    old, newest, other = stories[0], stories[-1], stories[7]
    page_1, page_2 = index.url, index.url + "?page=2"
    api_list = "/api/v1/news/?locale=kk&page_size=10"
    api_old = f"/api/v1/news/{old.pk}/?locale=kk"
    ru_old = "/ru/" + old.url.split("/", 2)[2]  # the Kazakh story under the Russian prefix
    _warm(client, old.url, ru_old, api_old, page_1, page_2, newest.url, other.url, api_list)
    assert "Жаңалық 0" in _get(client, page_2).content.decode()
    assert "Жаңалық 0" not in _get(client, page_1).content.decode()

    old.title = "Жаңалық 0 (түзетілді)"
    old.save_revision().publish()

    # The story's own URLs, in every language and in the API, are never stale.
    for url in (old.url, ru_old, api_old):
        response = _get(client, url)
        assert response["X-Cache"] == "miss", url
        assert "Жаңалық 0 (түзетілді)" in response.content.decode(), url
    # The listing page that shows it.
    response = _get(client, page_2)
    assert response["X-Cache"] == "miss"
    assert "Жаңалық 0 (түзетілді)" in response.content.decode()
    # Listing pages it is not on, and unrelated articles, stay cached.
    for url in (page_1, newest.url, other.url, api_list):
        assert _get(client, url)["X-Cache"] == "hit", url


def test_a_new_story_purges_listings_and_refreshes_other_news_within_the_bound(
    client, newsroom, settings
):
    index, stories, _topic = newsroom
    article = stories[3]
    api_list = "/api/v1/news/?locale=kk"
    api_other = f"/api/v1/news/{article.pk}/other/?locale=kk"
    _warm(client, index.url, article.url, api_list, api_other)

    fresh = make_news(index, "Шұғыл жаңалық", slug="breaking", date=date(2026, 3, 1))

    assert "Шұғыл жаңалық" in _get(client, fresh.url).content.decode()
    for url in (index.url, api_list, api_other):
        response = _get(client, url)
        assert response["X-Cache"] == "miss", url
        assert "Шұғыл жаңалық" in response.content.decode(), url
    # The article's "other news" is a soft key: served as it was, within the bound...
    stale = _get(client, article.url)
    assert stale["X-Cache"] == "stale"
    assert "Шұғыл жаңалық" not in stale.content.decode()
    # ...and rebuilt once older than the bound.
    settings.NEWSDESK_SOFT_PURGE_SECONDS = 0
    rebuilt = _get(client, article.url)
    assert rebuilt["X-Cache"] == "miss"
    assert "Шұғыл жаңалық" in rebuilt.content.decode()


def test_unpublish_and_move_out_of_listings(client, newsroom):
    index, stories, _topic = newsroom
    gone, article = stories[-1], stories[3]
    url = gone.url
    _warm(client, url, index.url, article.url)
    assert "Жаңалық 14" in _get(client, article.url).content.decode()  # in its other news
    gone.unpublish()
    assert _get(client, url).status_code == 404
    response = _get(client, index.url)
    assert response["X-Cache"] == "miss"
    assert "Жаңалық 14" not in response.content.decode()
    # A story readers may no longer see leaves "other news" blocks at once, not softly.
    response = _get(client, article.url)
    assert response["X-Cache"] == "miss"
    assert "Жаңалық 14" not in response.content.decode()


def test_topic_listing_is_purged_when_a_story_joins_the_topic(client, newsroom):
    index, stories, topic = newsroom
    topic_url = index.url + "?topic=sayasat"
    _warm(client, topic_url, index.url + "?page=2")
    assert "Жаңалық 5" not in _get(client, topic_url).content.decode()
    story = stories[5]
    story.topic_links.create(topic=topic)
    story.save_revision().publish()
    response = _get(client, topic_url)
    assert response["X-Cache"] == "miss"
    assert "Жаңалық 5" in response.content.decode()
    # A change of topics is a change of listing membership, not only of the story.
    assert _get(client, index.url + "?page=2")["X-Cache"] == "miss"


def test_responses_carry_the_keys_of_what_they_show(client, newsroom):
    index, stories, topic = newsroom
    article = stories[0]
    keys = set(_get(client, article.url)["Surrogate-Key"].split())
    assert {
        cache_keys.story(article.translation_key),
        cache_keys.topic(topic.translation_key),
        cache_keys.CHROME,
        cache_keys.SITE,
        "soft:" + cache_keys.listing("kk"),
    } <= keys
    # Its "other news" stories are soft: a correction to one refreshes it within the bound.
    assert "soft:" + cache_keys.story(stories[-1].translation_key) in keys
    assert cache_keys.listing("kk") not in keys
    listing = _get(client, index.url)
    listing_keys = set(listing["Surrogate-Key"].split())
    assert cache_keys.listing("kk", "index", index.translation_key) in listing_keys
    assert {cache_keys.story(s.translation_key) for s in stories[5:]} <= listing_keys
    assert cache_keys.story(stories[0].translation_key) not in listing_keys
    assert listing["Cache-Tag"] == listing["Surrogate-Key"].replace(" ", ",")
    assert listing["Surrogate-Control"].startswith("max-age=")
    api = _get(client, f"/api/v1/news/{article.pk}/?locale=ru")
    assert cache_keys.story(article.translation_key) in api["Surrogate-Key"].split()


def test_an_answer_that_shows_nothing_keyed_is_purged_by_any_change(client, newsroom):
    index, stories, _topic = newsroom
    url = "/api/v2/pages/?type=news.NewsPage&fields=date&limit=20"
    _warm(client, url)
    assert cache_keys.ANY in _get(client, url)["Surrogate-Key"].split()
    stories[0].title = "Басқа тақырып"
    stories[0].save_revision().publish()
    assert _get(client, url)["X-Cache"] == "miss"
