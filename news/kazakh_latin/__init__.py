"""Kazakh in the Latin alphabet, generated from the Cyrillic text (docs/kazakh-latin.md).

- ``tables``: the alphabets (2021, the default; 2018 with acute accents), by version;
- ``text``: plain text both ways, the Kazakh casing of İ/i and I/ı, the spans left
  alone, folding for search, ASCII slugs;
- ``markup``: rich text (HTML) and StreamField values;
- ``spellings``: the editors' exceptions (a snippet model) and their cache;
- ``preview``: the admin's "Latin" preview mode.

Pure functions here import nothing from the content layer; ``spellings`` holds the one
model and ``preview`` the page mixin, both imported by ``news.models``.
"""

from news.kazakh_latin.tables import ALPHABETS, DEFAULT_VERSION, get_alphabet
from news.kazakh_latin.text import (
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

__all__ = [
    "ALPHABETS",
    "DEFAULT_VERSION",
    "Spellings",
    "capitalize",
    "fold",
    "get_alphabet",
    "latin_slug",
    "lower",
    "protected_spans",
    "segments",
    "to_cyrillic",
    "latin_chunk",
    "to_latin",
    "upper",
]
