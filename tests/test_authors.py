"""Bylines: authors on the article, on listings, on their own page in each language, in
JSON-LD, in the feeds and in search; the author page costs the same SQL at 1 and 50 stories."""

import json
import re
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction

from news.models import NewsPage
from tests.factories import AuthorFactory, make_image, make_news, make_site, translate
from tests.module_rows import module_rows, rows_for_test


@pytest.fixture(autouse=True)
def _no_response_cache(settings):
    settings.NEWSDESK_RESPONSE_CACHE = False


def author_path(slug, language):
    with translation.override(language):
        return reverse("news_author", kwargs={"slug": slug})


def build_reporters_newsroom():
    """A Kazakh reporter translated into Russian, a story of theirs in both languages,
    one only in Kazakh (a fallback for Russian readers) and a draft."""
    home, index = make_site()
    translate(home, "ru", strings={"Басты бет": "Главная"})
    translate(index, "ru", strings={"Жаңалықтар": "Новости", "zhanalyqtar": "novosti"})
    reporter = AuthorFactory(name="Айгүл Сейітова", slug="aigul", role="Тілші")
    translate(
        reporter, "ru", strings={"Айгүл Сейітова": "Айгуль Сеитова", "Тілші": "Корреспондент"}
    )
    both = make_news(index, "Екі тілде", slug="both", authors=[reporter], byline="ҚазАқпарат")
    translate(both, "ru", strings={"Екі тілде": "На двух языках", "both": "both-ru"})
    kk_only = make_news(index, "Тек қазақша", slug="kk-only", authors=[reporter])
    draft = make_news(index, "Жарияланбаған", slug="draft", authors=[reporter], publish=False)
    return {"index": index, "reporter": reporter, "both": both, "kk_only": kk_only, "draft": draft}


# Built once for the module (tests/module_rows.py).
_reporters_newsroom_rows = module_rows(build_reporters_newsroom)


@pytest.fixture
def reporters_newsroom(_reporters_newsroom_rows, db, settings):
    return rows_for_test(_reporters_newsroom_rows, settings)


def test_author_page_in_kazakh_and_russian_with_fallback(client, reporters_newsroom):
    kk = client.get(author_path("aigul", "kk"))
    assert kk.status_code == 200
    html = kk.content.decode()
    assert "Айгүл Сейітова" in html and "Тілші" in html
    assert "Екі тілде" in html and "Тек қазақша" in html
    assert "Жарияланбаған" not in html

    ru = client.get(author_path("aigul", "ru"))
    assert ru.status_code == 200
    html = ru.content.decode()
    assert "Айгуль Сеитова" in html and "Корреспондент" in html
    # The translated story in Russian, the Kazakh-only one as a marked fallback.
    assert "На двух языках" in html
    assert re.search(r'news-card--fallback.*?lang="kk">Тек қазақша', html, re.S)
    assert "Жарияланбаған" not in html


def test_author_page_in_english_falls_back_to_an_untranslated_author(client, reporters_newsroom):
    response = client.get(author_path("aigul", "en"))
    assert response.status_code == 200
    html = response.content.decode()
    # English falls back (en → ru → kk here): the name in its own language, marked.
    assert re.search(r'lang="(ru|kk)">\s*<h1[^>]*>(Айгуль Сеитова|Айгүл Сейітова)</h1>', html)


def test_author_route_words_are_translated(client, reporters_newsroom):
    assert author_path("aigul", "en").startswith("/en/")
    with translation.override("ru"):
        if translation.pgettext("URL", "corrections/") != "corrections/":  # catalogues compiled
            assert unquote(author_path("aigul", "kk")) == "/kk/авторлар/aigul/"
            assert unquote(author_path("aigul", "ru")) == "/ru/авторы/aigul/"
            assert unquote(author_path("aigul", "en")) == "/en/authors/aigul/"
    # The language switcher leads to each language's own words.
    html = client.get(author_path("aigul", "kk")).content.decode()
    for code in ("ru", "en"):
        assert f'href="{author_path("aigul", code)}" lang="{code}"' in html
    assert client.get("/kk/no-such-prefix/aigul/").status_code == 404
    assert client.get(author_path("nobody", "kk")).status_code == 404
    assert client.get(author_path("aigul", "kk") + "?page=abc").status_code == 200
    assert client.get(author_path("aigul", "kk") + "?page=999").status_code == 200


def test_article_shows_the_byline(client, reporters_newsroom):
    html = client.get(reporters_newsroom["both"].url).content.decode()
    assert f'href="{author_path("aigul", "kk")}"' in html
    assert "Айгүл Сейітова" in html and "ҚазАқпарат" in html
    ru = NewsPage.objects.get(slug="both-ru")
    html = client.get(ru.url).content.decode()
    assert "Айгуль Сеитова" in html
    assert f'href="{author_path("aigul", "ru")}"' in html


def test_listing_shows_author_names(client, reporters_newsroom):
    html = client.get(reporters_newsroom["index"].url).content.decode()
    assert html.count("news-card__byline") == 2
    assert "Айгүл Сейітова" in html and "ҚазАқпарат" in html


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_json_ld_author_is_a_person_with_url(client, reporters_newsroom):
    data = json_ld(client.get(reporters_newsroom["both"].url).content.decode())
    person, agency = data["author"]
    assert person["@type"] == "Person"
    assert person["name"] == "Айгүл Сейітова"
    assert person["url"].startswith("http") and person["url"].endswith(author_path("aigul", "kk"))
    assert agency == {"@type": "Organization", "name": "ҚазАқпарат"}


def test_feeds_carry_the_byline(client, reporters_newsroom):
    rss = client.get("/kk/news/feed/rss/").content.decode()
    assert "<dc:creator" in rss and "Айгүл Сейітова, ҚазАқпарат" in rss
    atom = client.get("/ru/news/feed/atom/").content.decode()
    assert "<author><name>Айгуль Сеитова</name></author>" in atom


def test_search_finds_stories_by_author_name(client, reporters_newsroom):
    from search import index as search_index

    search_index.rebuild()
    data = client.get("/api/v1/news/?locale=kk&q=Сейітова").json()
    assert {item["slug"] for item in data["results"]} == {"both", "kk-only"}
    data = client.get("/api/v1/news/?locale=kk&q=ҚазАқпарат").json()
    assert [item["slug"] for item in data["results"]] == ["both"]


def count_queries(client, url):
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_author_page_costs_the_same_at_1_and_50_stories(client, site_tree, settings):
    settings.NEWSDESK_PAGE_SIZE = 50
    _home, index = site_tree
    image = make_image()
    reporters = [AuthorFactory(image=image) for _ in range(3)]
    for reporter in reporters:
        translate(reporter, "ru")
    make_news(index, "Жаңалық 0", slug="s-0", authors=reporters, image=image)
    url = author_path(reporters[0].slug, "ru")
    one = count_queries(client, url)
    for n in range(1, 50):
        make_news(index, f"Жаңалық {n}", slug=f"s-{n}", authors=reporters[n % 2 :], image=image)
    fifty = count_queries(client, url)
    html = client.get(url).content.decode()
    assert html.count('class="news-card') >= 25
    assert one == fifty, (one, fifty)


def test_an_author_with_no_visible_story_is_not_public(client, reporters_newsroom, settings):
    """Issue 27, finding 10: an author whose only stories are hidden was listed publicly."""
    settings.NEWSDESK_API_RATE = ""
    index = reporters_newsroom["index"]
    hidden = AuthorFactory(name="Жасырын Тілші", slug="hidden", bio="Құпия өмірбаян")
    make_news(index, "Жоба", slug="hidden-draft", authors=[hidden], publish=False)
    private = make_news(index, "Жабық", slug="hidden-private", authors=[hidden])
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    def seen():
        page = client.get(author_path("hidden", "kk"))
        listing = client.get("/api/v1/authors/?locale=kk&page_size=100").json()
        detail = client.get(f"/api/v1/authors/{hidden.pk}/?locale=kk")
        sitemap = client.get("/sitemap.xml").content.decode()
        names = [item["name"] for item in listing["results"]]
        in_sitemaps = "hidden" in sitemap
        return page.status_code, "Жасырын Тілші" in names, detail.status_code, in_sitemaps

    assert seen() == (404, False, 404, False)
    # A reporter with a live, public story is public.
    assert client.get(author_path("aigul", "kk")).status_code == 200
    # Once one of their stories is published, they are public too.
    make_news(index, "Ашық", slug="hidden-public", authors=[hidden])
    assert seen()[:3] == (200, True, 200)
