"""The search page, the search API and suggestions: shape, privacy, bad input, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import make_news, make_site, translate
from tests.module_rows import module_rows, rows_for_test

API = "/api/v1/search/"
SUGGEST = "/api/v1/search/suggest/"
PROBLEM = "application/problem+json"


def build_japan_stories():
    """Visible stories about Japan, plus a draft, an unpublished and a private one."""
    home, index = make_site()
    for code in ("ru", "en"):
        translate(home, code)
        translate(index, code)
    visible = make_news(index, "Жапония елшісі", lead="Жапонияның елшісі Алматыда болды.")
    translated = make_news(index, "Жапониямен келісім", lead="Келісімге қол қойылды.")
    ru = translate(
        translated,
        "ru",
        strings={
            "Жапониямен келісім": "Соглашение с Японией",
            "Келісімге қол қойылды.": "Соглашение подписано.",
        },
    )
    draft = make_news(index, "Жапония жасырын жоба", publish=False)
    unpublished = make_news(index, "Жапония ескі хабар")
    unpublished.unpublish()
    private = make_news(index, "Жапония құпия хабар")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    return {
        "index": index,
        "visible": visible,
        "translated": translated,
        "ru": ru,
        "hidden_titles": [draft.title, unpublished.title, private.title],
    }


_japan_rows = module_rows(build_japan_stories)  # built once for the module


@pytest.fixture
def japan_stories(_japan_rows, db, settings):
    return rows_for_test(_japan_rows, settings)


def test_api_item_shape_and_snippet(client, japan_stories):
    response = client.get(API, {"q": "Жапонияға", "locale": "kk"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert data["query"] == "Жапонияға"
    assert data["hint"] is None
    assert data["next"] is None and data["previous"] is None
    item = next(i for i in data["results"] if i["id"] == japan_stories["visible"].pk)
    assert set(item) == {
        "id", "translation_key", "locale", "requested_locale", "is_fallback", "fallback_notice",
        "title", "slug", "url", "api_url", "date", "lead", "topics", "image",
        "available_locales", "snippet", "authors", "byline", "image_credit", "updated_at",
        "field_locales",
    }  # fmt: skip
    assert item["title"] == "Жапония елшісі"
    assert item["locale"] == "kk" and item["is_fallback"] is False
    assert item["fallback_notice"] is None
    assert item["snippet"].startswith("<mark>Жапонияның</mark> елшісі Алматыда болды.")


def test_api_snippet_escapes_text(client, site_tree):
    _home, index = site_tree
    make_news(index, "Белгі", lead="<script>alert(1)</script> Жапония & Қытай")
    item = client.get(API, {"q": "Жапония", "locale": "kk"}).json()["results"][0]
    assert "<script>" not in item["snippet"]
    assert item["snippet"].startswith("&lt;script&gt;alert(1)&lt;/script&gt; <mark>Жапония")
    assert "&amp; Қытай" in item["snippet"]


def test_api_own_and_fallback_items_one_per_story(client, japan_stories):
    data = client.get(API, {"q": "Жапония", "locale": "ru"}).json()
    by_key = {item["translation_key"]: item for item in data["results"]}
    assert len(by_key) == len(data["results"]) == 1  # the ru version holds no «Жапония»
    item = data["results"][0]
    assert item["id"] == japan_stories["visible"].pk
    assert item["is_fallback"] is True and item["locale"] == "kk"
    assert item["fallback_notice"]
    data = client.get(API, {"q": "Японией", "locale": "ru"}).json()
    assert [item["id"] for item in data["results"]] == [japan_stories["ru"].pk]
    assert data["results"][0]["is_fallback"] is False
    # Matched in the title only: the snippet is the beginning of the text.
    assert data["results"][0]["snippet"].startswith("Соглашение подписано.")


def test_hidden_pages_never_found(client, japan_stories):
    hidden = japan_stories["hidden_titles"]
    for language in ("kk", "ru", "en"):
        api = client.get(API, {"q": "Жапония", "locale": language}).json()
        assert not {item["title"] for item in api["results"]} & set(hidden)
        suggest = client.get(SUGGEST, {"q": "Жапо", "locale": language}).json()
        assert not {item["title"] for item in suggest["results"]} & set(hidden)
        html = client.get(f"/{language}/search/", {"q": "Жапония"}).content.decode()
        for title in hidden:
            assert title not in html
    for title in hidden:
        word = title.split()[1]
        assert client.get(API, {"q": word, "locale": "kk"}).json()["count"] == 0
        assert client.get(SUGGEST, {"q": word, "locale": "kk"}).json()["results"] == []


def test_api_empty_query_gives_hint(client, japan_stories):
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "", "locale": "ru"}):
        response = client.get(API, params)
        assert response.status_code == 200
        data = response.json()
        assert data["results"] == [] and data["count"] == 0
        assert data["hint"]


def test_api_query_of_punctuation_finds_nothing(client, japan_stories):
    data = client.get(API, {"q": "«»!?", "locale": "kk"}).json()
    assert data["count"] == 0 and data["results"] == []


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"q": "ж" * 201}, "q"),
        ({"q": "Жапония", "locale": "xx"}, "locale"),
        ({"q": "Жапония", "page": "abc"}, "page"),
        ({"q": "Жапония", "page": "0"}, "page"),
        ({"q": "Жапония", "page": "99"}, "page"),
        ({"q": "Жапония", "page_size": "101"}, "page_size"),
        ({"q": "Жапония", "date_from": "2024-13-01"}, "date_from"),
        ({"q": "Жапония", "date_from": "2024-02-01", "date_to": "2024-01-01"}, "date_from"),
        ({"q": "Жапония", "topic": "no-such-topic"}, "topic"),
        ({"q": "Жапо\x00ния"}, "q"),
    ],
)
def test_api_bad_input_is_a_problem(client, japan_stories, params, parameter):
    response = client.get(API, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == 400
    assert parameter in [error["parameter"] for error in body["errors"]]


def test_api_query_of_200_characters_is_fine(client, japan_stories):
    response = client.get(API, {"q": ("Жапония " * 30)[:200]})
    assert response.status_code == 200


def test_api_pagination(client, site_tree):
    _home, index = site_tree
    for n in range(5):
        make_news(index, f"Жапония {n}")
    first = client.get(API, {"q": "Жапония", "page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2
    assert "page=2" in first["next"]
    last = client.get(API, {"q": "Жапония", "page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1 and last["next"] is None
    seen = [i["id"] for p in (1, 2, 3) for i in client.get(
        API, {"q": "Жапония", "page_size": 2, "page": p}
    ).json()["results"]]  # fmt: skip
    assert len(set(seen)) == 5


def test_api_query_count_does_not_grow_with_page_size(client, site_tree, django_assert_num_queries):
    from news.models import NewsTopic
    from tests.factories import NewsTopicFactory, make_image

    _home, index = site_tree
    topics = [NewsTopicFactory(), NewsTopicFactory()]
    image = make_image()
    for n in range(25):
        make_news(index, f"Жапония {n}", topics=topics, image=image)
    assert NewsTopic.objects.count() == 2
    # Warm-up (a different URL: each measured request misses the response cache).
    client.get(API, {"q": "Жапония", "page_size": 2, "locale": "ru"})
    counts = {}
    for size in (1, 20, 100):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(API, {"q": "Жапония", "page_size": size, "locale": "ru"})
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(size, 25)
        counts[size] = len(captured)
    # 8: the listing's author links (bylines, issue 17) are one prefetch more.
    assert counts[1] == counts[20] == counts[100] <= 8, counts
    # The total is memoised per content version and query: warm up the kk query too.
    client.get(API, {"q": "Жапония", "page_size": 3, "locale": "kk"})
    with django_assert_num_queries(counts[1]):
        client.get(API, {"q": "Жапония", "page_size": 7, "locale": "kk"})


def test_suggest(client, japan_stories):
    data = client.get(SUGGEST, {"q": "жапо", "locale": "kk"}).json()
    assert data["query"] == "жапо"
    titles = [item["title"] for item in data["results"]]
    assert sorted(titles) == ["Жапония елшісі", "Жапониямен келісім"]
    # A word inside the title counts too; several words must be consecutive.
    assert [i["title"] for i in client.get(SUGGEST, {"q": "елш"}).json()["results"]] == [
        "Жапония елшісі"
    ]
    assert client.get(SUGGEST, {"q": "елшісі жапо"}).json()["results"] == []
    # In Russian: the translation, and the Kazakh-only story marked as fallback.
    items = client.get(SUGGEST, {"q": "жапо", "locale": "ru"}).json()["results"]
    assert [(i["title"], i["is_fallback"], i["locale"]) for i in items] == [
        ("Жапония елшісі", True, "kk")
    ]
    assert items[0]["url"].startswith("/ru/")
    items = client.get(SUGGEST, {"q": "согл", "locale": "ru"}).json()["results"]
    assert [(i["title"], i["is_fallback"]) for i in items] == [("Соглашение с Японией", False)]


def test_suggest_limit_and_bad_input(client, site_tree, django_assert_max_num_queries):
    _home, index = site_tree
    for n in range(12):
        make_news(index, f"Жапония {n}")
    assert len(client.get(SUGGEST, {"q": "жап"}).json()["results"]) == 8
    assert len(client.get(SUGGEST, {"q": "жап", "limit": 3}).json()["results"]) == 3
    assert client.get(SUGGEST, {"q": ""}).json()["results"] == []
    for params, parameter in (
        ({"q": "ж" * 201}, "q"),
        ({"q": "ж", "limit": "0"}, "limit"),
        ({"q": "ж", "limit": "many"}, "limit"),
        ({"q": "ж", "locale": "de"}, "locale"),
    ):
        response = client.get(SUGGEST, params)
        assert response.status_code == 400, params
        assert response["Content-Type"].startswith(PROBLEM)
        assert parameter in [e["parameter"] for e in response.json()["errors"]]
    client.get(SUGGEST, {"q": "жап", "limit": 1})
    with django_assert_max_num_queries(4):
        client.get(SUGGEST, {"q": "жапон", "limit": 20})


def test_search_page_lists_results(client, japan_stories):
    response = client.get("/kk/search/", {"q": "Жапонияға"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Жапония елшісі" in html
    assert "Жапониямен келісім" in html
    results = response.context["results"]
    assert [page.pk for page in results][:2]
    assert all("<mark>" in str(page.search_snippet) for page in results)
    # The snippet is shown, escaped, with the matched word marked.
    assert '<p class="search-result__snippet" lang="kk"><mark>Жапонияның</mark> елшісі' in html


def test_search_page_snippet_is_escaped(client, site_tree):
    _home, index = site_tree
    make_news(index, "Белгі", lead='<img src=x onerror="alert(1)"> Жапония')
    html = client.get("/kk/search/", {"q": "Жапония"}).content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>Жапония</mark>" in html
    assert '<img src=x onerror="alert(1)">' not in html


def test_search_page_in_russian_marks_fallback(client, japan_stories):
    response = client.get("/ru/search/", {"q": "Жапония"})
    assert response.status_code == 200
    (page,) = response.context["results"]
    assert page.is_fallback and page.display_url.startswith("/ru/")


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {},
        {"q": "ж" * 500},
        {"q": "Жапония", "page": "abc"},
        {"q": "Жапония", "page": "999999999999999999999"},
        {"q": "Жапония", "date_from": "2024-99-99", "topic": "nope"},
        {"q": "Жапо\x00ния"},
        {"q": "' OR 1=1 --"},
        {"q": "%_%"},
    ],
)
def test_search_page_never_fails(client, japan_stories, params):
    response = client.get("/en/search/", params)
    assert response.status_code == 200


def test_search_page_hint_and_overlong_message(client, japan_stories):
    response = client.get("/kk/search/")
    assert response.context["search_hint"]
    assert response.context["results"] == []
    response = client.get("/kk/search/", {"q": "ж" * 201})
    assert response.context["search_error"]
    assert response.context["results"] == []


def test_search_page_paginates(client, site_tree, settings):
    settings.NEWSDESK_PAGE_SIZE = 2
    _home, index = site_tree
    for n in range(5):
        make_news(index, f"Жапония {n}")
    first = client.get("/kk/search/", {"q": "Жапония"})
    assert len(first.context["results"]) == 2
    assert first.context["paginator"].num_pages == 3
    last = client.get("/kk/search/", {"q": "Жапония", "page": "3"})
    assert len(last.context["results"]) == 1


def test_snippets_quote_the_story_text_only(client, site_tree):
    """Issue 32: snippets ran the byline, authors' names, captions and credits together.

    They are still searched (a reporter's name finds their stories), never quoted.
    """
    _home, index = site_tree
    page = make_news(
        index,
        "Елшілік",
        lead="",
        byline="Айгүл Сейітова",
        image_caption="Суреттің жазуы",
        body=[
            ("paragraph", "<p>Жапония елшісі Алматыға келді.</p>"),
            ("image", {"image": None, "caption": "Алаң суреті", "credit": "Ерлан Фотограф"}),
        ],
    )
    data = client.get(API, {"q": "Жапония", "locale": "kk"}).json()
    (item,) = data["results"]
    assert item["snippet"] == "<mark>Жапония</mark> елшісі Алматыға келді."
    for query in ("Сейітова", "жазуы", "Фотограф"):
        (item,) = client.get(API, {"q": query, "locale": "kk"}).json()["results"]
        assert item["id"] == page.pk
        assert item["snippet"] == "Жапония елшісі Алматыға келді."
