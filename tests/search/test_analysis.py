"""The analyzer: Kazakh suffix stripping, Snowball for Russian and English, tokenizing."""

import pytest

from search.analysis import (
    analyze,
    kazakh_stem,
    kazakh_stems,
    query_terms,
    stem,
    term_string,
    tokenize,
)


@pytest.mark.parametrize(
    ("inflected", "base"),
    [
        ("жапонияның", "жапония"),  # genitive after a vowel
        ("жапонияда", "жапония"),  # locative
        ("жапонияға", "жапония"),  # dative
        ("жапонияны", "жапония"),  # accusative after a vowel
        ("жапониядағы", "жапония"),  # locative + relative -ғы
        ("сұлтанғазиевпен", "сұлтанғазиев"),  # instrumental after a voiceless consonant
        ("қазақстанмен", "қазақстан"),  # instrumental after н
        ("қазақстанның", "қазақстан"),  # genitive after н
        ("қазақстанды", "қазақстан"),  # accusative after a consonant
        ("инвестициялар", "инвестиция"),  # plural
        ("мемлекеттер", "мемлекет"),  # plural after a voiceless consonant
        ("елдеріңізді", "ел"),  # plural + possessive + accusative
        ("облысымыздың", "облыс"),  # possessive 1pl + genitive
        ("кездесудегі", "кездесу"),  # -у counts as a consonant: -де, not -не
        ("дамытудың", "дамыту"),
        ("тәжірибесімен", "тәжірибе"),  # possessive -сі + instrumental
        ("қаласына", "қала"),  # possessive -сы + pronominal -на
        ("жапондық", "жапон"),  # derivational -дық
    ],
)
def test_kazakh_forms_meet_on_one_stem(inflected, base):
    assert set(kazakh_stems(inflected)) & set(kazakh_stems(base))


@pytest.mark.parametrize(
    ("word", "stem_"),
    [
        ("жапония", "жапония"),
        ("алматы", "алмат"),  # -ы, not -ты: -ты never follows a vowel
        ("астана", "астана"),  # -на only follows the possessive -ы/-і
        ("салық", "салық"),  # -лық needs a stem of three letters
        ("ет", "ет"),  # never below two letters
        ("мен", "мен"),
        ("ата", "ата"),
    ],
)
def test_kazakh_stems_are_not_eaten(word, stem_):
    assert kazakh_stem(word) == stem_


def test_kazakh_possessive_reads_both_ways():
    # «облысы» is облыс + ы, «елшісі» is елші + сі; both readings are kept.
    assert "облыс" in kazakh_stems("облысы")
    assert set(kazakh_stems("елшісі")) & set(kazakh_stems("елші"))


def test_different_kazakh_words_stay_apart():
    assert not set(kazakh_stems("жапония")) & set(kazakh_stems("жапон"))
    assert not set(kazakh_stems("ел")) & set(kazakh_stems("елші"))
    assert not set(kazakh_stems("жыл")) & set(kazakh_stems("жылқы"))


def test_russian_and_english_stemming():
    assert stem("новостях", "ru") == stem("новости", "ru") == stem("новость", "ru")
    assert stem("translations", "en") == stem("translation", "en")
    # Latin words are stemmed as English in any language; Cyrillic in English texts as Russian.
    assert stem("toyota", "kk") == stem("toyota", "en")
    assert stem("новостях", "en") == stem("новости", "ru")


def test_tokenize_lowercases_folds_yo_and_splits_compounds():
    assert tokenize("Іс-қимыл, «Жапония» ЁЛКА 2024!") == ["іс", "қимыл", "жапония", "елка", "2024"]
    assert tokenize("") == []
    assert tokenize(None) == []
    assert tokenize("x" * 41) == []  # noise, never indexed


def test_query_terms_drop_stopwords_unless_alone():
    assert query_terms("жылқы еті және", "kk") == [("жылқ",), ("ет",)]
    assert query_terms("және", "kk") == [("және",)]
    assert query_terms("the translations", "en") == [("translat",)]
    assert query_terms("«»!?", "kk") == []


def test_analyze_and_term_string():
    # Each Kazakh word: its stems, then its folded Latin forms (stem, word) for Latin queries.
    assert analyze("Жапонияның Жапонияда", "kk") == [
        "жапония", "japoniia", "japoniianyn", "жапония", "japoniia", "japoniiada",
    ]  # fmt: skip
    assert "japoniia" not in analyze("Жапонияның", "ru")
    assert term_string(["a", "b", "a"]) == " a b "
    assert term_string(["a", "b", "a"], unique=False) == " a b a "
    assert term_string([]) == ""
