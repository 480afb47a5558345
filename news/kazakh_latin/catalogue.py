"""The reader site's words in Latin letters: ``kk_Latn`` catalogues made from the Kazakh ones.

``compile_translations`` writes ``<locale dir>/kk_Latn/LC_MESSAGES/<domain>.po`` beside
each Kazakh catalogue of the reader site (the site's ``locale/``, ``news/locale/``,
``search/locale/``; not the admin's ``kazakh_admin``: editors work in Cyrillic), every
``msgstr`` through ``to_latin`` (rich text through ``html_to_latin``). The files are
committed, so a reviewer reads each string as the Latin edition prints it, and
``tests/kazakh_latin/test_catalogue.py`` fails when one drifts from its Kazakh source.
The edition transliterates whole answers with the same functions (news.kazakh_latin.edition),
so what the catalogue says is what readers get; the editors' exceptions
(``LatinSpelling``) apply at render time only.
"""

import os
import tempfile
from pathlib import Path

import polib

from news.kazakh_latin.markup import html_to_latin
from news.kazakh_latin.text import to_latin

LATIN_DIR = "kk_Latn"
SOURCE_DIR = "kk"
# Apps whose catalogues are the admin's (editors and translators), not the reader site's.
SKIPPED_APPS = ("kazakh_admin", "newsdesk_memory")


def _latin(text):
    if not text:
        return text
    if "<" in text and ">" in text:
        return html_to_latin(text)
    return to_latin(text)


def latin_catalogue(kazakh_po):
    """A ``polib.POFile``: the Kazakh catalogue ``kazakh_po`` (a path) in Latin letters."""
    source = polib.pofile(str(kazakh_po))
    result = polib.POFile(wrapwidth=source.wrapwidth)
    result.metadata = {
        **source.metadata,
        "Language": LATIN_DIR,
        "Language-Team": "Generated from the Kazakh catalogue (news.kazakh_latin.catalogue)",
    }
    result.header = (
        "Kazakh in Latin letters, generated from ../../kk/LC_MESSAGES by "
        "`manage.py compile_translations`. Do not edit: correct the Kazakh catalogue "
        "(or add a Latin spelling in the admin)."
    )
    for entry in source:
        if entry.obsolete:
            continue
        result.append(
            polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                msgstr=_latin(entry.msgstr),
                msgstr_plural={k: _latin(v) for k, v in entry.msgstr_plural.items()},
                flags=list(entry.flags),
                occurrences=[],
            )
        )
    return result


def latin_targets(locale_dirs):
    """``[(kazakh .po, its kk_Latn .po)]`` in ``locale_dirs`` (Paths)."""
    pairs = []
    for locale_dir in locale_dirs:
        locale_dir = Path(locale_dir)
        if locale_dir.parent.name in SKIPPED_APPS:
            continue
        for kazakh in sorted((locale_dir / SOURCE_DIR / "LC_MESSAGES").glob("*.po")):
            pairs.append((kazakh, locale_dir / LATIN_DIR / "LC_MESSAGES" / kazakh.name))
    return pairs


def write_if_changed(path, data):
    """Write ``data`` (bytes) to ``path`` only when it differs, and atomically (a temporary
    file renamed over it): a server starting beside ``compile_translations`` (CI runs the
    browser tests beside ``make test``) reads the old file or the new one, never half of
    one. Returns whether it wrote."""
    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def write_latin_catalogues(locale_dirs):
    """Write every ``kk_Latn`` catalogue (``write_if_changed``); returns how many."""
    pairs = latin_targets(locale_dirs)
    for kazakh, latin in pairs:
        catalogue = latin_catalogue(kazakh)
        write_if_changed(latin, str(catalogue).encode(catalogue.encoding))
    return len(pairs)
