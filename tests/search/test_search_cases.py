"""What readers type finds what they expect: ../shared/search-queries.json (copied to data/)."""

import pytest

from search.query import search_news
from tests.factories import make_news, translate
from tests.search.helpers import load_json, make_distractors, make_seed_article

CASES = load_json("search-queries.json")["cases"]


@pytest.fixture
def seeded(site_tree):
    home, index = site_tree
    for code in ("ru", "en"):
        translate(home, code)
        translate(index, code)
    distractors = make_distractors(index)
    # A translated story too, so a Russian reader's list mixes own and fallback items.
    translate(distractors[0], "ru", strings={distractors[0].title: "Новая школа в области"})
    seed = make_seed_article(index)
    return index, seed


def test_the_cases_file_was_copied_whole():
    assert len(CASES) == 8
    assert {case["locale"] for case in CASES} == {"kk", "ru"}


@pytest.mark.parametrize("case", CASES, ids=[f"{c['locale']}:{c['q']}" for c in CASES])
def test_every_case_finds_the_seed_article_in_the_top_three(seeded, case):
    _index, seed = seeded
    results = list(search_news(case["q"], case["locale"])[:3])
    titles = [page.title for page in results]
    assert case["expect_title"] in titles, titles
    found = results[titles.index(case["expect_title"])]
    assert found.translation_key == seed.translation_key
    assert found.locale.language_code == "kk"


def test_russian_reader_gets_the_kazakh_article_marked_as_fallback(seeded, client):
    response = client.get("/api/v1/search/", {"q": "Toyota", "locale": "ru"})
    assert response.status_code == 200
    item = response.json()["results"][0]
    assert item["title"] == "Байланыстар мен перспективаларды нығайту"
    assert item["is_fallback"] is True
    assert item["locale"] == "kk"
    assert item["requested_locale"] == "ru"
    assert item["url"].startswith("/ru/")
    assert "<mark>Toyota</mark>" in item["snippet"]


def test_fallback_false_keeps_to_the_locale(seeded):
    assert not search_news("Toyota", "ru", fallback=False).exists()


def test_russian_inflection(site_tree):
    home, index = site_tree
    translate(home, "ru")
    translate(index, "ru")
    story = make_news(index, "Жаңалықтар туралы", lead="Жаңалықтар")
    ru = translate(
        story,
        "ru",
        strings={
            "Жаңалықтар туралы": "О новостях",
            "Жаңалықтар туралы мәтіні.": "Последние новости.",
        },
    )
    for query in ("новостях", "новости", "новость", "НОВОСТЬ", "последняя новость"):
        pks = [page.pk for page in search_news(query, "ru")]
        assert pks == [ru.pk], query
    assert not search_news("погода", "ru").exists()


def test_english_inflection(site_tree):
    home, index = site_tree
    translate(home, "en")
    translate(index, "en")
    story = make_news(index, "Аударма", lead="Аударма")
    en = translate(
        story,
        "en",
        strings={"Аударма": "Translation", "Аударма мәтіні.": "The translators were translating."},
    )
    for query in ("translations", "translation", "Translated", "translator"):
        pks = [page.pk for page in search_news(query, "en")]
        assert pks == [en.pk], query


def test_title_matches_rank_above_body_matches(site_tree):
    _home, index = site_tree
    in_body = make_news(index, "Экономика", lead="Жапония туралы бір сөз.")
    in_title = make_news(index, "Жапония", lead="Басқа мәтін.")
    older_title = make_news(
        index, "Жапонияның жаңалығы", lead="Басқа мәтін.", date=in_body.date.replace(year=2020)
    )
    pks = [page.pk for page in search_news("Жапония", "kk")]
    assert pks[:2] == [in_title.pk, older_title.pk]
    assert pks[2] == in_body.pk


def test_all_words_must_match(seeded):
    assert search_news("Жапония Toyota", "kk").count() == 1
    assert not search_news("Жапония пингвин", "kk").exists()


def test_filters_topic_and_dates(site_tree):
    from datetime import date

    from tests.factories import NewsTopicFactory

    _home, index = site_tree
    topic = NewsTopicFactory(name="Экономика", slug="ekonomika")
    old = make_news(index, "Жапония ескі", date=date(2020, 1, 1), topics=[topic])
    new = make_news(index, "Жапония жаңа", date=date(2024, 1, 1))
    assert [p.pk for p in search_news("Жапония", "kk", topic=topic)] == [old.pk]
    assert [p.pk for p in search_news("Жапония", "kk", topic="ekonomika")] == [old.pk]
    assert not search_news("Жапония", "kk", topic="no-such-topic").exists()
    assert [p.pk for p in search_news("Жапония", "kk", date_from=date(2023, 1, 1))] == [new.pk]
    assert [p.pk for p in search_news("Жапония", "kk", date_to=date(2021, 1, 1))] == [old.pk]
