"""topics/ and corrections/: localised, with fallback, ETags, cache keys and constant SQL."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from news import cache_keys
from tests.api.conftest import get_json, make_news, translate
from tests.factories import NewsTopicFactory

UTC = datetime.UTC


def notes(*items):
    return [("note", {"kind": kind, "at": at, "text": text}) for kind, at, text in items]


def at(day):
    return datetime.datetime(2024, 5, day, 9, 30, tzinfo=UTC)


def test_topics_are_localised_with_fallback_and_counts(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    politics = NewsTopicFactory(name="Саясат", slug="sayasat")
    translate(politics, "ru", strings={"Саясат": "Политика", "sayasat": "politika"})
    sport = NewsTopicFactory(name="Спорт", slug="sport")  # Kazakh only
    make_news(index, "Бір", slug="bir", topics=[politics])
    translated = make_news(index, "Екі", slug="eki", topics=[politics, sport])
    translate(translated, "ru", strings={"eki": "dva"})

    data = get_json(client, "/api/v1/topics/?locale=ru")
    by_key = {item["translation_key"]: item for item in data["results"]}
    ru = by_key[str(politics.translation_key)]
    assert (ru["name"], ru["slug"], ru["locale"], ru["is_fallback"]) == (
        "Политика", "politika", "ru", False,
    )  # fmt: skip
    assert ru["count"] == 2  # a Kazakh-only story counts in Russian too (fallback)
    assert ru["news_api_url"].endswith("/api/v1/news/?locale=ru&topic=politika")
    kk = by_key[str(sport.translation_key)]
    assert (kk["name"], kk["locale"], kk["is_fallback"], kk["count"]) == ("Спорт", "kk", True, 1)
    # The count is the news list's own.
    listed = get_json(client, "/api/v1/news/?locale=ru&topic=politika")
    assert listed["count"] == ru["count"]
    # Without fallback languages a story untranslated into en is still listed (as the list).
    en = get_json(client, "/api/v1/topics/?locale=en")
    assert {item["name"] for item in en["results"]} == {"Саясат", "Спорт"}
    assert client.get("/api/v1/topics/?locale=xx").status_code == 400


def test_corrections_newest_first_paginated(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    make_news(index, "Бір", slug="bir", notes=notes(("correction", at(3), "Бірінші түзету.")))
    two = make_news(
        index,
        "Екі",
        slug="eki",
        notes=notes(
            ("correction", at(5), "Екінші түзету."),
            ("update", at(6), "Жаңарту — түзету емес."),
        ),
    )
    make_news(index, "Түзетусіз", slug="tuzetusiz")
    translate(two, "ru", strings={"eki": "dva"})

    data = get_json(client, "/api/v1/corrections/?locale=ru&page_size=1")
    assert data["count"] == 2
    assert "page=2" in data["next"] and data["previous"] is None
    [first] = data["results"]
    assert first["kind"] == "correction"
    assert first["at"] == at(5).isoformat()
    assert first["story"]["id"] == two.get_translation(_ru_index.locale).pk
    assert first["story"]["locale"] == "ru"
    second = get_json(client, "/api/v1/corrections/?locale=ru&page_size=1&page=2")["results"]
    assert [note["text"] for note in second] == ["Бірінші түзету."]
    assert second[0]["story"]["locale"] == "kk"  # a fallback story
    assert client.get("/api/v1/corrections/?page=3&page_size=1").status_code == 400


def test_etags_cache_keys_and_304(client, ru_site, settings):
    settings.NEWSDESK_RESPONSE_CACHE = True
    _home, index, _ru_home, _ru_index = ru_site
    topic = NewsTopicFactory(name="Саясат", slug="sayasat")
    make_news(index, "Бір", slug="bir", topics=[topic], notes=notes(("correction", at(3), "Т.")))
    for url in ("/api/v1/topics/?locale=ru", "/api/v1/corrections/?locale=ru"):
        response = client.get(url)
        assert response["ETag"], url
        keys = set(response["Surrogate-Key"].split())
        public = cache_keys.public  # the keys go out opaque (issue 27 #9)
        assert public(cache_keys.SITE) in keys
        if "topics" in url:
            wanted = {cache_keys.listing("ru"), cache_keys.topic(topic.translation_key)}
            assert {public(key) for key in wanted} <= keys
        else:
            assert public(cache_keys.ANY) in keys
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    # Corrections: Last-Modified is the newest correction's time.
    assert client.get("/api/v1/corrections/")["Last-Modified"] == "Fri, 03 May 2024 09:30:00 GMT"


def count_queries(client, url):
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_constant_queries(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    measured = {}
    for size in (1, 10):
        while len(measured.get("stories", [])) < size:
            n = len(measured.setdefault("stories", []))
            topic = NewsTopicFactory(name=f"Тақырып {n}", slug=f"t-{n}")
            measured["stories"].append(
                make_news(
                    index,
                    f"Жаңалық {n}",
                    slug=f"s-{n}",
                    topics=[topic],
                    notes=notes(("correction", at(1 + n), f"Түзету {n}.")),
                )
            )
        measured[size] = (
            count_queries(client, "/api/v1/topics/?locale=ru"),
            count_queries(client, "/api/v1/corrections/?locale=ru"),
        )
    assert measured[1] == measured[10], measured
    assert measured[10] <= (TOPICS_BUDGET, CORRECTIONS_BUDGET), measured


# The content version; the listing's topic counts (topics: the table is memoised).
TOPICS_BUDGET = 2
# The content version; the corrected stories, their topics/authors, images, notes' sources.
CORRECTIONS_BUDGET = 6
