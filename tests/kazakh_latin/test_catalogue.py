"""The committed kk_Latn catalogues are the Kazakh ones in Latin letters, as generated.

``manage.py compile_translations`` regenerates them (news.kazakh_latin.catalogue); a
Kazakh string changed without regenerating fails here, and so does a hand edit.
"""

from pathlib import Path

import polib
import pytest
from django.conf import settings

from news.kazakh_latin import catalogue
from news.kazakh_latin.text import CYRILLIC_RE

BASE_DIR = Path(settings.BASE_DIR)
DIRS = [BASE_DIR / "locale", BASE_DIR / "news" / "locale", BASE_DIR / "search" / "locale"]
PAIRS = catalogue.latin_targets(DIRS)


def _messages(po):
    return {
        (entry.msgctxt, entry.msgid): (entry.msgstr, dict(entry.msgstr_plural))
        for entry in po
        if not entry.obsolete
    }


def test_the_reader_site_has_a_latin_catalogue_per_kazakh_one():
    assert len(PAIRS) >= 3
    assert all(latin.exists() for _kazakh, latin in PAIRS), (
        "run `manage.py compile_translations` and commit the kk_Latn catalogues"
    )


@pytest.mark.parametrize("pair", PAIRS, ids=lambda pair: str(pair[1].relative_to(BASE_DIR)))
def test_the_latin_catalogue_has_not_drifted_from_the_kazakh_one(pair):
    kazakh, latin = pair
    committed = _messages(polib.pofile(str(latin)))
    assert committed == _messages(catalogue.latin_catalogue(kazakh)), (
        f"{latin} drifted from {kazakh}: run `manage.py compile_translations` and commit it"
    )
    texts = [text for text, plural in committed.values() for text in (text, *plural.values())]
    assert not any(CYRILLIC_RE.search(text) for text in texts if text)


def test_the_latin_catalogue_writes_what_the_kazakh_one_says():
    found = []
    for kazakh, latin in PAIRS:
        kazakh_messages = _messages(polib.pofile(str(kazakh)))
        latin_messages = _messages(polib.pofile(str(latin)))
        assert latin_messages.keys() == kazakh_messages.keys()
        if (None, "Search") in kazakh_messages:
            found.append((kazakh_messages[None, "Search"][0], latin_messages[None, "Search"][0]))
    assert ("Іздеу", "Izdeu") in found
