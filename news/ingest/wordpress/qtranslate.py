"""Split qTranslate-X multilingual strings into one string per language.

qTranslate-X (and its predecessors qTranslate and mqTranslate) keep every
language of a field in one string, in three notations:

* ``[:kk]Сәлем[:ru]Привет[:]`` (square brackets, closing ``[:]`` optional),
* ``{:kk}Сәлем{:ru}Привет{:}`` (braces, used where brackets clash with shortcodes),
* ``<!--:kk-->Сәлем<!--:--><!--:ru-->Привет<!--:-->`` (the older comment form).

Text outside any language block belongs to every language, as on the old site.
"""

import re
from dataclasses import dataclass, field

# Kazakh sites often tagged Kazakh as "kz" (the country code).
LANGUAGE_ALIASES = {"kz": "kk", "qq": "kk"}

_TOKEN = re.compile(
    r"\[:(?P<sq>[A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?)?\]"
    r"|\{:(?P<br>[A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?)?\}"
    r"|<!--:(?P<cm>[A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?)?-->"
)
_EMPTY = re.compile(r"^(?:\s|&nbsp;|&#160;|\xa0|<p>\s*</p>|<br\s*/?>)*$", re.IGNORECASE)


@dataclass
class Split:
    """The parts of a field per language code (as written, lowercased)."""

    parts: dict = field(default_factory=dict)
    multilingual: bool = False
    shared: str = ""  # the whole text when the field is not multilingual

    def get(self, language):
        """The text in ``language``; a field without language tags is the same in all."""
        if not self.multilingual:
            return self.shared
        return self.parts.get(language, "")

    def languages(self):
        """Languages with a non-empty part, in order of appearance."""
        return [code for code, text in self.parts.items() if not is_empty(text)]


def normalize_code(code):
    code = (code or "").lower().replace("_", "-")
    return LANGUAGE_ALIASES.get(code, code)


def is_empty(text):
    return not text or bool(_EMPTY.match(text))


def split(text):
    """Split ``text`` into its languages. See the module docstring for the forms."""
    text = text or ""
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        return Split(shared=text)
    pieces = []  # (language or None, text)
    current = None
    position = 0
    for token in tokens:
        if token.start() > position:
            pieces.append((current, text[position : token.start()]))
        code = token.group("sq") or token.group("br") or token.group("cm")
        current = normalize_code(code) if code else None
        position = token.end()
    if position < len(text):
        pieces.append((current, text[position:]))

    languages = []
    for token in tokens:
        code = token.group("sq") or token.group("br") or token.group("cm")
        if code and normalize_code(code) not in languages:
            languages.append(normalize_code(code))
    if not languages:
        # Only closing markers: nothing multilingual in it.
        return Split(shared=_TOKEN.sub("", text))
    parts = dict.fromkeys(languages, "")
    for language, piece in pieces:
        if language is None:
            # Outside any block: whitespace between blocks is dropped, real text is shared.
            if piece.strip():
                for code in parts:
                    parts[code] += piece
        else:
            parts[language] += piece
    return Split(parts={code: value.strip() for code, value in parts.items()}, multilingual=True)
