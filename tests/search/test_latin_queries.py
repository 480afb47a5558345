"""Search across scripts: a Latin query, with or without diacritics, finds the Cyrillic story.

Runs on whichever database the suite runs on (SQLite's FTS5 and PostgreSQL's tsvector
match the same stored terms); CI runs it on both.
"""

import pytest

from search import analysis
from search.query import highlight, search_news
from tests.search.helpers import make_distractors, make_seed_article


@pytest.fixture
def seeded(site_tree):
    _home, index = site_tree
    seed = make_seed_article(index)
    make_distractors(index)
    return seed


@pytest.mark.parametrize(
    "q",
    [
        "nyğaitu",  # 2021 alphabet, as written
        "nygaitu",  # without diacritics
        "NYĞAİTU",  # in capitals, with the dotted İ
        "nyǵaıtý",  # the 2018 alphabet
        "perspektivalardy nygaitu",
        "Sūltanğaziev",
        "Sultangaziev",
        "bailanystar",
        "нығайту",  # Cyrillic keeps working
    ],
)
def test_a_latin_query_finds_the_cyrillic_story(seeded, q):
    results = list(search_news(q, "kk")[:3])
    assert results and results[0].pk == seeded.pk, q


def test_a_diacritic_free_query_finds_a_distractor_by_its_own_words(seeded):
    # «Жылқы шаруашылығы дамып келеді»: ш written s, қ written k.
    titles = [page.title for page in search_news("jylky saruasylygy", "kk")]
    assert titles == ["Жылқы шаруашылығы дамып келеді"]


def test_latin_words_still_mean_what_they_say(seeded):
    # Toyota is in the seed article in Latin letters: the English reading still matches.
    assert [page.pk for page in search_news("Toyota", "kk")] == [seeded.pk]
    assert not search_news("nygaitux", "kk").exists()


def test_the_snippet_marks_the_cyrillic_word_a_latin_query_found(seeded):
    snippet = highlight("Байланыстарды нығайтуға бағытталған жобалар.", "nygaitu", "kk")
    assert "<mark>нығайтуға</mark>" in snippet


def test_the_query_terms_of_a_latin_word():
    (group,) = analysis.query_terms("nygaitu", "kk")
    assert "nygaitu" in group and "ныгайту" in group
    (group,) = analysis.query_terms("nyğaitu", "kk")
    assert "нығайту" in group
    # Other languages read Latin words as before.
    assert analysis.query_terms("nygaitu", "ru") == [(analysis.stem("nygaitu", "en"),)]
