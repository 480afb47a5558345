"""Keyed invalidation (news.cache_keys, news.caching.invalidation) through the test client.

A publish purges exactly the keys it affects: a correction to an old story leaves the
listing pages it is not on and every other article cached; a new story purges the
listings and every article's "other news" at once (one shared fragment). Run
with the in-process cache and with real Redis (the key tokens shared by app servers).
"""

from datetime import date, timedelta

import pytest
from django.core.cache import caches

from news import cache_keys
from news.models import NewsPageTopic
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
def fifteen_stories(site_tree, shared_cache):
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


def _other_news_titles(client, url):
    """The titles an answer's "other news" shows: the API's results, or the HTML block's."""
    response = _get(client, url)
    if "/api/" in url:
        return [item["title"] for item in response.json()["results"]]
    block = response.content.decode().split('class="other-news"', 1)[1]
    return [
        part.split("</span>", 1)[0].rsplit(">", 1)[-1]
        for part in block.split('class="news-card__title"')[1:]
    ]


def _warm(client, *urls):
    for url in urls:
        assert _get(client, url).status_code == 200, url
        assert _get(client, url)["X-Cache"] == "hit", url


def test_a_correction_purges_the_story_and_the_listing_page_it_is_on_only(client, fifteen_stories):
    index, stories, _topic = fifteen_stories
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


def test_a_new_story_purges_listings_and_reaches_every_other_news_at_once(client, fifteen_stories):
    index, stories, _topic = fifteen_stories
    article, another = stories[3], stories[6]
    api_list = "/api/v1/news/?locale=kk"
    api_other = f"/api/v1/news/{article.pk}/other/?locale=kk"
    api_other_2 = f"/api/v1/news/{another.pk}/other/?locale=kk"
    _warm(client, index.url, article.url, another.url, api_list, api_other, api_other_2)

    fresh = make_news(index, "Шұғыл жаңалық", slug="breaking", date=date(2026, 3, 1))

    assert "Шұғыл жаңалық" in _get(client, fresh.url).content.decode()
    for url in (index.url, api_list):
        response = _get(client, url)
        assert response["X-Cache"] == "miss", url
        assert "Шұғыл жаңалық" in response.content.decode(), url
    # "Other news" is one shared fragment per language (news.fragments): the first
    # article asked for rebuilds it, every other one shows it at once from the cache.
    first = _get(client, article.url)
    assert "Шұғыл жаңалық" in first.content.decode()
    second = _get(client, another.url)
    assert second["X-Cache"] == "hit"
    assert "Шұғыл жаңалық" in second.content.decode()
    assert _get(client, article.url)["X-Cache"] == "hit"
    # The API's "other news" the same way, from a fragment of serialized items.
    assert "Шұғыл жаңалық" in _get(client, api_other).content.decode()
    again = _get(client, api_other_2)
    assert again["X-Cache"] == "hit"
    assert again.json()["results"][0]["title"] == "Шұғыл жаңалық"


def test_a_correction_to_a_story_in_other_news_rebuilds_no_article(client, fifteen_stories):
    _index, stories, _topic = fifteen_stories
    newest, articles = stories[-1], stories[:8]
    urls = [a.url for a in articles] + [f"/api/v1/news/{a.pk}/other/?locale=kk" for a in articles]
    _warm(client, *urls)
    etag = _get(client, articles[0].url)["ETag"]

    newest.lead = "Түзетілген лид"
    newest.save_revision().publish()

    # One answer rebuilds each fragment (HTML and API, per language and set of topics:
    # stories[0] has a topic, the others none); the others are hits that show it.
    for rebuilt in (0, 1):
        _get(client, articles[rebuilt].url), _get(client, urls[len(articles) + rebuilt])
    for url in urls:
        response = _get(client, url)
        assert response["X-Cache"] == "hit", url
        assert "Түзетілген лид" in response.content.decode(), url
    # The validators follow what is shown: the old ETag no longer matches.
    response = _get(client, articles[0].url, if_none_match=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert _get(client, articles[0].url, if_none_match=response["ETag"]).status_code == 304


def test_other_news_from_the_fragment_is_what_the_inline_rule_shows(
    client, fifteen_stories, settings
):
    """Spliced from the shared fragment or rendered inline: the same stories, in order."""
    _index, stories, _topic = fifteen_stories
    newest, article = stories[-1], stories[2]
    article.related_news.create(related_page=stories[0], sort_order=0)
    article.save_revision().publish()

    def titles(url):
        return _other_news_titles(client, url)

    cases = [
        (newest.url, f"/api/v1/news/{newest.pk}/other/?locale=kk"),  # in the fragment
        (article.url, f"/api/v1/news/{article.pk}/other/?locale=kk"),  # curated first
    ]
    spliced = [(titles(html), titles(api)) for html, api in cases]
    settings.NEWSDESK_RESPONSE_CACHE = False
    inline = [(titles(html), titles(api)) for html, api in cases]
    assert spliced == inline
    assert spliced[0][0] == [f"Жаңалық {n}" for n in (13, 12, 11, 10, 9)]
    assert spliced[1][0] == [f"Жаңалық {n}" for n in (0, 14, 13, 12, 11)]
    assert spliced[1][1] == spliced[1][0]


def test_other_news_sharing_a_topic_is_the_same_spliced_or_inline(
    client, fifteen_stories, settings
):
    """A story with a topic shows the stories sharing it first (issue 32.4), from the
    fragment of its language and topics as inline; a story without keeps the newest."""
    _index, stories, topic = fifteen_stories
    article = stories[5]
    NewsPageTopic.objects.create(page=article, topic=topic, sort_order=0)
    article.save_revision().publish()
    urls = [article.url, f"/api/v1/news/{article.pk}/other/?locale=kk", stories[6].url]

    def titles(url):
        return _other_news_titles(client, url)

    spliced = [titles(url) for url in urls]
    settings.NEWSDESK_RESPONSE_CACHE = False
    assert [titles(url) for url in urls] == spliced
    assert spliced[0] == spliced[1] == [f"Жаңалық {n}" for n in (0, 14, 13, 12, 11)]
    assert spliced[2] == [f"Жаңалық {n}" for n in (14, 13, 12, 11, 10)]


def test_other_news_of_two_topics_merges_their_fragments_as_inline(
    client, fifteen_stories, settings
):
    """A story with two topics shows the stories sharing either, newest first, merged
    from one fragment per topic, the same as inline; each story once."""
    index, stories, politics = fifteen_stories
    economy = NewsTopicFactory(name="Экономика", slug="ekonomika")
    for n in (2, 4, 6, 8):
        NewsPageTopic.objects.create(page=stories[n], topic=economy, sort_order=0)
    NewsPageTopic.objects.create(page=stories[6], topic=politics, sort_order=1)  # both
    NewsPageTopic.objects.create(page=stories[9], topic=politics, sort_order=0)
    article = make_news(
        index, "Екі тақырып", slug="two", date=date(2025, 1, 1), topics=[politics, economy]
    )
    for story in stories:
        story.save_revision().publish()
    urls = [article.url, f"/api/v1/news/{article.pk}/other/?locale=kk"]

    def titles(url):
        return _other_news_titles(client, url)

    spliced = [titles(url) for url in urls]
    assert [titles(url) for url in urls] == spliced  # hits
    settings.NEWSDESK_RESPONSE_CACHE = False
    assert [titles(url) for url in urls] == spliced
    assert spliced[0] == spliced[1] == [f"Жаңалық {n}" for n in (9, 8, 6, 4, 2)]


def test_other_news_full_of_a_topic_is_not_purged_by_a_story_of_another(client, fifteen_stories):
    """A fragment whose every item shares a topic depends on that topic's listing only: a
    new story of other topics leaves it (and the articles that splice it) cached. Before,
    every new story purged every fragment of the language, so each set of topics cost a
    whole article rebuild per publish."""
    index, _stories, _topic = fifteen_stories
    economy = NewsTopicFactory(name="Экономика", slug="ekonomika")
    sharing = [
        make_news(
            index,
            f"Экономика {n}",
            slug=f"economy-{n}",
            date=date(2025, 6, 1 + n),
            topics=[economy],
        )
        for n in range(12)
    ]
    article = sharing[0]
    urls = [article.url, f"/api/v1/news/{article.pk}/other/?locale=kk"]
    _warm(client, *urls)

    make_news(index, "Басқа тақырып", slug="unrelated", date=date(2026, 3, 1))
    for url in urls:
        response = _get(client, url)
        assert response["X-Cache"] == "hit", url
        assert "Басқа тақырып" not in response.content.decode(), url

    make_news(index, "Экономика жаңа", slug="economy-new", date=date(2026, 3, 2), topics=[economy])
    for url in urls:
        assert "Экономика жаңа" in _get(client, url).content.decode(), url


def test_unpublish_and_move_out_of_listings(client, fifteen_stories):
    index, stories, _topic = fifteen_stories
    gone, article = stories[-1], stories[3]
    url = gone.url
    _warm(client, url, index.url, article.url)
    assert "Жаңалық 14" in _get(client, article.url).content.decode()  # in its other news
    gone.unpublish()
    assert _get(client, url).status_code == 404
    response = _get(client, index.url)
    assert response["X-Cache"] == "miss"
    assert "Жаңалық 14" not in response.content.decode()
    # A story readers may no longer see leaves "other news" blocks at once.
    response = _get(client, article.url)
    assert "Жаңалық 14" not in response.content.decode()
    assert "Жаңалық 14" not in _get(client, stories[5].url).content.decode()


def test_topic_listing_is_purged_when_a_story_joins_the_topic(client, fifteen_stories):
    index, stories, topic = fifteen_stories
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


def test_responses_carry_the_keys_of_what_they_show(client, fifteen_stories):
    index, stories, topic = fifteen_stories
    article = stories[0]
    public = cache_keys.public  # the keys go out opaque (issue 27 #9)
    keys = set(_get(client, article.url)["Surrogate-Key"].split())
    assert {
        public(cache_keys.story(article.translation_key)),
        public(cache_keys.topic(topic.translation_key)),
        public(cache_keys.CHROME),
        public(cache_keys.SITE),
        "soft:" + public(cache_keys.listing("kk")),
    } <= keys
    # Its "other news" stories are soft: a correction to one refreshes it within the bound.
    assert "soft:" + public(cache_keys.story(stories[-1].translation_key)) in keys
    assert public(cache_keys.listing("kk")) not in keys
    listing = _get(client, index.url)
    listing_keys = set(listing["Surrogate-Key"].split())
    assert public(cache_keys.listing("kk", "index", index.translation_key)) in listing_keys
    assert {public(cache_keys.story(s.translation_key)) for s in stories[5:]} <= listing_keys
    assert public(cache_keys.story(stories[0].translation_key)) not in listing_keys
    assert listing["Cache-Tag"] == listing["Surrogate-Key"].replace(" ", ",")
    assert listing["Surrogate-Control"].startswith("max-age=")
    api = _get(client, f"/api/v1/news/{article.pk}/?locale=ru")
    assert public(cache_keys.story(article.translation_key)) in api["Surrogate-Key"].split()


def test_hits_carry_the_same_cache_tag_as_the_miss(client, fifteen_stories):
    index, stories, _topic = fifteen_stories
    for url in (index.url, stories[0].url, f"/api/v1/news/{stories[0].pk}/?locale=ru"):
        miss, hit = _get(client, url), _get(client, url)
        assert (miss["X-Cache"], hit["X-Cache"]) == ("miss", "hit")
        assert hit["Surrogate-Key"] == miss["Surrogate-Key"]
        assert hit["Cache-Tag"] == miss["Cache-Tag"] == miss["Surrogate-Key"].replace(" ", ",")


def test_an_answer_that_shows_nothing_keyed_is_purged_by_any_change(client, fifteen_stories):
    index, stories, _topic = fifteen_stories
    url = "/api/v2/pages/?type=news.NewsPage&fields=date&limit=20"
    _warm(client, url)
    assert cache_keys.public(cache_keys.ANY) in _get(client, url)["Surrogate-Key"].split()
    stories[0].title = "Басқа тақырып"
    stories[0].save_revision().publish()
    assert _get(client, url)["X-Cache"] == "miss"


def test_a_redirect_changes_no_cached_answer(client, fifteen_stories):
    """Wagtail redirects only what would be a 404, and 404s are not cached: a new redirect
    (Wagtail makes one on every slug change, a translation's too) purges nothing."""
    from wagtail.contrib.redirects.models import Redirect

    index, stories, _topic = fifteen_stories
    article = stories[3]
    _warm(client, article.url, index.url, "/api/v1/news/?locale=kk")
    Redirect.objects.create(old_path="/kk/eski-jol", redirect_link=article.url)
    for url in (article.url, index.url, "/api/v1/news/?locale=kk"):
        assert _get(client, url)["X-Cache"] == "hit", url
    assert _get(client, "/kk/eski-jol/").status_code in (301, 302)


def test_curated_other_news_is_not_purged_by_a_new_story(client, fifteen_stories):
    """An article's curated stories depend on those stories, not on the listing: a new
    story leaves articles with curated "other news" cached (it reaches their newest part
    through the shared fragment), and a fully curated block is not touched at all. A
    curated story that readers can no longer see leaves at once, and comes back."""
    index, stories, _topic = fifteen_stories
    some, full = stories[2], stories[4]
    some.related_news.create(related_page=stories[0], sort_order=0)
    some.save_revision().publish()
    for position, story in enumerate(stories[5:10]):
        full.related_news.create(related_page=story, sort_order=position)
    full.save_revision().publish()
    urls = [
        some.url,
        full.url,
        f"/api/v1/news/{some.pk}/other/?locale=kk",
        f"/api/v1/news/{full.pk}/other/?locale=kk",
    ]
    _warm(client, *urls)

    make_news(index, "Шұғыл жаңалық", slug="breaking", date=date(2026, 3, 1))
    _get(client, stories[3].url)  # rebuilds the shared fragment
    _get(client, f"/api/v1/news/{stories[3].pk}/other/?locale=kk")
    for url in urls:
        assert _get(client, url)["X-Cache"] == "hit", url
    assert "Шұғыл жаңалық" in _get(client, urls[0]).content.decode()
    assert "Шұғыл жаңалық" in _get(client, urls[2]).content.decode()
    assert "Шұғыл жаңалық" not in _get(client, urls[1]).content.decode()
    assert [item["title"] for item in _get(client, urls[3]).json()["results"]] == [
        f"Жаңалық {n}" for n in range(5, 10)
    ]

    stories[7].unpublish()
    for url in (urls[1], urls[3]):
        response = _get(client, url)
        assert response["X-Cache"] == "miss", url
        assert "Жаңалық 7" not in response.content.decode(), url
        assert "Шұғыл жаңалық" in response.content.decode(), url  # the newest fills in
    stories[7].save_revision().publish()
    assert [item["title"] for item in _get(client, urls[3]).json()["results"]] == [
        f"Жаңалық {n}" for n in range(5, 10)
    ]
