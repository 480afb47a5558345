"""Kazakh Cyrillic → Latin on plain text, rich text and StreamField values (no database)."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given, settings
from hypothesis import strategies as st

from news.blocks import NewsBodyBlock
from news.kazakh_latin import (
    Spellings,
    capitalize,
    fold,
    latin_chunk,
    latin_slug,
    lower,
    protected_spans,
    segments,
    to_cyrillic,
    to_latin,
    upper,
)
from news.kazakh_latin.markup import TAG_RE, html_to_latin, stream_to_latin
from news.kazakh_latin.tables import KAZAKH_CYRILLIC

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed-page-kk.txt"  # copied from shared/fixtures
CYRILLIC = re.compile(r"[\u0400-\u052f]")


def cyrillic_letters(text):
    return [char for char in text if char.isalpha() and CYRILLIC.match(char)]


def word_list():
    rows = []
    for line in (DATA / "words-2021.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cyrillic, latin, kind = line.split("\t")
            rows.append((cyrillic, latin, kind))
    return rows


WORDS = word_list()
NATIVE = [cyrillic for cyrillic, _latin, kind in WORDS if kind == "n"]


def test_the_word_list_is_long_enough_and_has_no_duplicates():
    assert len(WORDS) >= 500
    assert len(NATIVE) >= 400
    assert len({cyrillic for cyrillic, _latin, _kind in WORDS}) == len(WORDS)


def test_every_word_of_the_list_is_spelled_as_the_2021_table_says():
    spelled = [(c, latin, to_latin(c, "2021")) for c, latin, _kind in WORDS]
    wrong = [row for row in spelled if row[1] != row[2]]
    assert not wrong


def test_native_words_read_back_to_cyrillic():
    """Cyrillic → Latin → Cyrillic gives the word back for every native word."""
    failures = [(w, to_latin(w, "2021")) for w in NATIVE if to_cyrillic(to_latin(w, "2021")) != w]
    assert not failures


def test_the_official_example_text():
    """The 1902 text as Wikipedia's "Kazakh alphabets" writes it in the 2021 alphabet."""
    cyrillic = (
        "Бұрыңғы өткен заманда, бір данышпан кісі, Бағдат шаһарының бір үлкен қазысының "
        "үйіне келіп қоныпты. Қазыменен сөйлесіп, қазыны сөзге жеңе беріпті."
    )
    assert to_latin(cyrillic, "2021") == (
        "Būryñğy ötken zamanda, bır danyşpan kısı, Bağdat şaharynyñ bır ülken qazysynyñ "
        "üiıne kelıp qonypty. Qazymenen söilesıp, qazyny sözge jeñe berıptı."
    )


def test_every_kazakh_letter_has_a_latin_spelling_in_both_alphabets():
    for version in ("2021", "2018"):
        for letter in KAZAKH_CYRILLIC + KAZAKH_CYRILLIC.upper():
            assert not cyrillic_letters(to_latin(letter, version)), (version, letter)


def test_the_letters_taken_from_russian():
    assert to_latin("ёлка цирк чемодан щетка объект фильм экран юрист ядро", "2021") == (
        "iolka tsirk chemodan şşetka obekt film ekran iurist iadro"
    )
    assert to_latin("чемодан щетка юрист ядро", "2018") == "chemodan shshetka ıýrıst ıadro"


def test_dotted_and_dotless_i_in_capitals():
    # Python gets these wrong: "i".upper() is "I", "İ".lower() is "i" + a combining dot.
    assert "i".upper() == "I" and len("İ".lower()) == 2
    assert upper("bır iş") == "BIR İŞ"
    assert lower("İSTANBUL IRYS") == "istanbul ırys"
    assert capitalize("ile") == "İle" and capitalize("ıle") == "Ile"
    assert to_latin("ІЛЕ ИЯ Іле Ислам ЯСАУИ Ясауи", "2021") == "ILE İİA Ile İslam İASAUİ İasaui"
    assert to_cyrillic("ILE İslam Ile") == "ІЛЕ Ислам Іле"


def test_capitals_of_digraphs_follow_the_word():
    assert to_latin("ШЫМКЕНТ Шымкент ҚазАқпарат", "2018") == "SHYMKENT Shymkent QazAqparat"
    assert to_latin("ЧЕМОДАН Чемодан", "2021") == "CHEMODAN Chemodan"


def test_the_2018_alphabet():
    assert to_latin("Қазақстан Республикасының Президенті", "2018") == (
        "Qazaqstan Respýblıkasynyń Prezıdenti"
    )
    assert to_latin("Қазақстан Республикасының Президенті", "2021") == (
        "Qazaqstan Respublikasynyñ Prezidentı"
    )


def test_the_alphabet_comes_from_the_setting(settings):
    assert to_latin("ағаш") == "ağaş"
    settings.NEWSDESK_KAZAKH_LATIN_ALPHABET = "2018"
    assert to_latin("ағаш") == "aǵash"
    settings.NEWSDESK_KAZAKH_LATIN_ALPHABET = "2017"
    with pytest.raises(ImproperlyConfigured):
        to_latin("ағаш")


def test_urls_addresses_handles_and_code_stay_as_they_are():
    text = (
        "Сайт: https://kk.wikipedia.org/wiki/Қазақстан, www.мысал.kz/жол, хат: әкім@мысал.kz, "
        "@ақорда, `код` 2024 жылы Toyota"
    )
    assert to_latin(text, "2021") == (
        "Sait: https://kk.wikipedia.org/wiki/Қазақстан, www.мысал.kz/жол, hat: әкім@мысал.kz, "
        "@ақорда, `код` 2024 jyly Toyota"
    )
    assert [text[a:b] for a, b in protected_spans(text)] == [
        "https://kk.wikipedia.org/wiki/Қазақстан,",
        "www.мысал.kz/жол,",
        "әкім@мысал.kz",
        "@ақорда",
        "`код`",
    ]


def test_exceptions_apply_to_the_word_and_its_inflected_forms():
    spellings = Spellings([("Ямада", "Yamada", True), ("Джун", "Jun", False)])
    assert to_latin("Джун Ямада, Ямаданың ЯМАДА Джунның", "2021", spellings) == (
        "Jun Yamada, Yamadanyñ YAMADA Djunnyñ"
    )


def test_folding_meets_every_way_of_typing():
    assert fold("Nyğaitu") == fold("nygaitu") == fold("nyǵaıtý") == "nygaitu"
    assert fold("Qazaqşa") == fold("kazaksha") == "kazaksa"
    assert fold("İLE") == fold("Ile") == "ile"


def test_ascii_slug():
    assert latin_slug("Байланыстар мен перспективаларды нығайту") == (
        "bailanystar-men-perspektivalardy-nygaitu"
    )


def test_the_seed_article_leaves_less_than_one_percent_of_its_letters_in_cyrillic():
    text = SEED.read_text(encoding="utf-8")
    latin = to_latin(text, "2021")
    letters = [char for char in latin if char.isalpha()]
    cyrillic = cyrillic_letters(latin)
    assert len(letters) > 2000
    assert len(cyrillic) / len(letters) < 0.01


# --- Properties

KAZAKH_TEXT = st.text(
    alphabet=st.sampled_from(
        KAZAKH_CYRILLIC + KAZAKH_CYRILLIC.upper() + "abcİıiIĞ0123456789 .,-«»—:/@`\n"
    ),
    max_size=200,
)
ANY_CYRILLIC = st.text(alphabet=st.characters(min_codepoint=0x0400, max_codepoint=0x052F))
PROTECTED = st.sampled_from(
    ["https://мысал.kz/қала", "әкім@мысал.kz", "`код`", "@ақорда", "www.мысал.kz"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(KAZAKH_TEXT, PROTECTED, ANY_CYRILLIC), max_size=8))
def test_no_cyrillic_letter_survives_outside_protected_spans(parts):
    text = " ".join(parts)
    latin = to_latin(text, "2021")
    pieces = [chunk if kept else latin_chunk(chunk, "2021") for kept, chunk in segments(text)]
    assert "".join(pieces) == latin
    for kept, chunk in segments(text):
        if not kept:
            assert not cyrillic_letters(latin_chunk(chunk, "2021")), chunk


def test_a_stretch_between_spans_is_transliterated_even_if_it_looks_like_one_alone():
    """Found by the property above: «@Ё» is a @handle on its own, not after «@0»."""
    assert to_latin("@0@Ё", "2021") == "@0@İo"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x03FF)))
def test_text_without_cyrillic_is_unchanged(text):
    assert to_latin(text, "2021") == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("аәбгғдежзиіклмнңоөпрстуұүшыйқ"), min_size=1))
def test_latin_has_no_more_letters_than_it_should(word):
    # Native letters are one Latin letter each: the text keeps its length.
    assert len(to_latin(word, "2021")) == len(word)


# --- Rich text and StreamField


def test_html_keeps_tags_attributes_and_links():
    html = (
        '<p>Елші <a href="https://мысал.kz/елші" title="Елші">Джун</a> мен '
        '<a linktype="page" id="7">әкім</a> кездесті.</p>'
        '<p lang="ru">Извините</p><p><code>код</code> &laquo;Жапония&raquo; <br/>және</p>'
        '<embed embedtype="image" id="3" format="left" alt="Сурет"/>'
    )
    assert html_to_latin(html, "2021") == (
        '<p>Elşı <a href="https://мысал.kz/елші" title="Елші">Djun</a> men '
        '<a linktype="page" id="7">äkım</a> kezdestı.</p>'
        '<p lang="ru">Извините</p><p><code>код</code> &laquo;Japoniia&raquo; <br/>jäne</p>'
        '<embed embedtype="image" id="3" format="left" alt="Сурет"/>'
    )


def test_html_attributes_readers_see_on_request():
    html = '<img src="/сурет.png" alt="Сурет"><a href="/кк/" title="Басты бет">Басты</a>'
    assert html_to_latin(html, "2021", attributes=True) == (
        '<img src="/сурет.png" alt="Suret"><a href="/кк/" title="Basty bet">Basty</a>'
    )


def test_stream_value_text_blocks_are_transliterated_and_the_rest_kept():
    block = NewsBodyBlock()
    body = block.to_python(
        [
            {"type": "heading", "value": {"text": "Жаңалық", "level": "h2"}, "id": "a"},
            {"type": "paragraph", "value": '<p><a href="https://x.kz/жол">Жол</a></p>', "id": "b"},
            {
                "type": "quote",
                "value": {
                    "text": "Сөз",
                    "attribution": "Джун Ямада",
                    "role": "Елші",
                    "source_url": "https://мысал.kz/сөз",
                },
                "id": "c",
            },
            {
                "type": "image",
                "value": {"image": 5, "caption": "Алматы", "credit": "Тілші"},
                "id": "d",
            },
        ]
    )
    latin = stream_to_latin(body, "2021", keep=lambda raw: raw["id"] == "x")
    raw = list(latin.raw_data)
    assert [item["id"] for item in raw] == ["a", "b", "c", "d"]
    assert raw[0]["value"] == {"text": "Jañalyq", "level": "h2"}
    assert raw[1]["value"] == '<p><a href="https://x.kz/жол">Jol</a></p>'
    assert raw[2]["value"] == {
        "text": "Söz",
        "attribution": "Djun İamada",
        "role": "Elşı",
        "source_url": "https://мысал.kz/сөз",
    }
    assert raw[3]["value"] == {"image": 5, "caption": "Almaty", "credit": "Tılşı"}
    # The original is untouched, and a kept block stays as it is.
    assert list(body.raw_data)[0]["value"]["text"] == "Жаңалық"
    kept = stream_to_latin(body, "2021", keep=lambda raw: raw["id"] == "c")
    assert list(kept.raw_data)[2]["value"]["text"] == "Сөз"


TAGS = st.sampled_from(
    ["<p>", "</p>", '<a href="https://мысал.kz/жол" title="Жол">', "</a>", "<br/>", "<b>", "</b>"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(TAGS, KAZAKH_TEXT.map(lambda t: t.replace("<", " "))), max_size=12))
def test_html_tags_stay_and_each_text_node_is_transliterated(parts):
    html = "".join(parts)
    latin = html_to_latin(html, "2021")
    assert TAG_RE.findall(latin) == TAG_RE.findall(html)
    assert TAG_RE.split(latin) == [to_latin(node, "2021") for node in TAG_RE.split(html)]
