"""Snippets: an escaped window around the first match, matched words in <mark>."""

from search.query import SNIPPET_LENGTH, highlight


def test_marks_every_inflected_form_in_the_window():
    text = "Жапонияның елшісі Жапонияда болды, Жапонияны мақтады."
    assert str(highlight(text, "Жапонияға", "kk")) == (
        "<mark>Жапонияның</mark> елшісі <mark>Жапонияда</mark> болды, "
        "<mark>Жапонияны</mark> мақтады."
    )


def test_window_starts_near_the_first_match_on_a_word_boundary():
    text = "сөз " * 100 + "Toyota орталығы ашылды. " + "сөз " * 100
    snippet = str(highlight(text, "toyota", "kk"))
    assert snippet.startswith("…сөз ")
    assert snippet.endswith("…")
    assert "<mark>Toyota</mark> орталығы ашылды." in snippet
    visible = snippet.replace("<mark>", "").replace("</mark>", "")
    assert len(visible) <= SNIPPET_LENGTH + 2
    assert " сө…" not in snippet  # never cuts a word


def test_without_a_match_the_beginning_of_the_text():
    assert str(highlight("Бірінші сөйлем. Екінші.", "Toyota", "kk")) == "Бірінші сөйлем. Екінші."
    assert str(highlight("", "Toyota", "kk")) == ""
    assert str(highlight(None, "Toyota", "kk")) == ""


def test_text_and_matches_are_escaped():
    snippet = str(highlight('<b onclick="x">Жапония</b> & "Қытай"', "Жапония", "kk"))
    assert snippet == (
        "&lt;b onclick=&quot;x&quot;&gt;<mark>Жапония</mark>&lt;/b&gt; &amp; &quot;Қытай&quot;"
    )


def test_russian_and_english_words_are_stemmed_as_indexed():
    assert "<mark>новостях</mark>" in str(highlight("О последних новостях.", "новость", "ru"))
    assert "<mark>translations</mark>" in str(highlight("New translations.", "translation", "en"))
