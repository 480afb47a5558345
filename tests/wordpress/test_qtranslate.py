"""qTranslate-X strings split into their languages, in all three notations."""

import pytest

from news.ingest.wordpress import qtranslate


@pytest.mark.parametrize(
    "text",
    [
        "[:kk]Сәлем[:ru]Привет[:en]Hello[:]",
        "[:kk]Сәлем[:ru]Привет[:en]Hello",  # the closing [:] is optional
        "{:kk}Сәлем{:}{:ru}Привет{:}{:en}Hello{:}",
        "<!--:kk-->Сәлем<!--:--><!--:ru-->Привет<!--:--><!--:en-->Hello<!--:-->",
    ],
)
def test_three_notations(text):
    split = qtranslate.split(text)
    assert split.multilingual
    assert split.parts == {"kk": "Сәлем", "ru": "Привет", "en": "Hello"}
    assert split.languages() == ["kk", "ru", "en"]


def test_empty_part_has_no_language():
    split = qtranslate.split("[:kk]Мәтін[:ru]&nbsp;[:en][:]")
    assert split.languages() == ["kk"]
    assert split.get("ru") == "&nbsp;"
    assert qtranslate.is_empty(split.get("ru"))


def test_plain_text_is_the_same_in_every_language():
    split = qtranslate.split("Жай мәтін")
    assert not split.multilingual
    assert split.get("ru") == split.get("kk") == "Жай мәтін"


def test_text_outside_blocks_is_shared_and_kz_means_kazakh():
    split = qtranslate.split("<p>[:kz]Бір[:ru]Один[:]</p>")
    assert split.parts == {"kk": "<p>Бір</p>", "ru": "<p>Один</p>"}


def test_unknown_codes_are_kept_for_the_importer_to_report():
    assert qtranslate.split("[:de]Hallo[:kk]Сәлем[:]").languages() == ["de", "kk"]
