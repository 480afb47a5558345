"""Kazakh Cyrillic → Latin (and back), on plain text.

Hand-written, not a library: the maintained transliterators on PyPI do not write the
state alphabet. ``cyrtranslit`` (1.2) has no Kazakh; ``qazaq-transliterator`` (2.0,
2021, unmaintained since) is a 40-line table on top of ``transliterate`` that writes ң as
ŋ (the 2021 alphabet has Ñ), merges и, й and і into one letter, has no casing rule for
İ/ı and no way to keep URLs or names as they are; CLDR's ``Kazakh-Latin`` transform
(through PyICU, a compiled dependency) is a library romanisation, not the state
alphabet. What we need is small: a table per alphabet version (``tables``), the
Turkish-style casing, the spans left alone and the editors' exceptions. ``anyascii``
(already installed with Wagtail) spells the Cyrillic letters of other languages
(Ukrainian ї, Serbian ђ) so that no Cyrillic letter is left in the Latin text.

Spans that never change (``protected_spans``): URLs, e-mail addresses, @handles and
`code` in backticks. Latin text and numbers need no protection: only Cyrillic letters
are changed.
"""

import re
from functools import lru_cache

from anyascii import anyascii
from django.utils.text import slugify

from news.kazakh_latin.tables import ALPHABET_2021, get_alphabet

CYRILLIC_RE = re.compile(r"[\u0400-\u052f]")
CYRILLIC_WORD_RE = re.compile(r"[\u0400-\u052f]+")
_CYRILLIC_CAPITALS = "".join(char for char in map(chr, range(0x0400, 0x0530)) if char.isupper())
# A Cyrillic word with a capital in it: the only words whose spelling needs a look at
# the word (the others are translated letter by letter, in one str.translate call).
CAPITALISED_WORD_RE = re.compile(rf"[\u0400-\u052f]*[{_CYRILLIC_CAPITALS}][\u0400-\u052f]*")
PROTECTED_RE = re.compile(
    r"""
      (?:https?|ftp)://[^\s<>"'«»]+          # a URL
    | www\.[^\s<>"'«»]+                       # a URL without its scheme
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+           # an e-mail address
    | (?<![\w@])@\w+                          # a @handle
    | `[^`\n]+`                               # code
    """,
    re.VERBOSE,
)


# --- Casing: Kazakh Latin capitalises i as İ and ı as I (Python's str.upper() and
# str.lower() know neither: "i".upper() is "I", "İ".lower() is "i" + a combining dot).


def upper(text, alphabet=None):
    """``text`` in capitals, the Kazakh way (2021: i → İ, ı → I)."""
    alphabet = alphabet or ALPHABET_2021
    for small, capital in alphabet.capitals.items():
        text = text.replace(small, capital)
    return text.upper()


def lower(text, alphabet=None):
    """``text`` in small letters, the Kazakh way (2021: İ → i, I → ı)."""
    alphabet = alphabet or ALPHABET_2021
    for capital, small in alphabet.smalls.items():
        text = text.replace(capital, small)
    return text.lower()


def capitalize(text, alphabet=None):
    """``text`` with its first letter a capital (the Kazakh way) and the rest unchanged."""
    return upper(text[:1], alphabet) + text[1:] if text else text


# --- Cyrillic → Latin


@lru_cache(maxsize=8)
def _translation(version):
    alphabet = get_alphabet(version)
    table = {}
    # Letters of other Cyrillic alphabets first, so that the Kazakh table wins.
    for code in range(0x0400, 0x0530):
        char = chr(code)
        if char.isalpha():
            table[ord(char.lower())] = anyascii(char.lower()).lower()
    table.update({ord(cyrillic): latin for cyrillic, latin in alphabet.letters.items()})
    return table


def _latin_word(word, alphabet, table):
    """One Cyrillic ``word`` in Latin letters, its capitals kept where they were."""
    small = word.lower()
    latin = small.translate(table)
    if word == small:
        return latin
    if word.isupper() and len(word) > 1:
        return upper(latin, alphabet)
    if word[0].isupper() and word[1:] == small[1:]:
        return capitalize(latin, alphabet)
    # Mixed case («ҚазАқпарат»): letter by letter, a capital's digraph as «Sh».
    return "".join(
        capitalize(char.lower().translate(table), alphabet) if char.isupper() else
        char.translate(table)
        for char in word
    )  # fmt: skip


def segments(text):
    """``(protected, chunk)`` pairs that make up ``text``, in order."""
    position = 0
    for match in PROTECTED_RE.finditer(text):
        if match.start() > position:
            yield False, text[position : match.start()]
        yield True, match.group()
        position = match.end()
    if position < len(text):
        yield False, text[position:]


def protected_spans(text):
    """``(start, end)`` of each span of ``text`` that transliteration leaves as it is."""
    return [match.span() for match in PROTECTED_RE.finditer(text)]


def to_latin(text, version=None, spellings=None):
    """``text`` (Kazakh in Cyrillic) in the Latin alphabet ``version`` (default: the setting).

    ``spellings`` (a ``Spellings``, e.g. ``news.kazakh_latin.spellings.current()``)
    overrides the table for the names and loanwords it lists. URLs, e-mail addresses,
    @handles and `code` stay as they are.
    """
    if not text or not CYRILLIC_RE.search(text):
        return text
    return "".join(
        chunk if protected else latin_chunk(chunk, version, spellings)
        for protected, chunk in segments(text)
    )


def latin_chunk(chunk, version=None, spellings=None):
    """One stretch of text that holds no protected span, in Latin letters: ``to_latin``
    without looking for spans (a stretch cut out of a text may look like one on its own,
    e.g. «@Ё» after «@0»)."""
    alphabet = get_alphabet(version)
    table = _translation(alphabet.version)

    def word(match):
        source = match.group()
        if spellings:
            found = spellings.spell(source, alphabet, table)
            if found is not None:
                return found
        return _latin_word(source, alphabet, table)

    if spellings:
        return CYRILLIC_WORD_RE.sub(word, chunk)
    return CAPITALISED_WORD_RE.sub(word, chunk).translate(table)


class Spellings:
    """Exceptions to the table: ``{cyrillic word: latin spelling}``, looked up by word.

    An entry with ``inflected`` also applies to the word followed by Kazakh endings
    («Ямада» → «Yamada» makes «Ямаданың» «Yamadanyñ»): the longest listed beginning
    of a word wins, and the rest of the word goes through the table.
    """

    def __init__(self, entries=()):
        # entries: (cyrillic, latin, inflected) triples
        self.exact = {}
        self.stems = {}
        for cyrillic, latin, inflected in entries:
            key = cyrillic.strip().lower()
            if not key:
                continue
            self.exact[key] = latin.strip()
            if inflected:
                self.stems[key] = latin.strip()
        self.longest = max((len(key) for key in self.stems), default=0)

    def __bool__(self):
        return bool(self.exact)

    def __len__(self):
        return len(self.exact)

    def spell(self, word, alphabet, table):
        """``word`` spelled by an entry (its case applied), or None when none applies."""
        small = word.lower()
        latin = self.exact.get(small)
        rest = ""
        if latin is None:
            for length in range(min(self.longest, len(small) - 1), 0, -1):
                latin = self.stems.get(small[:length])
                if latin is not None:
                    rest = _latin_word(word[length:], alphabet, table)
                    break
            else:
                return None
        if word.isupper() and len(word) > 1:
            return upper(latin + rest, alphabet)
        if word[0].isupper():
            return capitalize(latin, alphabet) + rest
        return latin + rest


# --- Latin (2021) → Cyrillic: for search queries and the round-trip test. Only the
# 2021 alphabet is read back; every Latin letter has one Cyrillic letter except
# i (и or й) and h (х or һ), decided by the rules below.

_LATIN_LETTERS = {
    "a": "а", "ä": "ә", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г",
    "ğ": "ғ", "h": "х", "ı": "і", "i": "и", "j": "ж", "k": "к", "l": "л", "m": "м",
    "n": "н", "ñ": "ң", "o": "о", "ö": "ө", "p": "п", "q": "қ", "r": "р", "s": "с",
    "ş": "ш", "t": "т", "u": "у", "ū": "ұ", "ü": "ү", "v": "в", "w": "у", "x": "кс",
    "y": "ы", "z": "з",
}  # fmt: skip
_LATIN_VOWELS = set("aäeıioöuūüy")
_IOTATED = {"a": "я", "u": "ю", "o": "ё"}
LATIN_WORD_RE = re.compile(r"[A-Za-zÄäĞğİıÑñÖöŞşŪūÜüÇç]+")


def _cyrillic_word(small):
    out = []
    position = 0
    length = len(small)
    while position < length:
        char = small[position]
        pair = small[position : position + 2]
        previous = small[position - 1] if position else ""
        if pair == "ch":
            out.append("ч")
            position += 2
            continue
        if pair == "şş":
            out.append("щ")
            position += 2
            continue
        if char == "i":
            after_vowel = previous in _LATIN_VOWELS
            following = small[position + 1 : position + 2]
            # й + а/у/о is я/ю/ё at the start of a word and after a vowel
            # (аяқ "aiaq", аю "aiu", Ясауи "İasaui"), and after и (Азия "Aziia").
            if following in _IOTATED and (not previous or after_vowel):
                out.append(_IOTATED[following])
                position += 2
                continue
            # After a vowel i is й (үйіне "üiıne", сый "syi"), except after u,
            # which is a consonant there (Ясауи); elsewhere it is и.
            out.append("й" if after_vowel and previous != "u" else "и")
            position += 1
            continue
        out.append(_LATIN_LETTERS.get(char, char))
        position += 1
    return "".join(out)


def to_cyrillic(text):
    """``text`` written in the 2021 Latin alphabet, back in Cyrillic (best reading).

    The inverse of ``to_latin(…, "2021")`` for native Kazakh words; loanwords may
    read back differently (ц is written ts, read back as тс).
    """

    def word(match):
        source = match.group()
        small = lower(source)
        cyrillic = _cyrillic_word(small)
        if source == small:
            return cyrillic
        if source.isupper() and len(source) > 1:
            return cyrillic.upper()
        return cyrillic[:1].upper() + cyrillic[1:]

    return "".join(
        chunk if protected else LATIN_WORD_RE.sub(word, chunk)
        for protected, chunk in segments(text)
    )


# --- Folding: what a reader types without diacritics, from any of the alphabets.

_FOLD = str.maketrans(
    {
        "ä": "a", "á": "a", "ğ": "g", "ǵ": "g", "ı": "i", "í": "i", "ñ": "n", "ń": "n",
        "ŋ": "n", "ö": "o", "ó": "o", "ş": "s", "ū": "u", "ü": "u", "ú": "u", "ý": "u",
        "ç": "c", "q": "k", "\u0307": None,
    }
)  # fmt: skip
_FOLD_DIGRAPHS = (("sh", "s"), ("zh", "j"), ("ch", "c"))


def fold(text):
    """``text`` as a reader types it on a plain keyboard: no diacritics, one spelling.

    «Nyğaitu», «nygaitu», «nyǵaıtý» (2018) all fold to «nygaitu»; q and k, ş, sh and s
    meet too. Applied to the Latin spelling of the indexed words and to the query alike.
    """
    text = text.replace("İ", "i").replace("I", "i").lower().translate(_FOLD)
    for digraph, single in _FOLD_DIGRAPHS:
        text = text.replace(digraph, single)
    return text


def latin_slug(text, version=None):
    """An ASCII slug for ``text`` (Kazakh in Cyrillic): «Байланыстар мен…» → «bailanystar-men…»."""
    return slugify(anyascii(to_latin(text, version)))
