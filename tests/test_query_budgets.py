"""The uncached HTML pages stay within their query budgets (issue 19), whatever the page size.

A news article at most ``ARTICLE_BUDGET`` queries (it was 24-28), with a realistic story:
topics (translated), a hero image, body images, paragraphs that link to other stories,
curated "other news", stories around it with their own topics and images. The response
cache is off: these are the queries of a miss. The same request made twice (the second
counted) so that first-use work (renditions, lazy caches) is not counted.

Counted through Django's test client, as in tests/api/test_queries.py; the API's budgets
are asserted there.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import dated
from tests.factories import NewsTopicFactory, make_image, make_news, translate

pytestmark = pytest.mark.django_db

ARTICLE_BUDGET = 9  # the issue asked for 10; 24-28 before; +1: withdrawn notes (news.notes)


@pytest.fixture(autouse=True)
def _no_response_cache(settings):
    settings.NEWSDESK_RESPONSE_CACHE = False


def count_queries(client, url):
    first = client.get(url)
    assert first.status_code == 200, first.content[:300]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    for query in queries.captured_queries:  # shown with -s when a budget is missed
        sql = query["sql"]
        print("   ", sql[:60], "…", sql[sql.find(" FROM ") : sql.find(" FROM ") + 90])
    return len(queries), response


@pytest.fixture
def budget_newsroom(site_tree):
    home, index = site_tree
    translate(home, "ru", strings={"Басты бет": "Главная"})
    translate(index, "ru", strings={"Жаңалықтар": "Новости", "zhanalyqtar": "novosti"})
    topics = [NewsTopicFactory(name=f"Тақырып {n}", slug=f"taqyryp-{n}") for n in range(3)]
    for n, topic in enumerate(topics):
        translate(topic, "ru", strings={topic.name: f"Тема {n}", topic.slug: f"tema-{n}"})
    images = [make_image(f"Сурет {n}", color=(n * 60, 90, 160)) for n in range(3)]
    stories = []
    for n in range(12):
        links = "".join(
            f'<p>Абзац {k}: <a linktype="page" id="{stories[-k].pk}">сілтеме</a>.</p>'
            for k in range(1, min(n, 3) + 1)
        )
        story = make_news(
            index,
            f"Жаңалық {n}",
            slug=f"story-{n}",
            date=dated(n),
            image=images[n % 3],
            topics=topics[: 1 + n % 3],
            related=stories[-2:] if n % 4 == 3 else (),
            body=[
                ("heading", {"text": "Тақырыпша", "level": "h2"}),
                ("paragraph", links or "<p>Мәтін.</p>"),
                ("image", {"image": images[(n + 1) % 3], "caption": "Сурет", "credit": ""}),
                ("paragraph", "<p>Тағы бір абзац.</p>"),
                ("quote", {"text": "Сөз", "attribution": "Автор", "role": "", "source_url": ""}),
            ],
        )
        if n % 2:
            translate(story, "ru", strings={f"story-{n}": f"ru-story-{n}"})
        stories.append(story)
    return stories


LISTING_BUDGET = 6  # measured before and after the queries stopped memoising (issue 26 #4)


ARTICLES = [
    "/kk/zhanalyqtar/story-11/",  # curated other news, links
    "/kk/zhanalyqtar/story-10/",  # Kazakh only
    # Its translation: the site's root in Russian is memoised (news.readers.serve).
    "/ru/novosti/ru-story-11/",
]
LISTINGS = ["/kk/zhanalyqtar/", "/kk/zhanalyqtar/?page=2", "/ru/novosti/"]


def test_budgets_of_articles_and_listings(client, budget_newsroom, subtests):
    """One newsroom for every budget (building it takes seconds); each path is warmed by
    its own first request and counted on its second (``count_queries``)."""
    for path in ARTICLES:
        with subtests.test("article", path=path):
            count, response = count_queries(client, path)
            print(path, count)
            assert b"href=" in response.content
            assert count <= ARTICLE_BUDGET, count
    with subtests.test("links and other news cost no more"):
        # A story with links in three paragraphs, and one with curated other news, cost
        # what a story with neither does, plus the one query that resolves all the links.
        plain, _ = count_queries(client, "/kk/zhanalyqtar/story-0/")
        with_links, _ = count_queries(client, "/kk/zhanalyqtar/story-10/")
        with_both, _ = count_queries(client, "/kk/zhanalyqtar/story-11/")
        assert with_links == with_both == plain + 1
    with subtests.test("every paragraph link is resolved"):
        # Links resolved ahead in one query still lead where news.links says.
        _count, response = count_queries(client, "/ru/novosti/ru-story-11/")
        html = response.content.decode()
        # story-10 exists only in Kazakh: a Russian reader gets it under /ru/ (fallback).
        assert 'href="/ru/zhanalyqtar/story-10/"' in html or 'href="/ru/novosti/story-10/"' in html
        assert 'href="/ru/novosti/ru-story-9/"' in html
    for path in LISTINGS:
        # An index page: its count and the reference data (topics, restricted paths) are
        # kept by the cache layer (news.tagged_cache, news.reference), not by the queries.
        with subtests.test("listing", path=path):
            count, _response = count_queries(client, path)
            assert count <= LISTING_BUDGET, count
