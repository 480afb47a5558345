"""Language-aware text analysis: tokenize, lowercase, stem.

Why we pre-stem in Python instead of relying on the database:

* PostgreSQL ships Russian and English stemmers but none for Kazakh, SQLite
  ships none at all, and Wagtail's search backends use one text configuration
  for every language. Stemming here gives the same terms on every database.
* The stems are stored in our own index (``search.models.SearchEntry``) and the
  database only has to match whole, space-separated terms: PostgreSQL with
  ``to_tsvector('simple', …)`` (a GIN index, ``ts_rank``), SQLite through an
  FTS5 table of the same terms (whole-term LIKE where FTS5 is missing). The
  ``simple`` configuration and FTS5's ``unicode61`` tokenizer are right because
  the terms are already stemmed.
* The same analyzer runs at index time and at query time, so a word and its
  inflected forms meet on the same stem, even when the stem itself is not a
  dictionary word (over-stemming costs a little precision, never recall).

Per token, by script: Latin words are stemmed with Snowball's English stemmer
in every language (``Toyota`` in a Kazakh text), Cyrillic words with the stemmer
of the document's language: Snowball Russian for ``ru`` (and Cyrillic words of
``en`` texts), our Kazakh suffix stripper for ``kk``.

Kazakh across scripts (docs/kazakh-latin.md): each Cyrillic word of a Kazakh
text is also indexed under its *folded Latin* forms (``news.kazakh_latin``: the
2021 spelling of the word and of its stems, without diacritics, q as k, sh as s:
«нығайтуды» → «nygaitudy», «nygaitu»). A Latin word of a Kazakh query is read
three ways: as English (as before), as Kazakh read back into Cyrillic
(«nyğaitu» → «нығайту», then stemmed) and folded («nygaitu»). So a Latin query,
with or without diacritics, finds the Cyrillic story, and Cyrillic queries match
exactly as before.
"""

import re
from functools import lru_cache

import snowballstemmer

from news.kazakh_latin import fold, to_cyrillic, to_latin

# Words are runs of letters and digits; hyphenated compounds («іс-қимыл») are
# split into their parts, which is what a reader types.
TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
LATIN_RE = re.compile(r"[a-z\u00e0-\u024f]")
CYRILLIC_RE = re.compile(r"[\u0400-\u052f]")

# Longer words are not words but noise (URLs, hashes); they are never indexed.
MAX_TOKEN_LENGTH = 40

KAZAKH_VOWELS = set("аәеёиоөуұүыіэюя")

# Kazakh inflectional suffixes (case, possessive, plural) and a few very
# productive derivational ones (-лық/-дық/-тық "-ness", -дағы "which is in").
# Context rules below keep them from eating stems.
KAZAKH_SUFFIXES = sorted(
    {
        # genitive
        "ның", "нің", "дың", "дің", "тың", "тің",
        # dative (bare -а/-е after 1st/2nd person possessives is left alone: too
        # many stems end in а/е)
        "ға", "ге", "қа", "ке", "на", "не",
        # locative
        "да", "де", "та", "те", "нда", "нде",
        # locative + relative -ғы ("the one in …")
        "дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі",
        # ablative
        "дан", "ден", "тан", "тен", "нан", "нен",
        # accusative
        "ны", "ні", "ды", "ді", "ты", "ті", "н",
        # instrumental
        "мен", "бен", "пен", "ымен", "імен", "сымен", "сімен",
        # possessive
        "ы", "і", "сы", "сі", "ым", "ім", "ың", "ің", "ымыз", "іміз", "мыз", "міз",
        "ыңыз", "іңіз",
        # plural
        "лар", "лер", "дар", "дер", "тар", "тер",
        # derivational -лық "-ness/-ship" (and its voiced form before a vowel)
        "лық", "лік", "дық", "дік", "тық", "тік",
        "лығ", "ліг", "дығ", "діг", "тығ", "тіг",
    },
    key=lambda suffix: (-len(suffix), suffix),
)  # fmt: skip

# Vowel harmony and assimilation decide which variant follows which sound:
# variants that only follow a consonant, variants that only follow a vowel, and
# the "pronominal n" forms that only follow the 3rd person possessive -ы/-і.
_AFTER_CONSONANT = {
    "ды", "ді", "ты", "ті", "дың", "дің", "тың", "тің", "дар", "дер", "тар", "тер",
    "та", "те", "тан", "тен", "тағы", "тегі", "қа", "ке",
    "ы", "і", "ым", "ім", "ың", "ің", "ымыз", "іміз", "ыңыз", "іңіз", "ымен", "імен",
    "дық", "дік", "тық", "тік", "дығ", "діг", "тығ", "тіг",
}  # fmt: skip
_AFTER_VOWEL = {"ның", "нің", "ны", "ні", "сы", "сі", "сымен", "сімен", "мыз", "міз"}
# The genitive -ның also follows м, н, ң (Қазақстанның, адамның).
_AFTER_VOWEL_OR_NASAL = {"ның", "нің"}
_AFTER_POSSESSIVE = {"н", "на", "не", "нда", "нде", "ндағы", "ндегі", "нан", "нен"}
# Derivational suffixes need a longer stem: «салық» (tax) is not «са» + -лық.
_DERIVATIONAL = {"лық", "лік", "дық", "дік", "тық", "тік", "лығ", "ліг", "дығ", "діг", "тығ", "тіг"}

KAZAKH_MIN_STEM = 2
KAZAKH_MIN_DERIVED_STEM = 3
KAZAKH_MAX_STRIPS = 6


def _stem_allowed(stem, suffix):
    minimum = KAZAKH_MIN_DERIVED_STEM if suffix in _DERIVATIONAL else KAZAKH_MIN_STEM
    if len(stem) < minimum or not KAZAKH_VOWELS.intersection(stem):
        return False
    last = stem[-1]
    # -у after a vowel is a consonant for the suffixes (дамыту-дың, оқу-ды).
    after_vowel = last in KAZAKH_VOWELS and last != "у"
    if suffix in _AFTER_CONSONANT:
        return not after_vowel
    if suffix in _AFTER_VOWEL:
        return after_vowel or (suffix in _AFTER_VOWEL_OR_NASAL and last in "мнң")
    if suffix in _AFTER_POSSESSIVE:
        return last in "ыі"
    return True


# After a vowel-final stem the 3rd person possessive is -сы/-сі (елші-сі), after
# a consonant -ы/-і (облыс-ы): «облысы» and «елшісі» each read both ways, and
# only a dictionary could tell. Both readings are kept (see ``kazakh_stems``).
_AMBIGUOUS = {"сы": "ы", "сі": "і", "сымен": "ымен", "сімен": "імен"}


def _strip_once(stem):
    """The stems left by the longest suffix that fits (two for -сы/-сі), or ()."""
    for suffix in KAZAKH_SUFFIXES:
        if stem.endswith(suffix) and _stem_allowed(stem[: -len(suffix)], suffix):
            results = [stem[: -len(suffix)]]
            shorter = _AMBIGUOUS.get(suffix)
            if shorter and _stem_allowed(stem[: -len(shorter)], shorter):
                results.append(stem[: -len(shorter)])
            return results
    return []


@lru_cache(maxsize=50_000)
def kazakh_stems(word):
    """Every stem of a lowercase Kazakh ``word``, the main reading first.

    Suffixes are removed one at a time, always the longest that fits the
    vowel-harmony and context rules, until none fits or the stem would become
    shorter than ``KAZAKH_MIN_STEM`` letters (3 for derivational suffixes) or
    lose its last vowel. Applied to index and query alike, so «Жапонияның»,
    «Жапонияда» and «Жапонияға» all meet on «жапония». Where a possessive reads
    two ways (-сы or -ы), both stems are returned; a query word matches a
    text word when their stems share one.
    """
    results = []
    pending = [(word, 0)]
    while pending:
        stem, rounds = pending.pop(0)
        stripped = _strip_once(stem) if rounds < KAZAKH_MAX_STRIPS else []
        if not stripped:
            if stem not in results:
                results.append(stem)
            continue
        pending.extend((shorter, rounds + 1) for shorter in stripped)
    return tuple(results)


def kazakh_stem(word):
    """The main stem of a lowercase Kazakh ``word`` (see ``kazakh_stems``)."""
    return kazakh_stems(word)[0]


@lru_cache(maxsize=8)
def _snowball(name):
    return snowballstemmer.stemmer(name)


@lru_cache(maxsize=50_000)
def _snowball_stem(name, word):
    return _snowball(name).stemWord(word)


def normalize(text):
    """Lowercase (case-fold) ``text`` and fold «ё» into «е», as readers type it."""
    # «İ» first: casefold() makes it «i» plus a combining dot, which would split the word.
    return (text or "").replace("İ", "i").casefold().replace("ё", "е")


def tokenize(text):
    """Lowercase word tokens of ``text``, in order."""
    return [token for token in TOKEN_RE.findall(normalize(text)) if len(token) <= MAX_TOKEN_LENGTH]


def stems(token, language):
    """The stems of one lowercase ``token`` of a text in ``language``, main one first."""
    if token.isdigit():
        return (token,)
    if LATIN_RE.search(token):
        return (_snowball_stem("english", token),)
    if language == "kk":
        return kazakh_stems(token)
    return (_snowball_stem("russian", token),)


def stem(token, language):
    """The main stem of one lowercase ``token`` of a text in ``language``."""
    return stems(token, language)[0]


@lru_cache(maxsize=50_000)
def folded_latin(word):
    """A lowercase Cyrillic Kazakh ``word`` in Latin letters, folded (see ``fold``)."""
    return fold(to_latin(word, "2021"))


def index_terms(token, language):
    """The terms one lowercase ``token`` adds to the index of a text in ``language``.

    Its stems, and for a Cyrillic word of a Kazakh text the folded Latin spelling of
    each stem and of the word itself (the Latin query path, see the module docstring).
    """
    found = stems(token, language)
    if language != "kk" or not CYRILLIC_RE.search(token):
        return found
    latin = [folded_latin(stem) for stem in found]
    latin.append(folded_latin(token))
    return found + tuple(term for term in dict.fromkeys(latin) if term and term not in found)


def query_stems(token, language):
    """The stems one lowercase query word matches in texts in ``language``, main one first.

    A Latin word in Kazakh also matches the Cyrillic word it spells, read back
    from the 2021 alphabet and stemmed, and the folded Latin forms of the index.
    """
    found = stems(token, language)
    if language != "kk" or CYRILLIC_RE.search(token) or not LATIN_RE.search(token):
        return found
    cyrillic = kazakh_stems(to_cyrillic(token))
    folded = [folded_latin(stem) for stem in cyrillic] + [fold(token)]
    return tuple(dict.fromkeys((*found, *cyrillic, *folded)))


def analyze(text, language):
    """Every term of every word of ``text`` (a text in ``language``), for the index."""
    return [term for token in tokenize(text) for term in index_terms(token, language)]


# Words too common to narrow a search; dropped from queries that have others.
STOPWORDS = {
    "kk": {"және", "мен", "бен", "пен", "да", "де", "та", "те", "бұл", "сол", "үшін", "деп"},
    "ru": {"и", "в", "во", "на", "с", "со", "по", "к", "о", "об", "у", "за", "из", "от", "для"},
    "en": {"a", "an", "and", "the", "of", "in", "on", "to", "for", "with", "at", "by", "is"},
}
_ALL_STOPWORDS = set().union(*STOPWORDS.values())

# A query never has more words than this (the rest is ignored): bounds the SQL.
MAX_QUERY_WORDS = 8


def query_words(text):
    """The words of a query that count: stopwords dropped unless nothing else is left."""
    tokens = tokenize(text)
    content = [token for token in tokens if token not in _ALL_STOPWORDS] or tokens
    words = []
    for token in content:
        if token not in words:
            words.append(token)
    return words[:MAX_QUERY_WORDS]


def query_terms(text, language):
    """For each query word, the tuple of its stems in ``language``.

    A text matches the query when, for every word, one of the word's stems is
    among the text's terms.
    """
    groups = []
    for token in query_words(text):
        group = query_stems(token, language)
        if group not in groups:
            groups.append(group)
    return groups


def term_string(terms, unique=True):
    """Space-padded terms (`` a b c ``): ``" term "`` matches whole terms only.

    With ``unique=False`` repeated terms are kept, so a term's frequency can be
    counted in SQL.
    """
    terms = list(dict.fromkeys(terms)) if unique else list(terms)
    return f" {' '.join(terms)} " if terms else ""
